// The relay's Azure Functions handlers, called as the Functions host calls them, against the local cloud.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import functions from '@azure/functions';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { createHandlers, queueMessages, type RelayHandlers } from '../../../relay/functions/src/handlers.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';

const { HttpRequest, InvocationContext } = functions;
let cloud: Emulators;
let certificate: CertificateAndKey;
let relay: Relay;
let handlers: RelayHandlers;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'functions', userCount: 30, teamSizes: [5] } });
  certificate = await makeCertificate('functions-relay');
  relay = new Relay({
    ...localRelayOptions(cloud, certificate, 'functions-secret', 'cert'),
    allowedOrigins: ['https://intranet.contoso.example'],
  });
  handlers = createHandlers(relay);
});
after(() => cloud.stop());

const token = (userId: string) =>
  cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });
const request = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new HttpRequest({
    method: init.method ?? 'POST',
    url,
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
  });

test('negotiate and watch as HTTP functions, with CORS', async () => {
  const user = cloud.tenant.users[0]!.id;
  const ok = await handlers.negotiate(
    request('http://func/api/negotiate', {
      headers: { authorization: `Bearer ${token(user)}`, origin: 'https://intranet.contoso.example' },
    }),
  );
  assert.equal(ok.status, 200);
  assert.equal((ok.jsonBody as { url: string }).url, `${cloud.signalr.url}/client/?hub=presence`);
  assert.equal(
    (ok.headers as Record<string, string>)['access-control-allow-origin'],
    'https://intranet.contoso.example',
  );
  assert.equal((await handlers.negotiate(request('http://func/api/negotiate'))).status, 401);
  const watched = await handlers.watch(
    request('http://func/api/watch', {
      headers: { authorization: `Bearer ${token(user)}` },
      body: JSON.stringify({ ids: [cloud.tenant.users[4]!.id] }),
    }),
  );
  assert.equal(watched.status, 200);
});

test('the webhook handshake answers the validation token as text', async () => {
  const reply = await handlers.notifications(
    request(`http://func/api/notifications?validationToken=${encodeURIComponent('Validation: 42')}`),
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'Validation: 42');
});

test('Event Hubs delivery reaches the watcher; reachability probes are ignored', async () => {
  const user = cloud.tenant.users[1]!.id;
  const watched = cloud.tenant.users[5]!.id;
  const negotiated = (
    await handlers.negotiate(
      request('http://func/api/negotiate', { headers: { authorization: `Bearer ${token(user)}` } }),
    )
  ).jsonBody as { url: string; accessToken: string };
  const hub = new HubConnectionBuilder()
    .withUrl(negotiated.url, {
      accessTokenFactory: () => negotiated.accessToken,
      transport: HttpTransportType.WebSockets,
    })
    .configureLogging(LogLevel.None)
    .build();
  const received: unknown[][] = [];
  hub.on('presence', (list: unknown[]) => received.push(list));
  await hub.start();
  try {
    await handlers.watch(
      request('http://func/api/watch', {
        headers: { authorization: `Bearer ${token(user)}` },
        body: JSON.stringify({ ids: [watched] }),
      }),
    );
    const presence = {
      id: watched,
      availability: 'Busy',
      activity: 'InACall',
      sequenceNumber: '0000000000000000000042',
    };
    const notification = {
      subscriptionId: 's',
      changeType: 'updated',
      clientState: 'functions-secret',
      resourceData: { id: watched },
      encryptedContent: encryptResource(
        presence,
        new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
        'cert',
      ),
    };
    const probe = JSON.stringify({
      value: [{ changeType: 'Validation: Testing client application reachability for subscription Request-Id: 1' }],
    });
    const refusedBefore = relay.stats.refused;
    // Graph sends no validation tokens through Event Hubs (the hub's access control vouches for the sender).
    await handlers.eventHub([probe, JSON.stringify({ value: [notification] })]);
    for (const end = Date.now() + 5000; received.length === 0 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal((received[0]?.[0] as { availability?: string } | undefined)?.availability, 'Busy');
    assert.equal(relay.stats.refused, refusedBefore, 'the probe was not treated as a notification');
  } finally {
    await hub.stop();
  }
});

test('the renewal timer ends watch sessions whose page went away without saying so', async () => {
  let now = Date.now();
  const timed = new Relay({
    ...localRelayOptions(cloud, certificate, 'functions-secret', 'cert'),
    watchLeaseSeconds: 60,
    now: () => now,
  });
  const timedHandlers = createHandlers(timed);
  const user = cloud.tenant.users[2]!.id;
  const [kept, left] = [cloud.tenant.users[6]!.id, cloud.tenant.users[7]!.id];
  const watch = (ids: string[], session: string) =>
    timedHandlers.watch(
      request('http://func/api/watch', {
        headers: { authorization: `Bearer ${token(user)}` },
        body: JSON.stringify({ ids, session }),
      }),
    );
  assert.equal((await watch([left], 'closed-tab')).status, 200);
  now += 40_000;
  assert.equal((await watch([kept], 'open-tab')).status, 200);
  await timedHandlers.renew();
  assert.deepEqual([...timed.watchers.ids()].sort(), [kept, left].sort(), 'both leases still run');
  // The closed tab's lease lapses; the open tab's, renewed later, does not.
  now += 30_000;
  await timedHandlers.renew();
  assert.deepEqual([...timed.watchers.ids()], [kept]);
  assert.equal(timed.stats.leasesExpired, 1);
  await timed.stop();
});

describe('with a notification queue', () => {
  const queue = functions.output.storageQueue({ queueName: 'graph-notifications', connection: 'AzureWebJobsStorage' });
  const encrypted = (id: string, availability: string, sequence: number, clientState = 'functions-secret') => ({
    subscriptionId: 's',
    changeType: 'updated',
    clientState,
    resourceData: { id },
    encryptedContent: encryptResource(
      { id, availability, activity: availability, sequenceNumber: String(sequence).padStart(22, '0') },
      new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
      'cert',
    ),
  });
  const post = (
    handler: RelayHandlers['notifications'],
    body: unknown,
    context: InstanceType<typeof InvocationContext>,
  ) => handler(request('http://func/api/notifications', { body: JSON.stringify(body) }), context);

  test('the webhook answers 202 with nothing done yet; the queued collection, processed after, reaches the watcher', async () => {
    const queued = createHandlers(relay, undefined, { queue });
    const user = cloud.tenant.users[3]!.id;
    const watched = cloud.tenant.users[8]!.id;
    const negotiated = (
      await queued.negotiate(
        request('http://func/api/negotiate', { headers: { authorization: `Bearer ${token(user)}` } }),
      )
    ).jsonBody as { url: string; accessToken: string };
    const hub = new HubConnectionBuilder()
      .withUrl(negotiated.url, {
        accessTokenFactory: () => negotiated.accessToken,
        transport: HttpTransportType.WebSockets,
      })
      .configureLogging(LogLevel.None)
      .build();
    const received: Array<Array<{ availability?: string }>> = [];
    hub.on('presence', (list: Array<{ availability?: string }>) => received.push(list));
    await hub.start();
    try {
      await queued.watch(
        request('http://func/api/watch', {
          headers: { authorization: `Bearer ${token(user)}` },
          body: JSON.stringify({ ids: [watched] }),
        }),
      );
      const before = relay.stats.received;
      const context = new InvocationContext();
      const reply = await post(
        queued.notifications,
        {
          value: [encrypted(watched, 'Away', 77)],
          validationTokens: [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)],
        },
        context,
      );
      assert.equal(reply.status, 202);
      assert.equal(relay.stats.received, before, 'nothing decrypted before the answer');
      const messages = context.extraOutputs.get(queue) as string[];
      assert.equal(messages.length, 1);
      await queued.queued(messages[0], new InvocationContext());
      for (const end = Date.now() + 5000; received.length === 0 && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(received[0]?.[0]?.availability, 'Away');
      // A message that is not a collection is skipped, not retried into the poison queue.
      await queued.queued('not json', new InvocationContext());
      await queued.queued({ kind: 'other' }, new InvocationContext());
    } finally {
      await hub.stop();
    }
  });

  test('a notification with a wrong clientState is refused at once and never queued', async () => {
    const queued = createHandlers(relay, undefined, { queue });
    const refused = relay.stats.refused;
    const context = new InvocationContext();
    const reply = await post(
      queued.notifications,
      { value: [encrypted(cloud.tenant.users[9]!.id, 'Busy', 5, 'forged')], validationTokens: [] },
      context,
    );
    assert.equal(reply.status, 202);
    assert.equal(context.extraOutputs.get(queue), undefined);
    assert.equal(relay.stats.refused, refused + 1);
  });

  test('a large collection is cut into queue messages under 64 KB, each with the validation tokens, none lost', () => {
    const tokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
    const value = Array.from({ length: 120 }, (_, n) =>
      encrypted(cloud.tenant.users[n % 30]!.id, 'Available', 1000 + n),
    );
    const messages = queueMessages('notifications', { value, validationTokens: tokens });
    assert.ok(messages.length > 1, `${messages.length} messages`);
    const parsed = messages.map(
      (m) => JSON.parse(m) as { kind: string; payload: { value: unknown[]; validationTokens: string[] } },
    );
    for (const [n, m] of messages.entries()) {
      assert.ok(
        Buffer.byteLength(Buffer.from(m).toString('base64')) < 64 * 1024,
        `message ${n}: ${m.length} characters`,
      );
      assert.deepEqual(parsed[n]!.payload.validationTokens, tokens);
      assert.equal(parsed[n]!.kind, 'notifications');
    }
    assert.deepEqual(
      parsed.flatMap((m) => m.payload.value),
      value,
    );
  });
});
