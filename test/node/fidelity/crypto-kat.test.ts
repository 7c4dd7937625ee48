// Known answers for the notification crypto and the SignalR tokens, from an implementation written here with
// WebCrypto straight from Microsoft's documents, not from common/:
// - rich notifications (https://learn.microsoft.com/graph/change-notifications-with-resource-data, "Decrypting
//   resource data"): a random 256-bit AES key wrapped with RSA-OAEP (SHA-1) for the subscriber's certificate
//   (dataKey), the resource JSON in AES-CBC with PKCS7 padding and the key's first 16 bytes as IV (data), and
//   HMAC-SHA256 of the encrypted bytes keyed with the AES key (dataSignature), each in base64;
// - Azure SignalR Service tokens (docs/rest-api.md in Azure/azure-signalr, now
//   https://learn.microsoft.com/azure/azure-signalr/signalr-reference-data-plane-rest-api): HS256 signed with the
//   AccessKey, `aud` the request URL without its query (or, for a client, the client URL), `exp` required.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { jwtVerify, SignJWT } from 'jose';
import { decryptResource, encryptResource, type EncryptedContent } from '../../../common/notification-crypto.js';
import { clientAccessToken, serverToken } from '../../../common/signalr-connection.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
import { readNotifications, SequenceFilter } from '../../../relay/src/notifications.js';

const subtle = globalThis.crypto.subtle;
const GRAPH_CHANGE_TRACKING_APP = '0bf30f3b-4a52-48df-9a82-234910c4a086';
const USER = '66825e03-7ef5-42da-9069-724602c31f6b';
const base64 = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64');
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

let certificate: CertificateAndKey;

before(async () => {
  certificate = await makeCertificate('known-answers');
});

/** The subscriber's certificate public key, for RSA-OAEP with SHA-1, read from the base64 X.509 Graph is given. */
function oaepPublicKey(certBase64: string): Promise<CryptoKey> {
  const spki = new X509Certificate(Buffer.from(certBase64, 'base64')).publicKey.export({ type: 'spki', format: 'der' });
  return subtle.importKey('spki', spki, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['encrypt']);
}

function oaepPrivateKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return subtle.importKey('pkcs8', der, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['decrypt']);
}

/** AES-CBC (WebCrypto pads with PKCS7) under `key`, the IV being the key's first 16 bytes, and its HMAC-SHA256. */
async function sealWith(
  key: Uint8Array<ArrayBuffer>,
  plaintext: string,
): Promise<{ data: Uint8Array; signature: Uint8Array }> {
  const aes = await subtle.importKey('raw', key, 'AES-CBC', false, ['encrypt']);
  const data = new Uint8Array(
    await subtle.encrypt({ name: 'AES-CBC', iv: key.slice(0, 16) }, aes, new TextEncoder().encode(plaintext)),
  );
  const hmac = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return { data, signature: new Uint8Array(await subtle.sign('HMAC', hmac, data)) };
}

/** A presence resource encrypted as Graph documents it, for a certificate. */
async function encryptAsGraph(resource: unknown, certBase64: string, certificateId: string): Promise<EncryptedContent> {
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const { data, signature } = await sealWith(key, JSON.stringify(resource));
  const dataKey = await subtle.encrypt({ name: 'RSA-OAEP' }, await oaepPublicKey(certBase64), key);
  const thumbprint = Buffer.from(await subtle.digest('SHA-1', Buffer.from(certBase64, 'base64')))
    .toString('hex')
    .toUpperCase();
  return {
    data: base64(data),
    dataSignature: base64(signature),
    dataKey: base64(dataKey),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: thumbprint,
  };
}

/** Graph's documented steps in reverse: unwrap the key, check the signature, then decrypt. */
async function decryptAsSubscriber(content: EncryptedContent, privateKeyPem: string): Promise<unknown> {
  const key = new Uint8Array(
    await subtle.decrypt({ name: 'RSA-OAEP' }, await oaepPrivateKey(privateKeyPem), bytesOf(content.dataKey)),
  );
  assert.equal(key.length, 32, 'a 256-bit AES key');
  const hmac = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  assert.ok(
    await subtle.verify('HMAC', hmac, bytesOf(content.dataSignature), bytesOf(content.data)),
    'dataSignature is the HMAC-SHA256 of data',
  );
  const aes = await subtle.importKey('raw', key, 'AES-CBC', false, ['decrypt']);
  const plain = await subtle.decrypt({ name: 'AES-CBC', iv: key.slice(0, 16) }, aes, bytesOf(content.data));
  return JSON.parse(new TextDecoder().decode(plain));
}

/** One rich notification through the relay's reader, as the webhook hands it over. */
function readByRelay(content: EncryptedContent) {
  return readNotifications(
    {
      value: [
        {
          subscriptionId: 'sub',
          changeType: 'updated',
          clientState: 'kat',
          resource: `communications/presences('${USER}')`,
          resourceData: { id: USER },
          encryptedContent: content,
        },
      ],
      validationTokens: ['checked-elsewhere'],
    },
    {
      clientState: 'kat',
      privateKeyFor: (id) => (id === 'kat-cert' ? certificate.privateKey : undefined),
      verifyValidationToken: async () => ({ appid: GRAPH_CHANGE_TRACKING_APP }),
    },
    new SequenceFilter(),
  );
}

const presence = {
  '@odata.type': '#Microsoft.Graph.presence',
  '@odata.id': `communications/presences('${USER}')`,
  id: USER,
  availability: 'Busy',
  activity: 'InACall',
};

describe('rich notification crypto', () => {
  test('a fixed vector: key 00..1f, IV its first 16 bytes, a presence resource', async () => {
    const key = new Uint8Array(32).map((_, i) => i);
    const plaintext = JSON.stringify(presence);
    const { data, signature } = await sealWith(key, plaintext);
    assert.equal(
      base64(data),
      '6qYyi6sfwX/0xv3ZSeeB3HJAHZqmkT0fWoaHRd+TbCboNudtxtMYlogevGy/Xgqod6MiaE+5NCmKcAIpWhY6G0AdMVGlxKDtSogtAwrnDK94tdyCobPTc1Z8zfEk4mTRXt2nssDNmTJ4gVtZKwxoeOoWZgc3BYKNkOMm5kc89Hsq05bgT/K4xEFK/SIezZHhi474rXQPt2t/FIOHMeWnuArImyIAHoMW63GYovOjzv3ItEuWJNy2dANp7SExmNzaJ4btfJCxeI4WQzHpnh44hArtFwLLmKLDk+B105pdReQ=',
    );
    assert.equal(base64(signature), 'pJTZT3VGulpE5Y5Kijn2wKQvqOsfydg4MR6UPK5ytTQ=');
    // The relay's decryption reads the vector once its key is wrapped for the certificate.
    const dataKey = await subtle.encrypt({ name: 'RSA-OAEP' }, await oaepPublicKey(certificate.certBase64), key);
    const content = {
      data: base64(data),
      dataSignature: base64(signature),
      dataKey: base64(dataKey),
      encryptionCertificateId: 'kat-cert',
      encryptionCertificateThumbprint: certificate.thumbprint,
    };
    assert.deepEqual(decryptResource(content, certificate.privateKey), presence);
  });

  test('what Graph would send, encrypted here, is read by the relay', async () => {
    const content = await encryptAsGraph(presence, certificate.certBase64, 'kat-cert');
    assert.equal(content.encryptionCertificateThumbprint, certificate.thumbprint);
    const result = await readByRelay(content);
    assert.deepEqual(result.refused, []);
    // As Graph sends it, without a sequence number: decrypted, then handed back to be read from Graph.
    assert.deepEqual(result.toRead, [USER]);
    // With one, decrypted and ready to push as it is.
    const numbered = await readByRelay(
      await encryptAsGraph({ ...presence, sequenceNumber: 'A0000000000001' }, certificate.certBase64, 'kat-cert'),
    );
    assert.deepEqual(
      numbered.presences.map((p) => [p.id, p.availability, p.activity]),
      [[USER, 'Busy', 'InACall']],
    );
  });

  test('a tampered signature or tampered data is refused by the relay, before decrypting', async () => {
    const content = await encryptAsGraph(presence, certificate.certBase64, 'kat-cert');
    const signature = bytesOf(content.dataSignature);
    signature[5] = signature[5]! ^ 0x40;
    const data = bytesOf(content.data);
    data[data.length - 1] = data[data.length - 1]! ^ 0x01;
    for (const tampered of [
      { ...content, dataSignature: base64(signature) },
      { ...content, data: base64(data) },
    ]) {
      const result = await readByRelay(tampered);
      assert.deepEqual(result.presences, []);
      assert.equal(result.refused.length, 1);
      assert.match(result.refused[0]!.reason, /dataSignature/);
    }
  });

  test('what the Graph emulator encrypts is read here, by the documented steps', async () => {
    const content = encryptResource(
      presence,
      new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
      'emulated',
    );
    assert.equal(content.encryptionCertificateId, 'emulated');
    assert.equal(content.encryptionCertificateThumbprint, certificate.thumbprint);
    assert.deepEqual(await decryptAsSubscriber(content, certificate.key), presence);
  });
});

describe('Azure SignalR Service tokens', () => {
  let service: SignalRServiceEmulator;
  before(async () => {
    service = new SignalRServiceEmulator();
    await service.start();
  });
  after(() => service.stop());

  const accessKeyBytes = () => new TextEncoder().encode(service.accessKey);

  test('a client token from the relay verifies as HS256 with the AccessKey, for the client URL, with an expiry and the user', async () => {
    const { url, accessToken } = clientAccessToken({
      endpoint: service.url,
      accessKey: service.accessKey,
      hub: 'presence',
      userId: USER,
    });
    assert.equal(url, `${service.url}/client/?hub=presence`);
    const { payload, protectedHeader } = await jwtVerify(accessToken, accessKeyBytes(), {
      algorithms: ['HS256'],
      audience: url,
      requiredClaims: ['exp'],
    });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload['asrs.s.uid'], USER);
    assert.ok(payload.exp! > Date.now() / 1000);
    await assert.rejects(jwtVerify(accessToken, new TextEncoder().encode('another key'), { algorithms: ['HS256'] }));
  });

  test('a REST token made with jose is accepted by the service; another audience, another key or no expiry is not', async () => {
    const url = `${service.url}/api/v1/hubs/presence`;
    const token = (claims: { aud: string; exp?: boolean }, key = accessKeyBytes()) => {
      const jwt = new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setAudience(claims.aud)
        .setIssuedAt();
      return (claims.exp === false ? jwt : jwt.setExpirationTime('5m')).sign(key);
    };
    const send = async (bearer: string) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ target: 'presence', arguments: [] }),
        })
      ).status;
    assert.equal(await send(await token({ aud: url })), 202);
    assert.equal(await send(await token({ aud: `${service.url}/api/v1/hubs/other` })), 401);
    assert.equal(
      await send(await token({ aud: url }, new Uint8Array(Buffer.from(service.accessKey, 'base64')))),
      401,
      'the key is the UTF-8 bytes of the AccessKey, not its base64 decoding',
    );
    assert.equal(await send(await token({ aud: url, exp: false })), 401);
    // And the relay's own REST token carries what the service checks.
    const relayToken = serverToken({ accessKey: service.accessKey, audience: url });
    const { payload } = await jwtVerify(relayToken, accessKeyBytes(), {
      algorithms: ['HS256'],
      audience: url,
      requiredClaims: ['exp'],
    });
    assert.ok(payload.exp! > Date.now() / 1000);
    assert.equal(await send(relayToken), 202);
  });
});
