// The tenant's token signing, with the certificate whose thumbprint names it (`kid`, and `x5t` in v1.0 headers).
//
// Microsoft Graph's access tokens are not for anyone else to validate: "Microsoft-developed APIs like Microsoft Graph
// or APIs in Azure have other proprietary token formats. These proprietary formats that can't be validated might be
// encrypted tokens, JWTs, or special JWT-like" (https://learn.microsoft.com/entra/identity-platform/access-tokens).
// Entra's carry a `nonce` in their header and the signature covers the header with the nonce's SHA-256 hash in its
// place, so a JWT library checking one with the tenant's keys fails, as it does with Graph's real tokens. Only Graph
// (here, `verify`) knows to put the hash back.
import { createHash, createSign, createVerify, randomBytes } from 'node:crypto';
import {
  base64url,
  checkClaims,
  decodeJwt,
  TokenError,
  type DecodedJwt,
  type JwtClaims,
  type JwtHeader,
  type VerifyOptions,
} from '../../common/jwt.js';
import type { CertificateAndKey } from '../shared/tls.js';
import type { TokenVersion } from './claims.js';
import { keyIdOf } from './discovery.js';

const hashed = (nonce: string) => createHash('sha256').update(nonce).digest('hex');

export class TokenSigner {
  readonly kid: string;

  constructor(readonly certificate: CertificateAndKey) {
    this.kid = keyIdOf(certificate);
  }

  /** Signs claims: v1.0 headers carry `x5t` beside `kid`; Graph's tokens carry a `nonce` only Graph can account for. */
  sign(claims: JwtClaims, options: { version?: TokenVersion; forGraph?: boolean } = {}): string {
    const header: JwtHeader = {
      typ: 'JWT',
      ...(options.forGraph ? { nonce: randomBytes(32).toString('base64url') } : {}),
      alg: 'RS256',
      ...(options.version === '1.0' ? { x5t: this.kid } : {}),
      kid: this.kid,
    };
    const payload = base64url(JSON.stringify(claims));
    const signed = `${base64url(JSON.stringify(this.signedHeader(header)))}.${payload}`;
    const signature = createSign('RSA-SHA256').update(signed).sign(this.certificate.privateKey);
    return `${base64url(JSON.stringify(header))}.${payload}.${base64url(signature)}`;
  }

  /** The header as signed: with the nonce's hash in place of the nonce. */
  private signedHeader(header: JwtHeader): JwtHeader {
    return header.nonce === undefined ? header : { ...header, nonce: hashed(header.nonce) };
  }

  /** Verifies a token this tenant signed (Graph's too): its key, its signature, then `options`' claim checks. */
  verify(token: string, options: VerifyOptions): DecodedJwt {
    const decoded = decodeJwt(token);
    const header = decoded.header;
    if (header.alg !== 'RS256') throw new TokenError('bad_algorithm', `alg ${header.alg} is not accepted`);
    if (header.kid !== this.kid) throw new TokenError('bad_signature', `no signing key ${header.kid}`);
    const payload = decoded.signingInput.slice(decoded.signingInput.indexOf('.') + 1);
    const signed =
      header.nonce === undefined
        ? decoded.signingInput
        : `${base64url(JSON.stringify(this.signedHeader(header)))}.${payload}`;
    if (!createVerify('RSA-SHA256').update(signed).verify(this.certificate.publicKey, decoded.signature))
      throw new TokenError('bad_signature', 'token signature is invalid');
    checkClaims(decoded.claims, options);
    return decoded;
  }
}
