// The relay keeps Graph presence subscriptions itself: made on behalf of signed-in users, sharded by 650 ids, one
// per owner, renewed on time, kept across a restart, deleted when nobody watches.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { FileStore } from '../../../relay/src/store.js';
import { SubscriptionKeeper } from '../../../relay/src/subscriptions.js';
import { until } from '../until.js';
import { relayBroker } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
let relay: Relay;
let keeper: SubscriptionKeeper;
let log: MemoryLogger;
let port = 0;
const CLIENT_STATE = 'kept-by-the-relay';
const hubs: HubConnection[] = [];

async function startRelay(): Promise<void> {
  keeper = new SubscriptionKeeper({
    graphBaseUrl: cloud.graph.url,
    broker: relayBroker(cloud, () => cloud.graph.clock.now()),
    store: new FileStore(join(dir, 'relay-state.json')),
    notificationUrl: `http://127.0.0.1:${port}/api/notifications`,
    lifecycleNotificationUrl: `http://127.0.0.1:${port}/api/lifecycle`,
    clientState: CLIENT_STATE,
    certificate: { id: 'cert-1', base64: certificate.certBase64 },
    now: () => cloud.graph.clock.now(),
    logger: (log = new MemoryLogger(10_000)),
  });
  relay = new Relay({
    port,
    clientId: DEMO_RELAY_CLIENT_ID,
    issuers: cloud.entra.issuers,
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    clientState: CLIENT_STATE,
    encryptionKeys: [{ id: 'cert-1', privateKey: certificate.privateKey }],
    keeper,
    renewalCheckMs: 3_600_000,
  });
  await relay.start();
}

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'keeper', userCount: 800, teamSizes: [5, 50] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-keeper');
  dir = mkdtempSync(join(tmpdir(), 'relay-store-'));
  // A fixed port: Graph's subscriptions point at it, across the relay's restart.
  const probe = await import('node:net').then(
    ({ createServer }) =>
      new Promise<number>((r) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => r(p));
        });
      }),
  );
  port = probe;
  await startRelay();
});

after(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
  await relay.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

const relayToken = (userId: string) =>
  cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });

async function watch(userId: string, ids: string[]): Promise<void> {
  const res = await fetch(`${relay.url}/api/watch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relayToken(userId)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ids }),
  });
  assert.equal(res.status, 200);
}

async function connect(userId: string): Promise<unknown[][]> {
  const hub = new HubConnectionBuilder()
    .withUrl(`http://127.0.0.1:${port}/api`, {
      accessTokenFactory: () => relayToken(userId),
      transport: HttpTransportType.WebSockets,
    })
    .configureLogging(LogLevel.None)
    .build();
  const received: unknown[][] = [];
  hub.on('presence', (list: unknown[]) => received.push(list));
  await hub.start();
  hubs.push(hub);
  return received;
}

const graphSubscriptions = () =>
  cloud.graph.subscriptions.describe().filter((s) => s.applicationId === DEMO_RELAY_CLIENT_ID);

test("watching makes the relay subscribe on the user's behalf, and changes flow to the watcher", async () => {
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[100]!.id;
  const received = await connect(user);
  await watch(user, [watched]);
  await until(() => graphSubscriptions().length === 1, 'a subscription in Graph');
  const [sub] = graphSubscriptions();
  assert.equal(sub!.creatorId, user, 'owned by the signed-in user (delegated)');
  assert.equal(sub!.includeResourceData, true);
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InAMeeting' });
  await until(() => received.length > 0, 'the change at the watcher');
  assert.equal((received[0]![0] as { availability: string }).availability, 'Busy');
});

test('renewal happens on time: after 75 minutes the subscription still delivers', async () => {
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[100]!.id;
  const received = await connect(user);
  const [before] = graphSubscriptions();
  // The page renews its watch every 15 minutes, well within its 30-minute lease.
  const pass = async (minutes: number) => {
    for (let m = 0; m < minutes; m += 15) {
      cloud.graph.clock.advance(15 * 60_000);
      await watch(user, [watched]);
    }
  };
  await pass(45);
  await keeper.tick();
  const [after] = graphSubscriptions();
  assert.equal(after!.id, before!.id, 'renewed, not re-created');
  assert.ok(Date.parse(after!.expiresAt) - cloud.graph.clock.now() > 50 * 60_000, 'expires about 55 minutes from now');
  await pass(30);
  cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'Away' });
  await until(
    () => received.some((list) => (list[0] as { availability: string }).availability === 'Away'),
    'a change 75 minutes after creation',
  );
});

test('a relay restart mid-stream loses nothing and keeps the same subscription', async () => {
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[100]!.id;
  const [before] = graphSubscriptions();
  await relay.stop();
  // While the relay is down, Graph cannot deliver; it tries again.
  cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await new Promise((r) => setTimeout(r, 300));
  await startRelay();
  assert.deepEqual(relay.watchers.ids(), [watched], 'the restarted relay remembers who watches what');
  const received = await connect(user);
  await until(
    () => received.some((list) => (list[0] as { availability: string }).availability === 'DoNotDisturb'),
    'the change made while the relay was down',
  );
  assert.deepEqual(
    graphSubscriptions().map((s) => s.id),
    [before!.id],
    'the stored subscription was kept, not duplicated',
  );
});

test('650 ids per subscription, one subscription per owner; nobody watching, no subscription', async () => {
  const [a, b] = [cloud.tenant.users[1]!.id, cloud.tenant.users[2]!.id];
  const ids = cloud.tenant.users.slice(100, 751).map((u) => u.id);
  await watch(a, ids.slice(0, 400));
  await watch(b, ids.slice(300));
  await until(
    () => graphSubscriptions().length === 2 && graphSubscriptions().reduce((n, s) => n + s.ids, 0) === 651,
    'two shards covering 651 ids',
  );
  assert.deepEqual(
    graphSubscriptions()
      .map((s) => s.ids)
      .sort((x, y) => x - y),
    [1, 650],
  );
  assert.equal(new Set(graphSubscriptions().map((s) => s.creatorId)).size, 2, 'each owner has one');
  for (const user of [cloud.tenant.users[0]!.id, a, b]) await watch(user, []);
  await until(() => graphSubscriptions().length === 0, 'every subscription deleted');
});

test('a watch is answered once Graph covers it, and growing a subscription never uncovers what it covered', async () => {
  const [first, second] = [cloud.tenant.users[3]!.id, cloud.tenant.users[4]!.id];
  const [a, b] = [cloud.tenant.users[760]!.id, cloud.tenant.users[761]!.id];
  const covers = (id: string) =>
    keeper.subscriptions().some((s) => s.ids.includes(id)) && graphSubscriptions().length > 0;
  const ask = async (userId: string, ids: string[]) => {
    const res = await fetch(`${relay.url}/api/watch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${relayToken(userId)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    return (await res.json()) as { covered: boolean };
  };
  assert.equal((await ask(first, [a])).covered, true);
  assert.ok(covers(a), 'covered when the answer comes, not later');
  const [old] = graphSubscriptions();
  const logFrom = log.lines.length;
  assert.equal((await ask(second, [b])).covered, true);
  assert.ok(covers(a) && covers(b));
  const [grown] = graphSubscriptions();
  assert.notEqual(grown!.id, old!.id, 'Graph cannot change a resource: a new subscription replaces the old');
  assert.equal(grown!.ids, 2);
  assert.notEqual(grown!.creatorId, old!.creatorId, 'made by a free owner (Graph allows one subscription per owner)');
  const steps = log.lines.slice(logFrom);
  const made = steps.findIndex((line) => line.startsWith(`created ${grown!.id}`));
  const dropped = steps.findIndex((line) => line === `deleted ${old!.id}`);
  assert.ok(made >= 0 && dropped > made, `made before the old one was deleted: ${steps.join(' | ')}`);
  // A change Graph still held for the old subscription ends with it: whoever watches its ids reads them again.
  assert.ok(
    steps.some((line) => line === 'coverage: 0 ids lost, 1 regained'),
    `the old subscription's ids are read again: ${steps.join(' | ')}`,
  );
  for (const user of [first, second]) await ask(user, []);
  await until(() => graphSubscriptions().length === 0, 'every subscription deleted');
});
