// The relay's core, as a plain Node server, against the local cloud: negotiate, watch, the webhook, decryption and
// fan-out through Azure SignalR Service, with the real SignalR client.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';
import { until } from '../until.js';

let cloud: Emulators;
let relay: Relay;
let certificate: CertificateAndKey;
const CLIENT_STATE = 'a-secret-the-relay-and-graph-share';
const connections: HubConnection[] = [];

const userToken = (userId: string, options: { audience?: string; lifetimeSeconds?: number } = {}) =>
  cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: options.audience ?? `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
    ...(options.lifetimeSeconds !== undefined ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
  });

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-tests', userCount: 100, teamSizes: [5, 50] },
    delivery: { batchWindowMs: 10 },
  });
  certificate = await makeCertificate('relay-notification-encryption');
  relay = new Relay({
    ...localRelayOptions(cloud, certificate, CLIENT_STATE, 'relay-cert-1'),
    allowedOrigins: ['http://localhost:8080'],
  });
  await relay.start();
});

after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await relay.stop();
  await cloud.stop();
});

async function connect(
  userId: string,
): Promise<{ connection: HubConnection; received: unknown[][]; resyncs: unknown[][] }> {
  const connection = new HubConnectionBuilder()
    .withUrl(`${relay.url}/api`, {
      accessTokenFactory: () => userToken(userId),
      transport: HttpTransportType.WebSockets,
    })
    .configureLogging(LogLevel.None)
    .build();
  const received: unknown[][] = [];
  const resyncs: unknown[][] = [];
  connection.on('presence', (list: unknown[]) => received.push(list));
  connection.on('resync', (ids: unknown[]) => resyncs.push(ids));
  await connection.start();
  connections.push(connection);
  return { connection, received, resyncs };
}

async function watch(userId: string, ids: string[]): Promise<number> {
  const res = await fetch(`${relay.url}/api/watch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${userToken(userId)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ids }),
  });
  return res.status;
}

describe('negotiate', () => {
  test('a user token for the relay gets a SignalR client token for that user', async () => {
    const user = cloud.tenant.users[1]!.id;
    const res = await fetch(`${relay.url}/api/negotiate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userToken(user)}`, origin: 'http://localhost:8080' },
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.url, `${cloud.signalr.url}/client/?hub=presence`);
    assert.equal(JSON.parse(Buffer.from(body.accessToken.split('.')[1], 'base64url').toString())['asrs.s.uid'], user);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:8080');
  });

  test('expired, wrong-audience, forged and missing tokens are refused', async () => {
    const user = cloud.tenant.users[1]!.id;
    const forged = userToken(user).replace(/\.[^.]+$/, '.AAAA');
    for (const token of [
      userToken(user, { lifetimeSeconds: -120 }),
      userToken(user, { audience: 'https://graph.microsoft.com' }),
      forged,
      '',
    ]) {
      const res = await fetch(`${relay.url}/api/negotiate`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      assert.equal(res.status, 401);
    }
  });
});

describe('from a Graph change to the watching user', () => {
  test('a presence change in Graph reaches the user who watches it, and nobody else', async () => {
    const [watcher, bystander, subscriber] = [
      cloud.tenant.users[2]!.id,
      cloud.tenant.users[3]!.id,
      cloud.tenant.users[4]!.id,
    ];
    const watched = cloud.tenant.users[10]!.id;
    const a = await connect(watcher);
    const b = await connect(bystander);
    assert.equal(await watch(watcher, [watched]), 200);
    assert.equal(await watch(bystander, [cloud.tenant.users[11]!.id]), 200);
    // A subscription as the relay makes them: delegated token of a signed-in user, rich notifications, encrypted.
    const graphToken = cloud.entra.issueToken({
      userId: subscriber,
      clientId: DEMO_RELAY_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['Presence.Read.All'],
    });
    const created = await fetch(`${cloud.graph.url}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'updated',
        resource: `/communications/presences?$filter=id in ('${watched}','${cloud.tenant.users[11]!.id}')`,
        notificationUrl: `${relay.url}/api/notifications`,
        lifecycleNotificationUrl: `${relay.url}/api/lifecycle`,
        expirationDateTime: new Date(Date.now() + 55 * 60_000).toISOString(),
        clientState: CLIENT_STATE,
        includeResourceData: true,
        encryptionCertificate: certificate.certBase64,
        encryptionCertificateId: 'relay-cert-1',
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    // As Graph sends them, notifications carry availability and activity only, without a sequence number: a relay
    // with no subscription owners to read Graph with does not push such a guess, it asks the watcher to re-read.
    cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
    await until(() => a.resyncs.length > 0, 'the watcher to be asked to re-read');
    assert.deepEqual(a.resyncs[0], [watched]);
    assert.equal(a.received.length, 0, 'no presence pushed without a sequence number');
    // Notifications that carry the whole presence with its sequence number are pushed as they are.
    cloud.graph.subscriptions.notificationContent = 'full';
    try {
      cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'Away' });
      await until(() => a.received.length > 0, 'the watcher to receive the change');
    } finally {
      cloud.graph.subscriptions.notificationContent = 'documented';
    }
    const [update] = a.received[0] as Array<{
      id: string;
      availability: string;
      activity: string;
      sequenceNumber: string;
    }>;
    assert.deepEqual([update!.id, update!.availability, update!.activity], [watched, 'Away', 'Away']);
    assert.ok(update!.sequenceNumber);
    await relay.idle();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(b.received.length + b.resyncs.length, 0, 'a user gets no update for ids they do not watch');
  });
});

describe('refusing what Graph did not send', () => {
  async function post(payload: unknown): Promise<number> {
    const res = await fetch(`${relay.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    await relay.idle();
    return res.status;
  }

  function notification(presence: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
    return {
      subscriptionId: 'sub-1',
      changeType: 'updated',
      clientState: CLIENT_STATE,
      resource: `communications/presences('${presence.id}')`,
      resourceData: { id: presence.id },
      encryptedContent: encryptResource(
        presence,
        new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
        'relay-cert-1',
      ),
      ...overrides,
    };
  }

  test('the handshake echoes the validation token as plain text', async () => {
    const res = await fetch(
      `${relay.url}/api/notifications?validationToken=${encodeURIComponent('Validation: abc 123')}`,
      { method: 'POST' },
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Validation: abc 123');
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  });

  test('forged (wrong clientState), tampered, replayed, or without a valid validation token', async () => {
    const id = cloud.tenant.users[20]!.id;
    const good = { id, availability: 'Available', activity: 'Available', sequenceNumber: '9000000000000000000001' };
    const validationTokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
    const before = { ...relay.stats };

    assert.equal(await post({ value: [notification(good)], validationTokens }), 202);
    assert.equal(relay.stats.received, before.received + 1, 'a genuine notification is accepted');

    await post({ value: [notification(good)], validationTokens });
    assert.equal(relay.stats.received, before.received + 1, 'a replay (same sequenceNumber) is dropped');

    await post({
      value: [notification({ ...good, sequenceNumber: '9000000000000000000002' }, { clientState: 'guess' })],
      validationTokens,
    });
    assert.match(relay.refusals.at(-1)!.reason, /clientState/);

    const tampered = notification({ ...good, sequenceNumber: '9000000000000000000003' });
    const bytes = Buffer.from(tampered.encryptedContent.data, 'base64');
    bytes[3] = bytes[3]! ^ 0xff;
    tampered.encryptedContent = { ...tampered.encryptedContent, data: bytes.toString('base64') };
    await post({ value: [tampered], validationTokens });
    assert.match(relay.refusals.at(-1)!.reason, /tampered/);

    await post({
      value: [notification({ ...good, sequenceNumber: '9000000000000000000004' })],
      validationTokens: ['not.a.token'],
    });
    assert.match(relay.refusals.at(-1)!.reason, /validation token/);

    await post({ value: [notification({ ...good, sequenceNumber: '9000000000000000000005' })] });
    assert.match(relay.refusals.at(-1)!.reason, /without validationTokens/);

    const otherApp = [cloud.entra.issueGraphValidationToken('11111111-1111-4111-8111-111111111111')];
    await post({
      value: [notification({ ...good, sequenceNumber: '9000000000000000000006' })],
      validationTokens: otherApp,
    });
    assert.match(relay.refusals.at(-1)!.reason, /audience/);
    assert.equal(relay.stats.received, before.received + 1, 'nothing refused was applied');
  });
});
