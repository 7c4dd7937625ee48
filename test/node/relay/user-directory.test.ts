// With the user check on, ids Graph's directory says are not users of the tenant are not watched: no subscription
// is tried for them, and the page is told which ones they are.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { relaySubscriptions, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'user-directory', userCount: 20, teamSizes: [5] } });
  relay = await startLocalRelay(cloud, { checkUsers: true });
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

test("made-up ids are not watched nor subscribed to; the tenant's users are", async () => {
  const people = cloud.tenant.users.slice(10, 13).map((u) => u.id);
  const madeUp = [randomUUID(), randomUUID()];
  const reply = await watchAt(cloud, relay.url, cloud.tenant.users[0]!.id, [
    people[0]!,
    madeUp[0]!,
    people[1]!,
    madeUp[1]!,
    people[2]!,
  ]);
  assert.equal(reply.status, 200);
  assert.equal(reply.body.watching, 3);
  assert.deepEqual(reply.body.notUsers, madeUp);
  assert.equal(reply.body.covered, true);
  const subscribed = relaySubscriptions(cloud).flatMap((s) => [...s.ids]);
  assert.deepEqual(subscribed.sort(), [...people].sort());
  assert.ok(!relay.watchers.isWatched(madeUp[0]!));
  // Asked again, the answer comes from what the relay learnt: no second directory call for the same ids.
  const calls = () => cloud.graph.log.filter((e) => e.path === '/v1.0/directoryObjects/getByIds').length;
  const before = calls();
  assert.deepEqual((await watchAt(cloud, relay.url, cloud.tenant.users[1]!.id, madeUp)).body.notUsers, madeUp);
  assert.equal(calls(), before);
});
