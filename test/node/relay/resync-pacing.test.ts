// After a restart the relay tells every page to re-read what it shows, and every page told reads from Graph: so the
// pages are told a batch of users at a time, never all at once. Counted where the messages arrive, at SignalR
// Service: every page is told once and ends with the truth. A batch begins at least the pacing interval after the
// one before began, and only once that one was sent: so any window shorter than the interval holds messages of two
// batches at most, however slow the machine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { FileStore } from '../../../relay/src/store.js';
import { SubscriptionKeeper } from '../../../relay/src/subscriptions.js';
import { freePort, localRelayOptions, relayBroker, relaySubscriptions, until } from './support.js';
import { watchingPage, type WatchingPage } from './watching-page.js';

const PACING = { usersPerBatch: 4, intervalMs: 300 };
const PAGES = 24;

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
let relay: Relay | undefined;
const pages: WatchingPage[] = [];

before(async () => {
  // Graph tries each delivery twice, then gives up: the relay's downtime outlasts that.
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-resync-pacing', userCount: 60, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], retryForMs: 500, timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-resync-pacing');
  dir = mkdtempSync(join(tmpdir(), 'relay-resync-pacing-'));
});

after(async () => {
  await Promise.all(pages.map((p) => p.stop()));
  await relay?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startRelay(port: number): Promise<Relay> {
  const now = () => cloud.graph.clock.now();
  const keeper = new SubscriptionKeeper({
    graphBaseUrl: cloud.graph.url,
    broker: relayBroker(cloud, now),
    store: new FileStore(join(dir, 'state.json')),
    notificationUrl: `http://127.0.0.1:${port}/api/notifications`,
    lifecycleNotificationUrl: `http://127.0.0.1:${port}/api/lifecycle`,
    clientState: 'resync-pacing',
    certificate: { id: 'cert', base64: certificate.certBase64 },
    now,
    logger: new MemoryLogger(),
  });
  const started = new Relay({
    ...localRelayOptions(cloud, certificate, 'resync-pacing'),
    port,
    keeper,
    renewalCheckMs: 3_600_000,
    resyncPacing: PACING,
  });
  await started.start();
  return started;
}

test(
  'after a restart, pages are told to re-read in paced batches, and all end with the truth',
  { timeout: 120_000 },
  async (t) => {
    const port = await freePort();
    relay = await startRelay(port);
    const people = cloud.tenant.users.slice(30, 42).map((u) => u.id);
    for (let u = 0; u < PAGES; u++)
      pages.push(
        await watchingPage(cloud, relay.url, cloud.tenant.users[u]!.id, people.slice((u % 4) * 3, (u % 4) * 3 + 3)),
      );
    await until(
      () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
      'Graph covering every watched person',
    );
    await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth');

    await relay.stop();
    relay = undefined;
    people.forEach((id) => cloud.tenant.setPresence(id, { availability: 'DoNotDisturb', activity: 'Presenting' }));
    // Graph tries, fails, and gives up on every one of them.
    await new Promise((r) => setTimeout(r, 1_500));
    const stale = pages.reduce((n, p) => n + p.stale().length, 0);

    // Every `resync` message as SignalR Service takes it (before its 202).
    const told: Array<{ at: number; connections: number }> = [];
    const service = cloud.signalr as unknown as { deliver(targets: unknown[], message: { target: string }): number };
    const deliver = service.deliver.bind(service);
    service.deliver = (targets, message) => {
      const count = deliver(targets, message);
      if (message.target === 'resync') told.push({ at: performance.now(), connections: count });
      return count;
    };
    t.after(() => void (service.deliver = deliver));
    const resyncsBefore = pages.map((p) => p.counts.resyncs);

    relay = await startRelay(port);
    await until(
      () => pages.every((p) => p.stale().length === 0),
      'every badge showing the truth after the restart',
      20_000,
    );
    await until(() => told.length === PAGES, 'every page told once', 5_000);

    // The most messages in any window shorter than the pause between batches.
    let busiest = 0;
    for (let i = 0; i < told.length; i++)
      busiest = Math.max(
        busiest,
        told.filter((m) => m.at >= told[i]!.at && m.at - told[i]!.at < PACING.intervalMs).length,
      );
    const span = told.at(-1)!.at - told[0]!.at;
    t.diagnostic(
      `stale badges at restart: ${stale}; ${told.length} users told in ${relay.paced.counts.batches} batches over ${Math.round(span)} ms; most in any ${PACING.intervalMs} ms window: ${busiest}`,
    );
    assert.ok(stale > 0, 'the downtime left badges stale');
    assert.ok(
      pages.every((p, i) => p.counts.resyncs > resyncsBefore[i]!),
      'every page was told to re-read',
    );
    assert.ok(
      told.every((m) => m.connections === 1),
      'one message per page, each to its user',
    );
    assert.ok(
      busiest <= 2 * PACING.usersPerBatch,
      `at most two batches (${2 * PACING.usersPerBatch} users) told within ${PACING.intervalMs} ms (saw ${busiest})`,
    );
    assert.ok(relay.paced.counts.batches >= Math.ceil(PAGES / PACING.usersPerBatch), 'told in batches');
    assert.equal(relay.stats.resyncs, PAGES * 3);
  },
);
