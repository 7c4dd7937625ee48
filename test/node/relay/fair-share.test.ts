// When the tenant watches more people than its signed-in owners can subscribe for (650 each), the people more users
// watch are covered first: two users' long lists do not push out the team both of them look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { relaySubscriptions, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'fair-share', userCount: 2100, teamSizes: [5] } });
  relay = await startLocalRelay(cloud);
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

test('ids watched by more users are covered first when subscriptions run short', async () => {
  const ids = cloud.tenant.users.map((u) => u.id);
  const [a, b] = [ids[0]!, ids[1]!];
  const shared = ids.slice(10, 60);
  const onlyA = ids.slice(100, 1100);
  const onlyB = ids.slice(1100, 2100);
  await watchAt(cloud, relay.url, a, [...onlyA, ...shared]);
  const reply = await watchAt(cloud, relay.url, b, [...onlyB, ...shared]);
  assert.equal(reply.status, 200);
  // Two owners, 1,300 ids at most, for 2,050 watched: some stay uncovered, but none of the shared ones.
  const covered = new Set(relaySubscriptions(cloud).flatMap((s) => [...s.ids]));
  assert.equal(covered.size, 1300);
  assert.deepEqual(
    shared.filter((id) => !covered.has(id)),
    [],
  );
  for (const id of shared) assert.ok(!(reply.body.uncovered ?? []).includes(id));
});
