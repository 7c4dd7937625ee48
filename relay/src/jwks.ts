// Verifies Microsoft Entra tokens with the tenant's published keys (JWKS), fetched once and again when a key rolls.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { request } from 'node:https';
import { verifyRs256, type JwtClaims, type VerifyOptions } from '../../common/jwt.js';

export interface JwksOptions {
  /** `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`. */
  jwksUri: string;
  /** Extra certificate authorities to trust (the local emulator's self-signed certificate). */
  ca?: string;
}

function getJson(url: string, ca?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400) return reject(new Error(`${url} answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.end();
  });
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
        return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')).kid as string | undefined;
      } catch {
        return undefined;
      }
    })();
    const key = await this.keyFor(kid);
    return verifyRs256(token, () => key, { clockTolerance: 60, ...options }).claims;
  }
}
