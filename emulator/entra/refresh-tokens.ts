// Refresh tokens as Entra ID keeps them ("Refresh tokens in the Microsoft identity platform",
// https://learn.microsoft.com/entra/identity-platform/refresh-tokens#token-lifetime):
// - a single-page app's refresh tokens last 24 hours from the sign-in that started them, and the ones a refresh
//   hands out carry that expiry over: refreshing never extends it (AADSTS700084 after it);
// - everyone else's last 90 days, and each refresh gives a fresh 90 days (AADSTS700082 once one lies unused longer);
// - refresh tokens replace themselves on every use, but the old one is not revoked: it stays usable until it expires;
// - revoking a user's sessions revokes all their refresh tokens (AADSTS50173 for them after).
// The messages are those of https://learn.microsoft.com/entra/identity-platform/reference-error-codes#aadsts-error-codes.
import { randomBytes } from 'node:crypto';
import { OAuthError } from './oauth-error.js';

const SPA_LIFETIME_MS = 24 * 3600_000;
const INACTIVITY_MS = 90 * 24 * 3600_000;

export interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
  /** Issued to a single-page app (a `spa` redirect URI): fixed 24-hour lifetime. */
  spa: boolean;
  /** When the first token of this line was issued (the interactive sign-in), milliseconds. */
  signedInAt: number;
  /** When this token was issued, milliseconds. */
  issuedAt: number;
  /** When this token stops working, milliseconds. */
  expires: number;
  /** When the user's sessions were revoked, if they were since this token was issued. */
  revokedAt?: number;
}

/** "1.00:00:00", the .NET time span Entra's messages use. */
function timeSpan(ms: number): string {
  const days = Math.floor(ms / (24 * 3600_000));
  const rest = new Date(ms % (24 * 3600_000)).toISOString().slice(11, 19);
  return `${days}.${rest}`;
}

export class RefreshTokens {
  private readonly tokens = new Map<string, RefreshGrant>();

  /** A new refresh token: after a sign-in (no `previous`), or in exchange for `previous`, whose line it continues. */
  issue(
    grant: { clientId: string; userId: string; scopes: string[]; spa: boolean },
    now: number,
    previous?: RefreshGrant,
  ): string {
    const signedInAt = previous?.signedInAt ?? now;
    const expires = grant.spa ? signedInAt + SPA_LIFETIME_MS : now + INACTIVITY_MS;
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { ...grant, signedInAt, issuedAt: now, expires });
    return token;
  }

  /** The grant behind a refresh token presented by `clientId` at `now`, or the error Entra answers. */
  redeem(token: string, clientId: string, now: number): RefreshGrant {
    const grant = this.tokens.get(token);
    if (!grant || grant.clientId !== clientId) {
      throw new OAuthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    if (grant.revokedAt !== undefined) {
      throw new OAuthError(
        400,
        'invalid_grant',
        50173,
        `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(grant.issuedAt).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(grant.revokedAt).toISOString()}'.`,
      );
    }
    if (now >= grant.expires) {
      const issued = new Date(grant.spa ? grant.signedInAt : grant.issuedAt).toISOString();
      if (grant.spa) {
        throw new OAuthError(
          400,
          'invalid_grant',
          700084,
          `The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of ${timeSpan(SPA_LIFETIME_MS)}, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on ${issued}.`,
        );
      }
      throw new OAuthError(
        400,
        'invalid_grant',
        700082,
        `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for ${timeSpan(INACTIVITY_MS)}.`,
      );
    }
    return grant;
  }

  /** Revokes every refresh token of a user issued before `now`; how many were still usable. */
  revokeUser(userId: string, now: number): number {
    let count = 0;
    for (const grant of this.tokens.values()) {
      if (grant.userId !== userId || grant.revokedAt !== undefined) continue;
      grant.revokedAt = now;
      if (now < grant.expires) count++;
    }
    return count;
  }
}
