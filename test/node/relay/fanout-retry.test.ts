// Sending through Azure SignalR Service when it fails: throttled (429) or failing (5xx) sends are tried again, with
// backoff and Retry-After honoured; a send it refuses (400) is not; an older update is never sent after a newer one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;
const connections: HubConnection[] = [];
/**
 * The sends to one watching user, as the service's REST API sees them (only theirs: the relay may meanwhile tell
 * other users to read again what a re-made subscription covered).
 */
const sendsTo = (user: string) => ({
  service: 'signalr' as const,
  method: 'POST',
  path: `/api/v1/hubs/presence/users/${user}`,
});

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-fanout-retry', userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  relay = await startLocalRelay(cloud, { fanoutRetryDelaysMs: [100, 200, 400] });
});

after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await relay.stop();
  await cloud.stop();
});

async function watcher(userIndex: number, watchedIndex: number) {
  const [user, watched] = [cloud.tenant.users[userIndex]!.id, cloud.tenant.users[watchedIndex]!.id];
  const { connection, received } = await connectAs(cloud, relay.url, user);
  connections.push(connection);
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const seen = () =>
    received
      .flat()
      .filter((p) => p.id === watched)
      .map((p) => p.availability);
  return { user, watched, seen };
}

test('SignalR Service failing the first sends with 503: the update still arrives', async () => {
  const { user, watched, seen } = await watcher(0, 10);
  const before = { ...relay.stats };
  cloud.faults.add({ ...sendsTo(user), kind: 'status', status: 503, times: 2 });
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await until(() => seen().includes('Busy'), 'the update, after two failed sends');
  assert.equal(relay.stats.retried - before.retried, 2);
  assert.equal(relay.stats.failed, before.failed, 'nothing given up');
});

test('429 with Retry-After: the retry waits as long as the service asks', async () => {
  const { user, watched, seen } = await watcher(1, 11);
  cloud.faults.add({ ...sendsTo(user), kind: 'status', status: 429, retryAfter: 1, times: 1 });
  const started = Date.now();
  cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'Away' });
  await until(() => seen().includes('Away'), 'the update, after the throttled send');
  assert.ok(Date.now() - started >= 1000, `sent again after Retry-After (${Date.now() - started} ms)`);
});

test('a 400 is not retried: counted as failed, and the next update goes through', async () => {
  const { user, watched, seen } = await watcher(2, 12);
  const before = { ...relay.stats };
  const fault = cloud.faults.add({ ...sendsTo(user), kind: 'status', status: 400 });
  cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await until(() => relay.stats.failed > before.failed, 'the refused send counted');
  await new Promise((r) => setTimeout(r, 800));
  await relay.idle();
  cloud.faults.clear(fault.id);
  assert.equal(relay.stats.retried, before.retried, 'not tried again');
  assert.equal(relay.stats.failed - before.failed, 1);
  assert.deepEqual(seen(), []);
  cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
  await until(() => seen().includes('Available'), 'the next update');
});

test('a retried update is dropped when a newer one for the same person went out meanwhile', async () => {
  const { user, watched, seen } = await watcher(3, 13);
  const before = { ...relay.stats };
  // The first send waits a second before it is tried again; the newer update is sent in between.
  cloud.faults.add({ ...sendsTo(user), kind: 'status', status: 503, retryAfter: 1, times: 1 });
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InAMeeting' });
  await until(() => cloud.faults.list().length === 0, 'the first send to fail');
  cloud.tenant.setPresence(watched, { availability: 'BeRightBack', activity: 'BeRightBack' });
  await until(() => seen().includes('BeRightBack'), 'the newer update');
  await until(() => relay.stats.superseded > before.superseded, 'the older retry dropped', 4000);
  await relay.idle();
  assert.deepEqual(seen(), ['BeRightBack'], 'the older update never arrives after the newer one');
});

test('a slow SignalR Service does not delay the acknowledgement: Graph sees one 202 in time and never redelivers', async () => {
  const { user, watched, seen } = await watcher(4, 14);
  const sub = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!.id;
  // Each send to the user takes longer than Graph's whole 3-second wait.
  const fault = cloud.faults.add({ ...sendsTo(user), kind: 'latency', latencyMs: 3_500, times: 1 });
  const from = cloud.graph.subscriptions.deliveries.length;
  cloud.tenant.setPresence(watched, { availability: 'BeRightBack', activity: 'BeRightBack' });
  await until(() => seen().includes('BeRightBack'), 'the update, through the slow send', 10_000);
  cloud.faults.clear(fault.id);
  const deliveries = cloud.graph.subscriptions.deliveries
    .slice(from)
    .filter((d) => d.subscriptionId === sub && d.kind === 'notification');
  assert.equal(deliveries.length, 1, `one delivery, no redelivery: ${JSON.stringify(deliveries)}`);
  assert.equal(deliveries[0]!.status, 202);
});
