import { z } from 'zod';
import { enumParam, idParam } from '../http/params.js';
import { ROLES } from './permissions.js';

export const LoginBody = z.object({
  username: z.string().trim().min(1, 'enter the user name').max(40),
  password: z.string().min(1, 'enter the password').max(128),
});

export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1, 'enter the current password').max(128),
  newPassword: z.string().min(1, 'enter a new password').max(256),
});

export const UuidParams = z.object({ id: z.uuid('not a session id') });
export const IdParams = z.object({ id: idParam() });

export const TokenCreateBody = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(100),
  expiresInDays: z.number({ error: (i) => (i.code === 'invalid_type' ? 'must be a number of days' : undefined) }).int().min(1, 'must be at least 1 day').max(365, 'must be at most 365 days'),
  role: enumParam(ROLES).optional(),
});
