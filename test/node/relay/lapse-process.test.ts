// A subscription that lapses at Graph while the relay's own record says it has most of an hour left (Graph's date
// for it passed: a renewal Graph never applied, Graph's clock ahead of the relay's), with no lifecycle notification.
// The relay runs as its own process with its full check against Graph an hour away, so only its watch on each
// subscription's deliveries can notice: the shard that was delivering every few hundred milliseconds goes silent,
// the relay asks Graph about it, makes it again, and the pages re-read the people it covers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { startRelayProcess, writeRelayFiles, type RelayProcess } from './relay-process.js';
import { freePort, relaySubscriptions, until } from './support.js';
import { watchingPage, type WatchingPage } from './watching-page.js';

let cloud: Emulators;
let dir: string;
let relay: RelayProcess | undefined;
const pages: WatchingPage[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-lapse-process', userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-lapse-'));
  writeRelayFiles(cloud, dir, await makeCertificate('relay-lapse'));
});

after(async () => {
  await Promise.all(pages.map((p) => p.stop()));
  await relay?.kill();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'a subscription lapsed at Graph is noticed from its silence and made again, and every badge ends true',
  { timeout: 120_000 },
  async (t) => {
    // The full check (GET /subscriptions for every owner, then renewals) once an hour: it plays no part here.
    relay = await startRelayProcess(cloud, dir, await freePort(), { RELAY_CHECK_SECONDS: '3600' });
    const people = cloud.tenant.users.slice(10, 20).map((u) => u.id);
    for (let u = 0; u < 2; u++)
      pages.push(await watchingPage(cloud, relay.url, cloud.tenant.users[u]!.id, people.slice(u * 5, u * 5 + 5)));
    const covering = () => relaySubscriptions(cloud).find((s) => people.every((id) => s.ids.has(id)));
    await until(() => !!covering(), 'one subscription covering every watched person');
    const first = covering()!;

    // Presence keeps changing, a little faster than one person every 300 ms, as in a busy team.
    const states = ['Busy', 'Away', 'Available', 'DoNotDisturb', 'BeRightBack'];
    let changes = 0;
    const changer = setInterval(() => {
      const id = people[changes % people.length]!;
      const availability = states[Math.floor(changes / people.length) % states.length]!;
      cloud.tenant.setPresence(id, { availability, activity: availability });
      changes++;
    }, 300);
    t.after(() => clearInterval(changer));
    const delivered = (id: string) =>
      cloud.graph.subscriptions.deliveries.filter(
        (d) => d.subscriptionId === id && d.kind === 'notification' && d.status === 202,
      ).length;
    await until(
      () => delivered(first.id) >= 12,
      'the relay learning the subscription delivers every few hundred ms',
      15_000,
    );
    await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth');

    // Counts the relay asking Graph about this one subscription (a fault rule that adds nothing).
    const asked = cloud.faults.add({
      service: 'graph',
      method: 'GET',
      path: `/v1.0/subscriptions/${first.id}`,
      kind: 'latency',
      latencyMs: 0,
    });
    // Graph's date for it passes; the relay's record says it has about 55 minutes left.
    const lapsedAt = Date.now();
    first.expirationDateTime = cloud.graph.clock.now();
    const changesAtLapse = changes;

    await until(
      () => !!covering() && covering()!.id !== first.id,
      'a new subscription at Graph for the same people',
      60_000,
    );
    const recreatedAt = Date.now();
    const second = covering()!;
    // Changes go on for a moment through the new subscription, then stop.
    await until(() => delivered(second.id) >= 3, 'changes delivered by the new subscription');
    clearInterval(changer);
    await until(
      () => pages.every((p) => p.stale().length === 0),
      'every badge showing the truth after the subscription is made again',
      10_000,
    );
    const trueAt = Date.now();

    t.diagnostic(
      `lapse to new subscription: ${recreatedAt - lapsedAt} ms; new subscription to 0 stale: ${trueAt - recreatedAt} ms; ` +
        `changes made while lapsed: ${changes - changesAtLapse}; Graph asked about the silent subscription ${asked.hits} time(s)`,
    );
    assert.ok(asked.hits >= 1, 'the relay asked Graph about the silent subscription');
    assert.deepEqual([...second.ids].sort(), [...people].sort(), 'the new subscription covers the same people');
    assert.equal(
      relaySubscriptions(cloud).filter((s) => s.expirationDateTime > cloud.graph.clock.now()).length,
      1,
      'one live subscription, not two',
    );
    for (const page of pages) assert.deepEqual(page.stale(), [], 'no update lost for good');
    cloud.faults.clear(asked.id);
  },
);
