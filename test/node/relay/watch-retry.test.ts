// A watch answered `uncovered` because Graph failed for a moment is tried again when the page asks again with the
// same list: the page is told its people are covered as soon as Graph lets the relay subscribe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-watch-retry', userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  relay = await startLocalRelay(cloud, { renewalCheckMs: 3_600_000 });
});
after(async () => {
  await relay?.stop();
  await cloud.stop();
});

test('the same list asked again after a passing Graph failure is covered', async () => {
  const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users.slice(10, 15).map((u) => u.id)];
  // Graph fails the relay's one attempt to subscribe.
  cloud.faults.add({
    service: 'graph',
    method: 'POST',
    path: '/v1.0/subscriptions',
    appId: DEMO_RELAY_CLIENT_ID,
    kind: 'status',
    status: 503,
    times: 1,
  });
  const first = await watchAt(cloud, relay.url, user, watched);
  assert.equal(first.status, 200);
  assert.equal(first.body.covered, false, 'not covered while Graph fails');
  assert.deepEqual([...first.body.uncovered].sort(), [...watched].sort());

  // The page asks again (its recheck of what is not covered), with the same list.
  const again = await watchAt(cloud, relay.url, user, watched);
  assert.equal(again.body.covered, true, `covered once Graph answers: ${JSON.stringify(again.body)}`);
  assert.equal(again.body.uncovered, undefined);
  const [sub] = relaySubscriptions(cloud);
  assert.deepEqual([...sub!.ids].sort(), [...watched].sort());

  // And a change is pushed through it.
  cloud.tenant.setPresence(watched[2]!, { availability: 'Busy', activity: 'InACall' });
  await until(() => relay.stats.received > 0, 'the change at the relay');
});
