import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { decryptResource, type EncryptedContent } from '../../../common/notification-crypto.js';
import { verifyRs256 } from '../../../common/jwt.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import {
  APP_ID,
  call,
  Receiver,
  signingPublicKey,
  startGraph,
  tenant,
  token,
  presenceSubscription,
} from './graph-support.js';

let graph: GraphEmulator;
let receiver: Receiver;
let certificate: CertificateAndKey;
// Subscribers are users 100..199: each test uses its own, since Graph allows one subscription per user and app.
let nextUser = 100;
const subscriber = () => tenant.users[nextUser++]!.id;
/** The token of the user who made a subscription: only they can read, renew or delete it. */
const as = (userId: string) => token({ userId, scopes: ['Presence.Read.All'] });
const watched = tenant.users.slice(0, 5).map((u) => u.id);
const inMinutes = (m: number) => new Date(graph.clock.now() + m * 60_000).toISOString();

before(async () => {
  certificate = await makeCertificate('relay-notifications');
  graph = await startGraph({
    delivery: { timeoutMs: 400, retryDelaysMs: [150], batchWindowMs: 10, validationTimeoutMs: 1_000 },
  });
});
after(() => graph.stop());
beforeEach(async () => {
  receiver = await new Receiver().start();
});
afterEach(() => receiver.stop());

function subscribe(userId: string, overrides: Record<string, unknown> = {}, auth?: string) {
  return call(
    graph,
    'POST',
    '/v1.0/subscriptions',
    {
      ...presenceSubscription(graph, receiver.url, watched, {
        clientState: 'secret-client-state',
        certificate: certificate.certBase64,
        certificateId: 'relay-cert-1',
        lifecycle: true,
      }),
      ...overrides,
    },
    auth ?? token({ userId, scopes: ['Presence.Read.All'] }),
  );
}

describe('creating presence subscriptions', () => {
  test('application tokens are refused: presence subscriptions are delegated only', async () => {
    const { status } = await subscribe('', {}, token({ userId: null, roles: ['Presence.Read.All'] }));
    assert.equal(status, 403);
  });
  test('651 ids are refused, 650 accepted', async () => {
    const ids = tenant.users.slice(0, 651).map((u) => `'${u.id}'`);
    const refused = await subscribe(subscriber(), {
      resource: `/communications/presences?$filter=id in (${ids.join(',')})`,
    });
    assert.equal(refused.status, 400);
    assert.match(refused.data.error.message, /650/);
    const accepted = await subscribe(subscriber(), {
      resource: `/communications/presences?$filter=id in (${ids.slice(0, 650).join(',')})`,
    });
    assert.equal(accepted.status, 201);
  });
  test('an expiry more than 60 minutes away, or in the past, is refused', async () => {
    assert.equal((await subscribe(subscriber(), { expirationDateTime: inMinutes(61) })).status, 400);
    assert.equal((await subscribe(subscriber(), { expirationDateTime: inMinutes(-1) })).status, 400);
  });
  test('includeResourceData needs an encryption certificate', async () => {
    const { status, data } = await subscribe(subscriber(), { encryptionCertificate: undefined });
    assert.equal(status, 400);
    assert.match(data.error.message, /encryptionCertificate/);
  });
  test('only changeType updated, only presence resources, only https (or loopback) receivers', async () => {
    assert.equal((await subscribe(subscriber(), { changeType: 'created' })).status, 400);
    assert.equal((await subscribe(subscriber(), { resource: '/users' })).status, 400);
    assert.equal((await subscribe(subscriber(), { notificationUrl: 'http://example.invalid/notify' })).status, 400);
  });
  test('the validation handshake must echo the token', async () => {
    receiver.validation = 'wrong';
    const { status, data } = await subscribe(subscriber());
    assert.equal(status, 400);
    assert.match(data.error.message, /validation/i);
  });
  // https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation: "a content
  // type of text/plain", so a receiver that reflects the token as markup (or untyped) is not taken.
  test('the validation handshake must echo the token as text/plain', async () => {
    for (const validation of ['html', 'untyped'] as const) {
      receiver.validation = validation;
      const { status, data } = await subscribe(subscriber());
      assert.equal(status, 400, validation);
      assert.match(data.error.message, /text\/plain/, validation);
    }
    receiver.validation = 'echo';
  });
  test('one presence subscription per user and application', async () => {
    const user = subscriber();
    assert.equal((await subscribe(user)).status, 201);
    const second = await subscribe(user);
    assert.equal(second.status, 403);
    assert.match(second.data.error.message, /only one/);
  });
});

describe('notifications', () => {
  test('a change is delivered encrypted, signed, with clientState and validation tokens, and decrypts to the presence', async () => {
    const created = await subscribe(subscriber());
    assert.equal(created.status, 201);
    tenant.setPresence(watched[0]!, { availability: 'Busy', activity: 'InACall' });
    await receiver.waitFor(1);
    const body = receiver.received[0]!.body;
    const n = body.value[0];
    assert.equal(n.subscriptionId, created.data.id);
    assert.equal(n.clientState, 'secret-client-state');
    assert.equal(n.resourceData.id, watched[0]);
    assert.equal(n.encryptedContent.encryptionCertificateId, 'relay-cert-1');
    assert.equal(n.encryptedContent.encryptionCertificateThumbprint, certificate.thumbprint);
    const presence = decryptResource<Record<string, unknown>>(n.encryptedContent, certificate.privateKey);
    assert.deepEqual([presence.id, presence.availability, presence.activity], [watched[0], 'Busy', 'InACall']);
    // Only what Microsoft documents a presence notification to carry: no status message, out-of-office or sequence
    // number (https://learn.microsoft.com/graph/changenotifications-for-presence).
    assert.deepEqual(Object.keys(presence).sort(), ['@odata.id', '@odata.type', 'activity', 'availability', 'id']);
    assert.equal(presence['@odata.id'], `users/${watched[0]}/presence`);
    assert.deepEqual(n.resourceData, {
      '@odata.type': '#microsoft.graph.presence',
      '@odata.id': `users/${watched[0]}/presence`,
      id: watched[0],
    });
    assert.match(
      n.resource,
      /^communications\/presences\?\$filter=id\+in\+\(%27[0-9a-f-]{36}%27(,%27[0-9a-f-]{36}%27)*\)$/,
    );
    assert.equal(n.organizationId, n.tenantId);
    const [validationToken] = body.validationTokens;
    const claims = verifyRs256(validationToken, () => signingPublicKey, {
      audience: APP_ID,
      now: Math.floor(graph.clock.now() / 1000),
    }).claims;
    assert.equal(claims.appid, '0bf30f3b-4a52-48df-9a82-234910c4a086');
  });

  test('with the richer form switched on, the whole presence is encrypted, sequence number included', async () => {
    graph.subscriptions.notificationContent = 'full';
    try {
      await subscribe(subscriber());
      tenant.setPresence(watched[3]!, { availability: 'DoNotDisturb', activity: 'Presenting' });
      await receiver.waitFor(1);
    } finally {
      graph.subscriptions.notificationContent = 'documented';
    }
    const presence = decryptResource<Record<string, unknown>>(
      receiver.received[0]!.body.value[0].encryptedContent,
      certificate.privateKey,
    );
    assert.equal(presence.availability, 'DoNotDisturb');
    assert.ok(presence.sequenceNumber);
    assert.ok('statusMessage' in presence && 'outOfOfficeSettings' in presence);
  });

  test('a tampered notification is detectable by its signature', async () => {
    await subscribe(subscriber());
    tenant.setPresence(watched[1]!, { availability: 'Away', activity: 'Away' });
    await receiver.waitFor(1);
    const content: EncryptedContent = receiver.received[0]!.body.value[0].encryptedContent;
    const bytes = Buffer.from(content.data, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    assert.throws(
      () => decryptResource({ ...content, data: bytes.toString('base64') }, certificate.privateKey),
      /tampered/,
    );
    const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.throws(() => decryptResource(content, wrongKey));
  });

  test('without includeResourceData, a notification carries only the id', async () => {
    await subscribe(subscriber(), {
      includeResourceData: false,
      encryptionCertificate: undefined,
      encryptionCertificateId: undefined,
    });
    tenant.setPresence(watched[2]!, { availability: 'Available', activity: 'Available' });
    await receiver.waitFor(1);
    const n = receiver.received[0]!.body.value[0];
    assert.equal(n.encryptedContent, undefined);
    assert.deepEqual(Object.keys(n.resourceData).sort(), ['@odata.id', '@odata.type', 'id']);
    assert.equal(receiver.received[0]!.body.validationTokens, undefined);
  });

  test('changes close together arrive in one batch, none dropped', async () => {
    await subscribe(subscriber());
    for (const id of watched) tenant.setPresence(id, { availability: 'Busy', activity: 'InAMeeting' });
    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    const ids = receiver.received.flatMap((d) =>
      d.body.value.map((n: { resourceData: { id: string } }) => n.resourceData.id),
    );
    assert.deepEqual(ids.sort(), [...watched].sort());
    assert.ok(receiver.received.length < watched.length, 'batched');
  });

  test('a failing receiver gets the notification again', async () => {
    await subscribe(subscriber());
    let calls = 0;
    receiver.reply = () => ({ status: ++calls === 1 ? 500 : 202 });
    tenant.setPresence(watched[3]!, { availability: 'Offline', activity: 'OffWork' });
    await receiver.waitFor(2);
    assert.deepEqual(receiver.received[0]!.body, receiver.received[1]!.body);
  });

  test('a receiver slower than the timeout gets the notification again', async () => {
    await subscribe(subscriber());
    let calls = 0;
    receiver.reply = () => (++calls === 1 ? { status: 202, delayMs: 700 } : { status: 202 });
    tenant.setPresence(watched[4]!, { availability: 'BeRightBack', activity: 'BeRightBack' });
    await receiver.waitFor(2, 5000);
    assert.ok(graph.subscriptions.deliveries.some((d) => d.status === 'timeout'));
  });

  test('an expired subscription delivers nothing and is gone', async () => {
    const user = subscriber();
    const created = await subscribe(user);
    graph.clock.advance(61 * 60_000);
    tenant.setPresence(watched[0]!, { availability: 'Available', activity: 'Available' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 0);
    assert.equal((await call(graph, 'GET', `/v1.0/subscriptions/${created.data.id}`, undefined, as(user))).status, 404);
  });

  test('renewal: PATCH extends up to 60 minutes from now, not beyond', async () => {
    const user = subscriber();
    const created = await subscribe(user);
    graph.clock.advance(50 * 60_000);
    const renewed = await call(
      graph,
      'PATCH',
      `/v1.0/subscriptions/${created.data.id}`,
      { expirationDateTime: inMinutes(59) },
      as(user),
    );
    assert.equal(renewed.status, 200);
    assert.ok(Math.abs(Date.parse(renewed.data.expirationDateTime) - Date.parse(inMinutes(59))) < 2_000);
    assert.equal(
      (
        await call(
          graph,
          'PATCH',
          `/v1.0/subscriptions/${created.data.id}`,
          { expirationDateTime: inMinutes(61) },
          as(user),
        )
      ).status,
      400,
    );
    graph.clock.advance(30 * 60_000);
    tenant.setPresence(watched[1]!, { availability: 'Busy', activity: 'Busy' });
    await receiver.waitFor(1);
  });

  test('reauthorizationRequired goes to the lifecycle URL; notifications wait for a PATCH with a fresh token', async () => {
    const user = subscriber();
    const created = await subscribe(user);
    await graph.subscriptions.requireReauthorization(created.data.id);
    const lifecycle = receiver.received.find((d) => d.url === '/lifecycle');
    assert.equal(lifecycle?.body.value[0].lifecycleEvent, 'reauthorizationRequired');
    tenant.setPresence(watched[2]!, { availability: 'DoNotDisturb', activity: 'Presenting' });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.received.filter((d) => d.url === '/notify').length, 0);
    await call(
      graph,
      'PATCH',
      `/v1.0/subscriptions/${created.data.id}`,
      { expirationDateTime: inMinutes(50) },
      token({ userId: user, scopes: ['Presence.Read.All'] }),
    );
    await receiver.waitFor(2);
    assert.equal(receiver.received.filter((d) => d.url === '/notify').length, 1);
  });

  test('subscriptionRemoved goes to the lifecycle URL and the subscription is gone', async () => {
    const user = subscriber();
    const created = await subscribe(user);
    await graph.subscriptions.removeByService(created.data.id);
    assert.equal(
      receiver.received.find((d) => d.url === '/lifecycle')?.body.value[0].lifecycleEvent,
      'subscriptionRemoved',
    );
    assert.equal((await call(graph, 'GET', `/v1.0/subscriptions/${created.data.id}`, undefined, as(user))).status, 404);
  });

  test('a lifecycle receiver that fails or is too slow gets the lifecycle notification again', async () => {
    const removed = await subscribe(subscriber());
    let calls = 0;
    receiver.reply = () => ({ status: ++calls === 1 ? 503 : 202 });
    await graph.subscriptions.removeByService(removed.data.id);
    await receiver.waitFor(2);
    assert.deepEqual(
      receiver.received.map((d) => d.url),
      ['/lifecycle', '/lifecycle'],
    );
    assert.deepEqual(receiver.received[0]!.body, receiver.received[1]!.body);
    assert.equal(receiver.received[1]!.body.value[0].lifecycleEvent, 'subscriptionRemoved');

    const reauthorize = await subscribe(subscriber());
    receiver.received.length = 0;
    calls = 0;
    receiver.reply = () => (++calls === 1 ? { status: 202, delayMs: 700 } : { status: 202 });
    await graph.subscriptions.requireReauthorization(reauthorize.data.id);
    await receiver.waitFor(2, 5000);
    assert.equal(receiver.received[1]!.body.value[0].lifecycleEvent, 'reauthorizationRequired');
    const attempts = graph.subscriptions.deliveries.filter(
      (d) => d.subscriptionId === reauthorize.data.id && d.kind === 'lifecycle',
    );
    assert.deepEqual(
      attempts.map((d) => [d.attempt, d.status]),
      [
        [1, 'timeout'],
        [2, 202],
      ],
    );
  });

  test('list, get and delete are limited to the owning application', async () => {
    const user = subscriber();
    const created = await subscribe(user);
    const listed = await call(graph, 'GET', '/v1.0/subscriptions', undefined, as(user));
    assert.ok(listed.data.value.some((s: { id: string }) => s.id === created.data.id));
    const otherApp = token({ appId: 'bbbbbbbb-0000-4000-8000-000000000009', scopes: ['Presence.Read.All'] });
    assert.equal((await call(graph, 'GET', `/v1.0/subscriptions/${created.data.id}`, undefined, otherApp)).status, 403);
    assert.equal(
      (await call(graph, 'DELETE', `/v1.0/subscriptions/${created.data.id}`, undefined, as(user))).status,
      204,
    );
    tenant.setPresence(watched[3]!, { availability: 'Away', activity: 'Away' });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(receiver.received.length, 0);
  });
});
