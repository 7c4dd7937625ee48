// In Chromium: a change made before the page's connection is up is not lost; the relay restarts mid-stream and
// nothing is lost. The page's SignalR connection never drops (the
// relay is not in its path); Graph redelivers what the relay missed; the relay remembers who watches what.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { chromiumStage, noChromium } from '../stage.js';

let relay: Relay;
let dir: string;
let certificate: CertificateAndKey;
const clientState = 'survives-restarts';

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'restart', userCount: 60, teamSizes: [5, 50] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [500], timeoutMs: 1000 },
  },
  async setUp() {
    dir = mkdtempSync(join(tmpdir(), 'relay-restart-'));
    certificate = await makeCertificate('relay-restart');
    relay = await relayAt();
  },
  async tearDown() {
    await relay?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});

const relayAt = (port?: number) =>
  startLocalRelay(stage.cloud, {
    ...(port ? { port } : {}),
    allowedOrigins: [stage.origin],
    store: new FileStore(join(dir, 'state.json')),
    certificate,
    clientState,
  });

test(
  'a change made after the first read but before the connection is up still reaches the badge',
  { skip: noChromium, timeout: 60_000 },
  async () => {
    const { cloud, browser, origin } = stage;
    const user = cloud.tenant.users[1]!.id;
    const watched = cloud.tenant.users[12]!.id;
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    // SignalR Service is slow to accept the page's connection, so the relay's first pushes find nobody.
    const slow = cloud.faults.add({
      service: 'signalr',
      path: '/client/negotiate',
      kind: 'latency',
      latencyMs: 2_500,
      times: 1,
    });
    const query = new URLSearchParams({
      user,
      watched,
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
      const status = () =>
        page.evaluate(() =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status'),
        );
      await page.waitForFunction(
        () =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
          'available',
        null,
        { timeout: 20_000 },
      );
      for (
        const end = Date.now() + 10_000;
        !cloud.graph.subscriptions.describe().some((s) => s.creatorId === user) && Date.now() < end;
      )
        await new Promise((r) => setTimeout(r, 20));
      assert.notEqual(
        await page.evaluate(() => (window as any).presenceClient.connectionState),
        'connected',
        'the change happens before the connection is up',
      );
      cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InAMeeting' });
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      await page.waitForFunction(
        () =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
          'busy',
        null,
        { timeout: 20_000 },
      );
      assert.equal(await status(), 'busy');
      assert.ok(slow.hits >= 1, 'the connection was slowed');
    } finally {
      cloud.faults.clear(slow.id);
      await page.close();
    }
  },
);

test('a relay restart mid-stream loses nothing', { skip: noChromium, timeout: 60_000 }, async () => {
  const { cloud, browser, origin } = stage;
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[9]!.id;
  cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
  const query = new URLSearchParams({
    user,
    watched,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relay.url}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
  });
  const page = await browser.newPage();
  await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
  const waitFor = (status: string) =>
    page.waitForFunction(
      (s) =>
        document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') === s,
      status,
      { timeout: 20_000 },
    );
  await waitFor('available');
  await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
    timeout: 20_000,
  });
  // The relay subscribes on the user's behalf once the page says what it watches.
  for (
    const end = Date.now() + 10_000;
    !cloud.graph.subscriptions.describe().some((s) => s.creatorId === user) && Date.now() < end;
  )
    await new Promise((r) => setTimeout(r, 50));
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await waitFor('busy');

  const port = Number(new URL(relay.url).port);
  await relay.stop();
  cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await new Promise((r) => setTimeout(r, 300));
  relay = await relayAt(port);
  // Graph delivers again; the restarted relay knows the page watches this person; the badge changes.
  await waitFor('do-not-disturb');
  assert.equal(
    await page.evaluate(() => (window as any).presenceClient.connectionState),
    'connected',
    'the page never lost its connection',
  );
  await page.close();
});
