import { isWithin } from '../../server/auth/permissions';
import { ROLES, type CenterLevel, type Role } from '../http/api-types';

/**
 * Roles a personal access token of a `role` user may carry: those whose actions are a
 * subset of the user's (the role itself included). Read from the server's own
 * role × action table, so the choice offered is the one the server accepts.
 */
export function narrowerRoles(role: Role): Role[] {
  return ROLES.filter((candidate) => isWithin(candidate, role));
}

export const CENTER_LEVELS: readonly CenterLevel[] = ['district', 'town', 'village'];
