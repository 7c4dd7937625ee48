// One user, several pages: each page (session) says what it watches without undoing what the others watch; a page
// that ends says so, and one that goes away silently stops costing subscriptions once its lease lapses. Sessions
// and their leases survive a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { MAX_SESSIONS_PER_USER } from '../../../relay/src/watchers.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { connectAs, freePort, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
const running = new Set<Relay>();
const connections: HubConnection[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-sessions', userCount: 60, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-sessions');
  dir = mkdtempSync(join(tmpdir(), 'relay-sessions-'));
});

after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await Promise.all([...running].map((r) => r.stop()));
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(name: string, port?: number): Promise<Relay> {
  const relay = await startLocalRelay(cloud, {
    ...(port ? { port } : {}),
    certificate,
    store: new FileStore(join(dir, `${name}.json`)),
    renewalCheckMs: 3_600_000,
  });
  running.add(relay);
  return relay;
}

async function stop(relay: Relay): Promise<void> {
  running.delete(relay);
  await relay.stop();
}

const user = (n: number) => cloud.tenant.users[n]!.id;
/** The ids a relay's subscriptions in Graph cover. */
const subscribedIds = (relay: Relay) =>
  relaySubscriptions(cloud)
    .filter((s) => s.notificationUrl.startsWith(relay.url))
    .flatMap((s) => [...s.ids])
    .sort();

test("two pages of one user: the second page's list does not remove what the first watches", async () => {
  const relay = await start('two-pages');
  const [me, a, b] = [user(0), user(10), user(11)];
  const { connection, received } = await connectAs(cloud, relay.url, me);
  connections.push(connection);
  assert.equal((await watchAt(cloud, relay.url, me, [a], 'page-a')).status, 200);
  const second = await watchAt(cloud, relay.url, me, [b], 'page-b');
  assert.equal(second.status, 200);
  assert.equal(second.body.leaseSeconds, 30 * 60, 'the answer says how long the watch lasts');
  assert.deepEqual(relay.watchers.ids().sort(), [a, b].sort());
  cloud.tenant.setPresence(a, { availability: 'Busy', activity: 'InACall' });
  await until(
    () => received.flat().some((p) => p.id === a && p.availability === 'Busy'),
    "the first page's person, updated",
  );
  await stop(relay);
});

test("a page that stops (an empty list) lets go of its ids; the other page's remain", async () => {
  const relay = await start('stopping');
  const [me, a, b, both] = [user(1), user(12), user(13), user(14)];
  await watchAt(cloud, relay.url, me, [a, both], 'page-a');
  await watchAt(cloud, relay.url, me, [b, both], 'page-b');
  const { connection, received } = await connectAs(cloud, relay.url, me);
  connections.push(connection);
  const ended = await watchAt(cloud, relay.url, me, [], 'page-a');
  assert.equal(ended.status, 200);
  assert.equal(ended.body.removed, 1, 'only what no other page watches');
  assert.deepEqual(relay.watchers.ids().sort(), [b, both].sort());
  cloud.tenant.setPresence(both, { availability: 'Away', activity: 'Away' });
  await until(
    () => received.flat().some((p) => p.id === both && p.availability === 'Away'),
    'the id both pages watched, still sent',
  );
  await watchAt(cloud, relay.url, me, [], 'page-b');
  assert.deepEqual(relay.watchers.ids(), []);
  await until(() => subscribedIds(relay).length === 0, 'the subscriptions deleted once nobody watches');
  await stop(relay);
});

test("a lease that lapses ends the page's watch, and the keeper deletes the subscription nobody needs", async () => {
  const relay = await start('lapsing');
  const [me, gone] = [user(2), user(15)];
  await watchAt(cloud, relay.url, me, [gone], 'page-that-closes-silently');
  assert.deepEqual(subscribedIds(relay), [gone]);
  cloud.graph.clock.advance(20 * 60_000);
  await relay.expireLeases();
  assert.deepEqual(relay.watchers.ids(), [gone], 'still within its lease');
  cloud.graph.clock.advance(11 * 60_000);
  await relay.expireLeases();
  assert.deepEqual(relay.watchers.ids(), [], 'the lease lapsed');
  assert.equal(relay.stats.leasesExpired, 1);
  await until(() => subscribedIds(relay).length === 0, 'the subscription deleted in Graph');
  await stop(relay);
});

test('a page that renews keeps watching past its first lease', async () => {
  const relay = await start('renewing');
  const [me, kept] = [user(3), user(16)];
  for (let minutes = 0; minutes < 60; minutes += 15) {
    await watchAt(cloud, relay.url, me, [kept], 'page-that-renews');
    cloud.graph.clock.advance(15 * 60_000);
    await relay.expireLeases();
  }
  assert.deepEqual(relay.watchers.ids(), [kept]);
  assert.deepEqual(subscribedIds(relay), [kept]);
  await watchAt(cloud, relay.url, me, [], 'page-that-renews');
  await stop(relay);
});

test(`at most ${MAX_SESSIONS_PER_USER} pages per user: the one whose lease ends first goes`, async () => {
  const relay = await start('capped');
  const me = user(4);
  const ids = Array.from({ length: MAX_SESSIONS_PER_USER + 1 }, (_, n) => user(20 + n));
  for (let n = 0; n <= MAX_SESSIONS_PER_USER; n++) {
    await watchAt(cloud, relay.url, me, [ids[n]!], `page-${n}`);
    cloud.graph.clock.advance(1000);
  }
  assert.equal(Object.keys(relay.watchers.sessionsOf(me)).length, MAX_SESSIONS_PER_USER);
  assert.ok(!relay.watchers.ids().includes(ids[0]!), "the oldest page's watch ended");
  assert.ok(relay.watchers.ids().includes(ids[MAX_SESSIONS_PER_USER]!));
  for (let n = 0; n <= MAX_SESSIONS_PER_USER; n++) await watchAt(cloud, relay.url, me, [], `page-${n}`);
  await stop(relay);
});

test('sessions and their leases survive a restart (file store); lists stored in the earlier form still load', async () => {
  const port = await freePort();
  let relay = await start('restart', port);
  const [me, other, a, b, c] = [user(5), user(6), user(17), user(18), user(19)];
  await watchAt(cloud, relay.url, me, [a], 'page-a');
  cloud.graph.clock.advance(10 * 60_000);
  await watchAt(cloud, relay.url, me, [b], 'page-b');
  const before = relay.watchers.snapshot();
  await stop(relay);

  relay = await start('restart', port);
  assert.deepEqual(relay.watchers.snapshot(), before, "each page's ids and lease end, as they were");
  // page-a's lease (made 10 minutes earlier) lapses first.
  cloud.graph.clock.advance(21 * 60_000);
  await relay.expireLeases();
  assert.deepEqual(relay.watchers.ids(), [b]);
  assert.ok(subscribedIds(relay).includes(b), 'page-b still covered');
  // And page-b's, ten minutes later; with nobody watching, the subscription goes.
  cloud.graph.clock.advance(10 * 60_000);
  await relay.expireLeases();
  assert.deepEqual(relay.watchers.ids(), []);
  await until(() => subscribedIds(relay).length === 0, 'the subscription deleted once both leases lapsed');
  await stop(relay);

  // A state file from before sessions: one list per user.
  const path = join(dir, 'restart.json');
  const stored = JSON.parse(readFileSync(path, 'utf8'));
  delete stored.sessions;
  stored.watchers = { [other]: [c] };
  writeFileSync(path, JSON.stringify(stored));
  relay = await start('restart', port);
  assert.deepEqual(relay.watchers.ids(), [c]);
  assert.deepEqual(Object.keys(relay.watchers.sessionsOf(other)), [''], "as the user's session without an id");
  const lease = relay.watchers.sessionsOf(other)['']!.expiresAt - cloud.graph.clock.now();
  assert.ok(lease > 29 * 60_000 && lease <= 30 * 60_000, `with a fresh lease (${lease} ms)`);
  // The same user's default session is what a request without `session` replaces.
  await watchAt(cloud, relay.url, other, []);
  assert.deepEqual(relay.watchers.ids(), []);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).watchers, undefined, 'stored in the new form from then on');
  await stop(relay);
});
