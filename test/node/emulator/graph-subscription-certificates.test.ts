// Encryption certificates of rich presence subscriptions: RSA keys of 2,048 to 4,096 bits, an id of at most 128
// characters, and key rotation by PATCH, after which Graph moves to the new certificate.
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { decryptResource, type EncryptedContent } from '../../../common/notification-crypto.js';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { call, Receiver, startGraph, tenant, token, presenceSubscription } from './graph-support.js';
import { until } from '../until.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

let graph: GraphEmulator;
let receiver: Receiver;
let first: CertificateAndKey;
let second: CertificateAndKey;
let nextUser = 400;
const newUser = () => tenant.users[nextUser++]!.id;
const watched = tenant.users.slice(20, 23).map((u) => u.id);
const as = (userId: string) => token({ userId, scopes: ['Presence.Read.All'] });
const inMinutes = (m: number) => new Date(graph.clock.now() + m * 60_000).toISOString();

/** A self-signed certificate (base64 DER) for a key made with these WebCrypto parameters. */
async function certificateFor(algorithm: RsaHashedKeyGenParams | EcKeyGenParams): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const signingAlgorithm = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 16),
    name: 'CN=certificate-rules',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    signingAlgorithm,
    keys,
  });
  return Buffer.from(cert.rawData).toString('base64');
}

const rsa = (modulusLength: number): RsaHashedKeyGenParams => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength,
});

before(async () => {
  [first, second] = await Promise.all([makeCertificate('rotation-first'), makeCertificate('rotation-second')]);
  graph = await startGraph({
    delivery: { batchWindowMs: 10, validationTimeoutMs: 1_000, certificateRolloverMs: 60_000 },
  });
  receiver = await new Receiver().start();
});
after(async () => {
  await receiver.stop();
  await graph.stop();
});

function subscribe(userId: string, overrides: Record<string, unknown> = {}) {
  return call(
    graph,
    'POST',
    '/v1.0/subscriptions',
    {
      ...presenceSubscription(graph, receiver.url, watched, {
        clientState: 'certificate-rules',
        certificate: first.certBase64,
        certificateId: 'first',
        minutes: 50,
      }),
      ...overrides,
    },
    as(userId),
  );
}

/** What Graph delivered for one subscription, in order. */
function deliveredFor(subscriptionId: string): EncryptedContent[] {
  return receiver.received
    .flatMap((d) => d.body.value)
    .filter((n: { subscriptionId: string }) => n.subscriptionId === subscriptionId)
    .map((n: { encryptedContent: EncryptedContent }) => n.encryptedContent);
}

/** Makes a presence change and gives the encrypted content Graph delivers for it to one subscription. */
async function nextContent(subscriptionId: string, id: string, availability: string): Promise<EncryptedContent> {
  const seen = deliveredFor(subscriptionId).length;
  tenant.setPresence(id, { availability, activity: availability });
  await until(() => deliveredFor(subscriptionId).length > seen, `a notification for ${subscriptionId}`);
  return deliveredFor(subscriptionId)[seen]!;
}

describe('the certificate Graph accepts', () => {
  test('RSA keys from 2,048 to 4,096 bits are accepted; smaller, larger and non-RSA keys are refused', async () => {
    const [small, large, largest, ec] = await Promise.all([
      certificateFor(rsa(1024)),
      certificateFor(rsa(4096)),
      certificateFor(rsa(4160)),
      certificateFor({ name: 'ECDSA', namedCurve: 'P-256' }),
    ]);
    for (const refused of [small, largest, ec, Buffer.from('not a certificate').toString('base64')]) {
      const res = await subscribe(newUser(), { encryptionCertificate: refused });
      assert.equal(res.status, 400);
      assert.match(res.data.error.message, /encryptionCertificate/);
    }
    assert.equal((await subscribe(newUser(), { encryptionCertificate: large })).status, 201);
  });

  test('encryptionCertificateId: at most 128 characters', async () => {
    const refused = await subscribe(newUser(), { encryptionCertificateId: 'x'.repeat(129) });
    assert.equal(refused.status, 400);
    assert.match(refused.data.error.message, /encryptionCertificateId/);
    assert.equal((await subscribe(newUser(), { encryptionCertificateId: 'x'.repeat(128) })).status, 201);
  });
});

describe('rotating the key with PATCH', () => {
  test('the new certificate replaces the old one; what Graph encrypts moves to it after a while', async () => {
    const user = newUser();
    const created = await subscribe(user);
    assert.equal(created.status, 201);
    const path = `/v1.0/subscriptions/${created.data.id}`;
    const before = await nextContent(created.data.id, watched[0]!, 'Busy');
    assert.equal(before.encryptionCertificateId, 'first');

    const rotated = await call(
      graph,
      'PATCH',
      path,
      {
        expirationDateTime: inMinutes(55),
        encryptionCertificate: second.certBase64,
        encryptionCertificateId: 'second',
      },
      as(user),
    );
    assert.equal(rotated.status, 200, JSON.stringify(rotated.data));
    assert.equal(rotated.data.encryptionCertificateId, 'second');
    assert.equal((await call(graph, 'GET', path, undefined, as(user))).data.encryptionCertificateId, 'second');

    // For a while the old certificate may still be used: the subscriber keeps both keys.
    const during = await nextContent(created.data.id, watched[1]!, 'Away');
    assert.equal(during.encryptionCertificateId, 'first');
    assert.equal(decryptResource<{ availability: string }>(during, first.privateKey).availability, 'Away');

    graph.clock.advance(61_000);
    const afterwards = await nextContent(created.data.id, watched[2]!, 'DoNotDisturb');
    assert.equal(afterwards.encryptionCertificateId, 'second');
    assert.equal(afterwards.encryptionCertificateThumbprint, second.thumbprint);
    assert.equal(decryptResource<{ availability: string }>(afterwards, second.privateKey).availability, 'DoNotDisturb');
    assert.throws(() => decryptResource(afterwards, first.privateKey));
  });

  test('a certificate Graph would refuse at creation is refused by PATCH too, and both properties go together', async () => {
    const user = newUser();
    const created = await subscribe(user);
    const path = `/v1.0/subscriptions/${created.data.id}`;
    const small = await certificateFor(rsa(1024));
    const patch = (body: Record<string, unknown>) =>
      call(graph, 'PATCH', path, { expirationDateTime: inMinutes(50), ...body }, as(user));
    assert.equal((await patch({ encryptionCertificate: small, encryptionCertificateId: 'small' })).status, 400);
    assert.equal(
      (await patch({ encryptionCertificate: second.certBase64, encryptionCertificateId: 'y'.repeat(129) })).status,
      400,
    );
    assert.equal((await patch({ encryptionCertificate: second.certBase64 })).status, 400);
    assert.equal((await patch({ encryptionCertificateId: 'alone' })).status, 400);
    assert.equal((await call(graph, 'GET', path, undefined, as(user))).data.encryptionCertificateId, 'first');
  });

  test('a notification made before the rotation is redelivered as it was made, with the old certificate', async () => {
    const user = newUser();
    const created = await subscribe(user, { resource: `/communications/presences/${watched[0]}` });
    const path = `/v1.0/subscriptions/${created.data.id}`;
    const sub = created.data.id as string;
    let failing = true;
    receiver.reply = () => ({ status: failing ? 503 : 202 });
    try {
      tenant.setPresence(watched[0]!, { availability: 'BeRightBack', activity: 'BeRightBack' });
      await until(() => deliveredFor(sub).length === 1, 'the first attempt');
      assert.equal(
        (
          await call(
            graph,
            'PATCH',
            path,
            {
              expirationDateTime: inMinutes(50),
              encryptionCertificate: second.certBase64,
              encryptionCertificateId: 'second',
            },
            as(user),
          )
        ).status,
        200,
      );
      graph.clock.advance(61_000);
      failing = false;
      await until(() => deliveredFor(sub).length === 2, 'the redelivery');
    } finally {
      receiver.reply = () => ({ status: 202 });
    }
    const [firstTry, retry] = deliveredFor(sub);
    assert.deepEqual(retry, firstTry);
    assert.equal(retry!.encryptionCertificateId, 'first');
    assert.equal(decryptResource<{ availability: string }>(retry!, first.privateKey).availability, 'BeRightBack');
  });
});
