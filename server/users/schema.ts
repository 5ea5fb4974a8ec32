import { z } from 'zod';
import { ROLES } from '../auth/permissions.js';
import { bodyId, enumParam, idParam, intParam } from '../http/params.js';

const roleSchema = enumParam(ROLES);

export const UsersQuery = z.object({
  q: z.string().trim().min(1).max(50).optional(),
  role: roleSchema.optional(),
  centerId: idParam().optional(),
  after: idParam().optional(),
  limit: intParam(1, 200).default(50),
});

export const UserIdParams = z.object({ id: idParam() });

export const UserCreateBody = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_.-]{3,40}$/, 'must be 3–40 characters of a–z, 0–9, _ . and -'),
  displayName: z.string().trim().min(1).max(50),
  role: roleSchema,
  centerId: bodyId(),
  password: z.string().min(1).max(256),
});

export const UserPatchBody = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    role: roleSchema.optional(),
    centerId: bodyId().optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
    unlock: z.literal(true, { error: 'send true to unlock' }).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one of displayName, role, centerId, disabled, unlock');

export const PasswordResetBody = z.object({ password: z.string().min(1).max(256) });
