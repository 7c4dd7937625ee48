// The relay down while presence changes, long enough that Graph stops delivering what it missed: once it is back
// (with its stored state), every page re-reads what it shows, so no badge stays stale.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { freePort, relaySubscriptions, until } from './support.js';
import { watchingPage, type WatchingPage } from './watching-page.js';

let cloud: Emulators;
let relay: Relay | undefined;
let dir: string;
let certificate: CertificateAndKey;
const pages: WatchingPage[] = [];

before(async () => {
  // Graph tries each delivery twice, then gives up: the relay's downtime outlasts that.
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-restart-resync', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], retryForMs: 500, timeoutMs: 1000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-restart-resync-'));
  certificate = await makeCertificate('relay-restart-resync');
});

after(async () => {
  await Promise.all(pages.map((p) => p.stop()));
  await relay?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

const relayAt = (port: number) =>
  startLocalRelay(cloud, {
    port,
    store: new FileStore(join(dir, 'state.json')),
    certificate,
    clientState: 'restart-resync',
  });

test(
  'changes Graph gave up delivering while the relay was down reach every page once it is back',
  { timeout: 60_000 },
  async (t) => {
    const port = await freePort();
    relay = await relayAt(port);
    const people = cloud.tenant.users.slice(10, 30).map((u) => u.id);
    for (let u = 0; u < 4; u++)
      pages.push(await watchingPage(cloud, relay.url, cloud.tenant.users[u]!.id, people.slice(u * 5, u * 5 + 5)));
    await until(
      () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
      'Graph covering every watched person',
    );
    await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth');

    await relay.stop();
    relay = undefined;
    const states = ['Busy', 'Away', 'DoNotDisturb'];
    people.forEach((id, i) => cloud.tenant.setPresence(id, { availability: states[i % 3]!, activity: states[i % 3]! }));
    const from = cloud.graph.subscriptions.deliveries.length;
    // Graph tries, fails, and gives up on every one of them.
    await new Promise((r) => setTimeout(r, 1_500));
    const failed = cloud.graph.subscriptions.deliveries
      .slice(from)
      .filter((d) => d.kind === 'notification' && d.status !== 202).length;
    const stale = pages.reduce((n, p) => n + p.stale().length, 0);
    relay = await relayAt(port);
    const restarted = Date.now();
    await until(
      () => pages.every((p) => p.stale().length === 0),
      'every badge showing the truth after the restart',
      10_000,
    );
    t.diagnostic(
      `deliveries failed while down: ${failed}; stale badges at restart: ${stale}; 0 stale ${Date.now() - restarted} ms after the restart`,
    );
    assert.ok(stale > 0, 'the downtime left badges stale');
  },
);
