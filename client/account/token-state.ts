import type { AccessToken } from '../http/api-types';

export type TokenState = 'active' | 'expired' | 'revoked';

/** A token's state as the server would judge it now; revocation wins over expiry. */
export function tokenState(token: Pick<AccessToken, 'revokedAt' | 'expiresAt'>, now = Date.now()): TokenState {
  if (token.revokedAt) return 'revoked';
  return Date.parse(token.expiresAt) <= now ? 'expired' : 'active';
}
