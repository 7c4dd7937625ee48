// What the relay asks of a user token once its signature, issuer, audience and lifetime are verified: that it is a
// user's (delegated, with `oid`), that it grants the scope the relay's API exposes (by default `access_as_user`),
// and that it comes from the relay's tenant. Entra puts the tenant in both `iss` and `tid`; checking `tid` too keeps
// a token whose claims disagree from passing on its issuer alone.
import type { JwtClaims } from '../../common/jwt.js';

/** The scope the relay's API registration exposes, unless configured otherwise (`RELAY_REQUIRED_SCOPE`). */
export const DEFAULT_REQUIRED_SCOPE = 'access_as_user';

/** A scope as an app registration names it: no spaces (`scp` is space-separated), no full URI. */
const SCOPE = /^[\w.:-]{1,120}$/;

export interface UserTokenRules {
  /** The scope a token must grant; default `access_as_user`. */
  requiredScope?: string;
  /** The relay's tenant id: a token naming another tenant (`tid`) is refused. Unset: not checked. */
  tenantId?: string;
}

export function isScopeName(scope: string): boolean {
  return SCOPE.test(scope);
}

/** The signed-in user's object id; throws, saying why, when the claims are not those of a user allowed in. */
export function userOf(claims: JwtClaims, rules: UserTokenRules = {}): string {
  if (typeof claims.oid !== 'string' || typeof claims.scp !== 'string') throw new Error('a user token is required');
  const required = rules.requiredScope ?? DEFAULT_REQUIRED_SCOPE;
  if (!claims.scp.split(' ').includes(required)) throw new Error(`the token does not grant the scope ${required}`);
  if (rules.tenantId !== undefined && String(claims.tid ?? '').toLowerCase() !== rules.tenantId.toLowerCase()) {
    throw new Error('the token is for another tenant');
  }
  return claims.oid;
}
