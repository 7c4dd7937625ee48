// Verifies Microsoft Entra tokens with the tenant's published keys (JWKS), fetched once and again when a key rolls.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { verifyRs256, type JwtClaims, type VerifyOptions } from '../../common/jwt.js';
import { httpCall } from './http-client.js';

export interface JwksOptions {
  /** `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`. */
  jwksUri: string;
  /** Extra certificate authorities to trust (the local emulator's self-signed certificate). */
  ca?: string;
}

async function getJson(url: string, ca?: string): Promise<unknown> {
  const reply = await httpCall(url, {
    timeoutMs: 10_000,
    timeoutMessage: `${url} timed out`,
    httpsOnly: true,
    ...(ca ? { ca } : {}),
  });
  if (reply.status >= 400) throw new Error(`${url} answered ${reply.status}`);
  return JSON.parse(reply.text);
}

export class JwksVerifier {
  private keys = new Map<string, KeyObject>();
  private fetched = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: JwksOptions) {}

  private async load(): Promise<void> {
    const body = (await getJson(this.options.jwksUri, this.options.ca)) as { keys?: Array<Record<string, string>> };
    const keys = new Map<string, KeyObject>();
    for (const jwk of body.keys ?? []) {
      if (jwk.kty !== 'RSA' || !jwk.kid) continue;
      keys.set(jwk.kid, createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as never, format: 'jwk' }));
    }
    this.keys = keys;
    this.fetched = Date.now();
  }

  private async keyFor(kid: string | undefined): Promise<KeyObject | undefined> {
    if (kid && this.keys.has(kid)) return this.keys.get(kid);
    // Unknown key: the tenant may have rolled its keys; fetch again, at most once a minute.
    if (Date.now() - this.fetched > 60_000 || this.keys.size === 0) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return kid ? this.keys.get(kid) : undefined;
  }

  /** Verifies signature, issuer, audience and lifetime; throws TokenError with the reason. */
  async verify(token: string, options: VerifyOptions): Promise<JwtClaims> {
    const kid = (() => {
      try {
        return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')).kid as
          string | undefined;
      } catch {
        return undefined;
      }
    })();
    const key = await this.keyFor(kid);
    return verifyRs256(token, () => key, { clockTolerance: 60, ...options }).claims;
  }
}
