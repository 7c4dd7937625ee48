// SignalR Service failing for longer than the relay's retries: the pushes given up are not lost for good. Once the
// service answers again, the pages that missed them are told to re-read those people, and end with the truth.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { relaySubscriptions, until } from './support.js';
import { watchingPage, type WatchingPage } from './watching-page.js';

let cloud: Emulators;
let relay: Relay;
const pages: WatchingPage[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-signalr-outage', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  // Retries give up after well under a second, so a 3-second outage outlasts them.
  relay = await startLocalRelay(cloud, { fanoutRetryDelaysMs: [100, 200, 400], fanout: { recoveryProbeMs: 500 } });
});

after(async () => {
  await Promise.all(pages.map((p) => p.stop()));
  await relay.stop();
  await cloud.stop();
});

test(
  'SignalR Service answering 503 past the retry budget: once it recovers, every badge ends with the truth',
  { timeout: 60_000 },
  async (t) => {
    const people = cloud.tenant.users.slice(10, 30).map((u) => u.id);
    for (let u = 0; u < 4; u++)
      pages.push(await watchingPage(cloud, relay.url, cloud.tenant.users[u]!.id, people.slice(u * 4, u * 4 + 8)));
    await until(
      () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
      'Graph covering every watched person',
    );
    await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth before the outage');

    const before = { ...relay.stats };
    const outage = cloud.faults.add({ service: 'signalr', path: '/api/', kind: 'status', status: 503 });
    const states = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];
    for (let i = 0; i < 30; i++) {
      const state = states[i % states.length]!;
      cloud.tenant.setPresence(people[(i * 7) % people.length]!, { availability: state, activity: state });
      await new Promise((r) => setTimeout(r, 100));
    }
    await until(() => relay.stats.failed > before.failed, 'sends given up during the outage');
    await new Promise((r) => setTimeout(r, 1_500));
    await relay.idle();
    const staleAtRecovery = pages.reduce((n, p) => n + p.stale().length, 0);
    const lost = relay.stats.failed - before.failed;
    cloud.faults.clear(outage.id);
    const recovered = Date.now();
    // No change happens after the outage: only the relay's recovery can bring the badges back to the truth.
    await until(
      () => pages.every((p) => p.stale().length === 0),
      'every badge showing the truth after the recovery',
      5_000,
    );
    t.diagnostic(
      `sends given up: ${lost}; stale badges when it recovered: ${staleAtRecovery}; 0 stale ${Date.now() - recovered} ms after recovery; ids re-read: ${relay.fanout.counts.recovered}`,
    );
    assert.ok(staleAtRecovery > 0, 'the outage left badges stale');
    assert.ok(relay.fanout.counts.recovered > 0, 'the pages were asked to re-read what they missed');
  },
);
