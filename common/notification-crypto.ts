// Rich notification encryption exactly as Graph documents it: a random 32-byte key, RSA-OAEP (SHA-1) encrypted
// with the subscriber's certificate (dataKey); the resource JSON AES-256-CBC encrypted with that key, IV = the
// key's first 16 bytes, PKCS7 padding (data); HMAC-SHA256 of the encrypted bytes keyed with the same key
// (dataSignature).
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  publicEncrypt,
  privateDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';

export interface EncryptedContent {
  data: string;
  dataSignature: string;
  dataKey: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint: string;
}

export function thumbprintOf(certificate: X509Certificate): string {
  return certificate.fingerprint.replace(/:/g, '').toUpperCase();
}

export function encryptResource(
  resource: unknown,
  certificate: X509Certificate,
  certificateId: string,
): EncryptedContent {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  const dataKey = publicEncrypt(
    { key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    key,
  );
  const signature = createHmac('sha256', key).update(data).digest();
  return {
    data: data.toString('base64'),
    dataSignature: signature.toString('base64'),
    dataKey: dataKey.toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: thumbprintOf(certificate),
  };
}

/** The subscriber's side: verifies the signature, then decrypts. Throws when the content was tampered with. */
export function decryptResource<T = unknown>(content: EncryptedContent, privateKey: KeyObject): T {
  const key = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(content.dataKey, 'base64'),
  );
  const data = Buffer.from(content.data, 'base64');
  const expected = createHmac('sha256', key).update(data).digest();
  const actual = Buffer.from(content.dataSignature, 'base64');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    throw new Error('dataSignature does not match: the notification was tampered with');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) as T;
}
