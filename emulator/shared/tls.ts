// Certificates made at start: the HTTPS certificate of the emulators (MSAL requires an https authority) and
// RSA key pairs with self-signed X.509 certificates, for Entra's signing keys and for notification encryption.
import * as x509 from '@peculiar/x509';
import { createHash, KeyObject, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface CertificateAndKey {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
  /** Base64 DER of the certificate, as Graph's `encryptionCertificate` and JWKS' `x5c` carry it. */
  certBase64: string;
  /** SHA-1 thumbprint, hex upper case, as Graph's `encryptionCertificateThumbprint`. */
  thumbprint: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

/** A self-signed certificate for `commonName`, valid for a year, with the given DNS names and IPs. */
export async function makeCertificate(
  commonName: string,
  altNames: { dns?: string[]; ip?: string[] } = {},
): Promise<CertificateAndKey> {
  const keys = (await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  const names = [
    ...(altNames.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(altNames.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha1').update(`${commonName}${now}${Math.random()}`).digest('hex').slice(0, 16),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    signingAlgorithm: rsa,
    keys,
    extensions,
  });
  const der = certificate.rawData;
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = pem('PRIVATE KEY', pkcs8);
  const privateKey = KeyObject.from(keys.privateKey as unknown as webcrypto.CryptoKey);
  const publicKey = KeyObject.from(keys.publicKey as unknown as webcrypto.CryptoKey);
  return {
    cert: pem('CERTIFICATE', der),
    key,
    certBase64: Buffer.from(der).toString('base64'),
    thumbprint: createHash('sha1').update(Buffer.from(der)).digest('hex').toUpperCase(),
    privateKey,
    publicKey,
  };
}

/** The certificate the emulators serve HTTPS with: localhost and the loopback addresses. */
export function makeServerCertificate(): Promise<CertificateAndKey> {
  return makeCertificate('localhost', { dns: ['localhost'], ip: ['127.0.0.1', '::1'] });
}
