// The relay's Azure Functions handlers, called as the Functions host calls them, against the local cloud.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { createHandlers, type RelayHandlers } from '../../../relay/functions/src/handlers.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';

const { HttpRequest } = functions;
let cloud: Emulators;
let certificate: CertificateAndKey;
let relay: Relay;
let handlers: RelayHandlers;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'functions', userCount: 30, teamSizes: [5] } });
  certificate = await makeCertificate('functions-relay');
  relay = new Relay(localRelayOptions(cloud, certificate, 'functions-secret', 'cert'));
  handlers = createHandlers(relay);
});
after(() => cloud.stop());

const token = (userId: string) => cloud.entra.issueToken({ userId, clientId: DEMO_SPA_CLIENT_ID, audience: `api://${DEMO_RELAY_CLIENT_ID}`, scopes: ['access_as_user'] });
const request = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new HttpRequest({ method: init.method ?? 'POST', url, headers: init.headers ?? {}, ...(init.body !== undefined ? { body: { string: init.body } } : {}) });

test('negotiate and watch as HTTP functions, with CORS', async () => {
  const user = cloud.tenant.users[0]!.id;
  const ok = await handlers.negotiate(request('http://func/api/negotiate', { headers: { authorization: `Bearer ${token(user)}`, origin: 'https://intranet.contoso.example' } }));
  assert.equal(ok.status, 200);
  assert.equal((ok.jsonBody as { url: string }).url, `${cloud.signalr.url}/client/?hub=presence`);
  assert.equal((ok.headers as Record<string, string>)['access-control-allow-origin'], 'https://intranet.contoso.example');
  assert.equal((await handlers.negotiate(request('http://func/api/negotiate'))).status, 401);
  const watched = await handlers.watch(request('http://func/api/watch', { headers: { authorization: `Bearer ${token(user)}` }, body: JSON.stringify({ ids: [cloud.tenant.users[4]!.id] }) }));
  assert.equal(watched.status, 200);
});

test('the webhook handshake answers the validation token as text', async () => {
  const reply = await handlers.notifications(request(`http://func/api/notifications?validationToken=${encodeURIComponent('Validation: 42')}`));
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'Validation: 42');
});

test('Event Hubs delivery reaches the watcher; reachability probes are ignored', async () => {
  const user = cloud.tenant.users[1]!.id;
  const watched = cloud.tenant.users[5]!.id;
  const negotiated = (await handlers.negotiate(request('http://func/api/negotiate', { headers: { authorization: `Bearer ${token(user)}` } }))).jsonBody as { url: string; accessToken: string };
  const hub = new HubConnectionBuilder().withUrl(negotiated.url, { accessTokenFactory: () => negotiated.accessToken, transport: HttpTransportType.WebSockets }).configureLogging(LogLevel.None).build();
  const received: unknown[][] = [];
  hub.on('presence', (list: unknown[]) => received.push(list));
  await hub.start();
  try {
    await handlers.watch(request('http://func/api/watch', { headers: { authorization: `Bearer ${token(user)}` }, body: JSON.stringify({ ids: [watched] }) }));
    const presence = { id: watched, availability: 'Busy', activity: 'InACall', sequenceNumber: '0000000000000000000042' };
    const notification = {
      subscriptionId: 's',
      changeType: 'updated',
      clientState: 'functions-secret',
      resourceData: { id: watched },
      encryptedContent: encryptResource(presence, new X509Certificate(Buffer.from(certificate.certBase64, 'base64')), 'cert'),
    };
    const probe = JSON.stringify({ value: [{ changeType: 'Validation: Testing client application reachability for subscription Request-Id: 1' }] });
    const refusedBefore = relay.stats.refused;
    await handlers.eventHub([probe, JSON.stringify({ value: [notification], validationTokens: [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)] })]);
    for (const end = Date.now() + 5000; received.length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    assert.equal((received[0]?.[0] as { availability?: string } | undefined)?.availability, 'Busy');
    assert.equal(relay.stats.refused, refusedBefore, 'the probe was not treated as a notification');
  } finally {
    await hub.stop();
  }
});

test('the renewal timer ends watch sessions whose page went away without saying so', async () => {
  let now = Date.now();
  const timed = new Relay({ ...localRelayOptions(cloud, certificate, 'functions-secret', 'cert'), watchLeaseSeconds: 60, now: () => now });
  const timedHandlers = createHandlers(timed);
  const user = cloud.tenant.users[2]!.id;
  const [kept, left] = [cloud.tenant.users[6]!.id, cloud.tenant.users[7]!.id];
  const watch = (ids: string[], session: string) =>
    timedHandlers.watch(request('http://func/api/watch', { headers: { authorization: `Bearer ${token(user)}` }, body: JSON.stringify({ ids, session }) }));
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
