// The relay's heartbeat, seen from a real page in Chromium running the built library against the relay in a process
// of its own. The page's connection is to SignalR Service, which stays up when the relay dies: without the heartbeat
// the page would say "connected" until its next watch renewal (half of a 10-minute lease here). With it, the page
// knows within seconds that the relay is away, polls what it shows, and reads everything again when the relay is back.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { chromiumStage, noChromium } from '../stage.js';
import { startRelayProcess, writeRelayFiles, type RelayProcess } from './relay-process.js';
import { freePort, relaySubscriptions, until } from './support.js';

let base: string;
let certificate: CertificateAndKey;
const relays: RelayProcess[] = [];

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'relay-heartbeat-browser', userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [500, 2000, 5000], timeoutMs: 1000 },
  },
  async setUp() {
    base = mkdtempSync(join(tmpdir(), 'relay-heartbeat-browser-'));
    certificate = await makeCertificate('relay-heartbeat-browser');
  },
  async tearDown() {
    await Promise.all(relays.map((r) => r.kill()));
    if (base) rmSync(base, { recursive: true, force: true });
  },
});

async function eventually(check: () => Promise<boolean>, what: string, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const states = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];
/** The availabilities each person has had in the test. */
const had = new Map<string, Set<string>>();

/** Every one of `people` changes to an availability they have not had yet. */
function changeAll(people: string[]): void {
  for (const id of people) {
    const before = had.get(id) ?? new Set([stage.cloud.tenant.getPresence(id)!.availability]);
    had.set(id, before);
    const state = states.find((s) => !before.has(s))!;
    before.add(state);
    stage.cloud.tenant.setPresence(id, { availability: state, activity: state });
  }
}

test(
  'in Chromium: the relay killed while SignalR Service stays up; the page stops saying "connected" within seconds',
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const { cloud, browser, origin } = stage;
    const dir = join(base, 'heartbeat');
    mkdirSync(dir, { recursive: true });
    writeRelayFiles(cloud, dir, certificate);
    const port = await freePort();
    const start = async () => {
      const relay = await startRelayProcess(cloud, dir, port, {
        RELAY_HEARTBEAT_SECONDS: '1',
        RELAY_WATCH_LEASE_SECONDS: '600',
        RELAY_ALLOWED_ORIGINS: origin,
      });
      relays.push(relay);
      return relay;
    };
    let relay = await start();
    const user = cloud.tenant.users[0]!.id;
    const people = cloud.tenant.users.slice(10, 15).map((u) => u.id);
    const query = new URLSearchParams({
      user,
      watched: people[0]!,
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
      // Polled every 2 s when it must be.
      interval: '2000',
    });
    const page: Page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const state = () => page.evaluate(() => (window as any).presenceClient.connectionState as string);
    const stale = async () => {
      assert.deepEqual(errors, [], 'no error in the page');
      const seen = (await page.evaluate(() => ({ ...(window as any).seen }))) as Record<string, string | undefined>;
      return people.filter(
        (id) => seen[id]?.toLowerCase() !== cloud.tenant.getPresence(id)?.availability.toLowerCase(),
      );
    };
    try {
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}#extra=${people.join(',')}`);
      await eventually(async () => (await state()) === 'connected', 'the page connected', 20_000);
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people",
        15_000,
      );
      await eventually(async () => (await stale()).length === 0, 'the page showing the truth', 10_000);
      // Heartbeats come: the page stays connected.
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(await state(), 'connected');

      await relay.kill();
      const killed = Date.now();
      await eventually(async () => (await state()) !== 'connected', 'the page no longer "connected"', 10_000);
      const detected = (Date.now() - killed) / 1000;
      const during = await state();

      // Changes while the relay is down are polled: the page shows them, and never says "connected" meanwhile.
      changeAll(people);
      const changed = Date.now();
      await eventually(async () => (await stale()).length === 0, 'the changes polled during the outage', 8_000);
      const polledIn = (Date.now() - changed) / 1000;
      assert.notEqual(await state(), 'connected');

      // A change just before the restart; then the relay is back.
      changeAll(people);
      relay = await start();
      const back = Date.now();
      await eventually(
        async () => (await stale()).length === 0 && (await state()) === 'connected',
        'every badge true, and connected, within 5 s of the restart',
        5_000,
      );
      const took = (Date.now() - back) / 1000;
      t.diagnostic(
        `heartbeat 1 s: the page left "connected" (for "${during}") ${detected.toFixed(1)} s after the relay was killed; changes during the outage shown within ${polledIn.toFixed(1)} s (polled); every badge true and connected ${took.toFixed(1)} s after the restart`,
      );

      // Pushed again: a change after the outage shows, connected all along.
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people again",
        15_000,
      );
      changeAll(people);
      await eventually(async () => (await stale()).length === 0, 'the changes after the outage on the page', 10_000);
      assert.equal(await state(), 'connected');
    } finally {
      await page.close();
      await relay.stop();
    }
  },
);
