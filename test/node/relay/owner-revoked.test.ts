// A shard owner whose sessions are revoked: once Graph asks for reauthorisation and the refresh is refused, the
// shard moves at once to another signed-in owner; with no other owner, its people are reported uncovered (the watch
// answer and a `coverage` message to the pages watching them, which then poll them). When the owner signs in again,
// their next watch makes them an owner again and the people are covered (and the pages told) again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-owner-revoked', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
});
after(async () => {
  await cloud.stop();
});

async function revoke(userId: string): Promise<void> {
  const res = await fetch(`${cloud.control.url}/sessions/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: userId }),
  });
  assert.equal(res.status, 200);
}

/** A presence change made now reaches the relay. */
async function flows(id: string, availability: string): Promise<void> {
  const received = relay.stats.received;
  cloud.tenant.setPresence(id, { availability, activity: availability });
  await until(() => relay.stats.received > received, `the ${availability} change at the relay`);
}

test('the shard of an owner whose sessions were revoked moves at once to another signed-in owner', async (t) => {
  // Each test has a relay of its own, so the owners it knows are the test's.
  relay = await startLocalRelay(cloud, { renewalCheckMs: 3_600_000 });
  const [first, second] = [cloud.tenant.users[0]!.id, cloud.tenant.users[1]!.id];
  const watched = cloud.tenant.users.slice(20, 25).map((u) => u.id);
  assert.equal((await watchAt(cloud, relay.url, first, watched)).body.covered, true);
  assert.equal((await watchAt(cloud, relay.url, second, watched)).body.covered, true);
  const [sub] = relaySubscriptions(cloud);
  assert.ok(sub);
  const owner = sub.creatorId;
  const other = owner === first ? second : first;
  const page = await connectAs(cloud, relay.url, other);
  const coverage: Array<{ uncovered: string[]; covered: string[] }> = [];
  page.connection.on('coverage', (message) => coverage.push(message));
  try {
    cloud.graph.clock.advance(2_000);
    await revoke(owner);
    const askedAt = Date.now();
    await cloud.graph.subscriptions.requireReauthorization(sub.id);
    const moved = () =>
      relaySubscriptions(cloud).filter((s) => s.creatorId === other && watched.every((id) => s.ids.has(id)));
    await until(() => moved().length === 1, 'the shard made again by the other owner');
    t.diagnostic(`covered again by the other owner ${Date.now() - askedAt} ms after Graph asked for reauthorisation`);
    await flows(watched[3]!, 'Busy');
    assert.equal((await watchAt(cloud, relay.url, other, watched)).body.covered, true);
    // The pages watching those people read them once, for what changed while nothing covered them.
    await until(
      () => coverage.some((m) => watched.every((id) => m.covered.includes(id))),
      'the page told they are covered again',
    );
    assert.ok(
      coverage.every((m) => m.uncovered.length === 0),
      'never reported uncovered: the shard moved at once',
    );
  } finally {
    await page.connection.stop();
    await relay.stop();
  }
});

test('with no other owner, the people are reported uncovered; covered again once the owner signs in again', async (t) => {
  relay = await startLocalRelay(cloud, { renewalCheckMs: 3_600_000 });
  const owner = cloud.tenant.users[2]!.id;
  const watched = cloud.tenant.users.slice(26, 30).map((u) => u.id);
  assert.equal((await watchAt(cloud, relay.url, owner, watched)).body.covered, true);
  const [sub] = relaySubscriptions(cloud).filter((s) => s.creatorId === owner);
  assert.ok(sub);
  const page = await connectAs(cloud, relay.url, owner);
  const coverage: Array<{ uncovered: string[]; covered: string[] }> = [];
  page.connection.on('coverage', (message) => coverage.push(message));
  try {
    cloud.graph.clock.advance(2_000);
    await revoke(owner);
    const askedAt = Date.now();
    await cloud.graph.subscriptions.requireReauthorization(sub.id);
    await until(
      () => coverage.some((m) => watched.every((id) => m.uncovered.includes(id))),
      'the page told they are not covered',
    );
    t.diagnostic(`pages told ${Date.now() - askedAt} ms after Graph asked for reauthorisation`);
    // The page asks again while Entra still refuses to exchange the user's token (they must sign in again).
    cloud.faults.add({
      service: 'entra',
      path: `${new URL(cloud.entra.authority).pathname}/oauth2/v2.0/token`,
      method: 'POST',
      kind: 'status',
      status: 400,
      times: 1,
    });
    const answer = await watchAt(cloud, relay.url, owner, watched);
    assert.equal(answer.body.covered, false, 'the relay no longer says they are covered');
    assert.deepEqual([...answer.body.uncovered].sort(), [...watched].sort());

    // Signed in again: the next watch carries a new token.
    const again = await watchAt(cloud, relay.url, owner, watched);
    assert.equal(again.body.covered, true, JSON.stringify(again.body));
    const held = relaySubscriptions(cloud).filter((s) => s.creatorId === owner);
    assert.equal(held.length, 1, 'one subscription for the owner at Graph');
    assert.ok(held[0]!.authorizedUntil > cloud.graph.clock.now(), 'authorised again');
    await flows(watched[1]!, 'Away');
    await until(
      () => coverage.some((m) => watched.every((id) => m.covered.includes(id))),
      'the page told they are covered again',
    );
  } finally {
    await page.connection.stop();
    await relay.stop();
  }
});
