// JSON Web Tokens for the Node parts (emulators and relay): RS256 (Entra ID) and HS256 (Azure SignalR Service), with node:crypto only.
import { createHmac, createSign, createVerify, timingSafeEqual, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { exp?: number; nbf?: number; iat?: number; aud?: string | string[] };
/** A JWS header; Entra's Graph tokens carry a `nonce` in theirs. */
export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  nonce?: string;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function fromBase64url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

function encodeParts(header: JwtHeader, claims: JwtClaims): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

/** Signs with RS256; `header` adds fields to the header (Entra's v1.0 tokens carry `x5t` beside `kid`). */
export function signRs256(
  claims: JwtClaims,
  privateKey: KeyObject,
  kid: string,
  header: Partial<JwtHeader> = {},
): string {
  const input = encodeParts({ typ: 'JWT', alg: 'RS256', ...header, kid }, claims);
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey);
  return `${input}.${base64url(signature)}`;
}

export function signHs256(claims: JwtClaims, secret: string | Buffer): string {
  const input = encodeParts({ alg: 'HS256', typ: 'JWT' }, claims);
  return `${input}.${base64url(createHmac('sha256', secret).update(input).digest())}`;
}

/** Why a token was refused; `code` follows the wording the real services use where they have one. */
export class TokenError extends Error {
  constructor(
    readonly code:
      | 'malformed'
      | 'bad_signature'
      | 'expired'
      | 'not_yet_valid'
      | 'bad_audience'
      | 'bad_issuer'
      | 'bad_algorithm'
      | 'missing_claim',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw new TokenError('malformed', 'token is not a compact JWT');
  try {
    const header = JSON.parse(fromBase64url(parts[0]!).toString('utf8')) as JwtHeader;
    const claims = JSON.parse(fromBase64url(parts[1]!).toString('utf8')) as JwtClaims;
    if (typeof header !== 'object' || typeof claims !== 'object' || !header || !claims) throw new Error('not objects');
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: fromBase64url(parts[2]!) };
  } catch {
    throw new TokenError('malformed', 'token header or payload is not JSON');
  }
}

export interface VerifyOptions {
  /** Accepted audiences; the token's `aud` must be one of them. */
  audience?: string | string[];
  issuer?: string | string[];
  /** Seconds of clock skew allowed. */
  clockTolerance?: number;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  requireExp?: boolean;
}

/** Checks a verified token's lifetime, audience and issuer. */
export function checkClaims(claims: JwtClaims, options: VerifyOptions): void {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockTolerance ?? 0;
  if (options.requireExp !== false && typeof claims.exp !== 'number')
    throw new TokenError('missing_claim', 'token has no exp');
  if (typeof claims.exp === 'number' && now - skew >= claims.exp)
    throw new TokenError('expired', `token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (typeof claims.nbf === 'number' && now + skew < claims.nbf)
    throw new TokenError('not_yet_valid', 'token is not valid yet');
  if (options.audience !== undefined) {
    const wanted = ([] as string[]).concat(options.audience);
    const got = ([] as string[]).concat((claims.aud as string | string[] | undefined) ?? []);
    if (!got.some((a) => wanted.includes(a)))
      throw new TokenError('bad_audience', `audience ${JSON.stringify(claims.aud)} is not ${wanted.join(' or ')}`);
  }
  if (options.issuer !== undefined) {
    const wanted = ([] as string[]).concat(options.issuer);
    if (typeof claims.iss !== 'string' || !wanted.includes(claims.iss))
      throw new TokenError('bad_issuer', `issuer ${String(claims.iss)} is not trusted`);
  }
}

/** Verifies an RS256 token with the key its `kid` names. */
export function verifyRs256(
  token: string,
  keyFor: (kid: string | undefined) => KeyObject | undefined,
  options: VerifyOptions = {},
): DecodedJwt {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256')
    throw new TokenError('bad_algorithm', `alg ${decoded.header.alg} is not accepted`);
  const key = keyFor(decoded.header.kid);
  if (!key) throw new TokenError('bad_signature', `no signing key ${decoded.header.kid}`);
  const ok = createVerify('RSA-SHA256').update(decoded.signingInput).verify(key, decoded.signature);
  if (!ok) throw new TokenError('bad_signature', 'token signature is invalid');
  checkClaims(decoded.claims, options);
  return decoded;
}

/** Verifies an HS256 token with a shared secret. */
export function verifyHs256(token: string, secret: string | Buffer, options: VerifyOptions = {}): DecodedJwt {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'HS256')
    throw new TokenError('bad_algorithm', `alg ${decoded.header.alg} is not accepted`);
  const expected = createHmac('sha256', secret).update(decoded.signingInput).digest();
  if (expected.length !== decoded.signature.length || !timingSafeEqual(expected, decoded.signature)) {
    throw new TokenError('bad_signature', 'token signature is invalid');
  }
  checkClaims(decoded.claims, options);
  return decoded;
}
