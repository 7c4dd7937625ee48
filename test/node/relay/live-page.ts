// A real page in Chromium running the built library (fixtures/signalr-live.html) against a relay: it watches some
// people through the relay, polls when it must, and says what each badge shows, to compare with Graph's truth.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { chromiumStage, type Stage } from '../stage.js';
import { relayHome, type RelayHome, type RelayProcess } from './relay-process.js';

export interface LivePage {
  page: Page;
  /** The people whose badge differs from what Graph says now (and no error in the page). */
  stale(): Promise<string[]>;
  /** The client's connection state: `connected`, `reconnecting`... */
  state(): Promise<string>;
}

/**
 * Opens the page as `user`, watching `people` through the relay at `relayUrl`, polling every `interval` ms when it
 * must (the library's default when not given), its client's `staleAfterMs` as given. Resolves once it is connected, unless `connected` is false.
 */
export async function openLivePage(
  stage: Stage,
  relayUrl: string,
  user: string,
  people: string[],
  options: { interval?: number; connected?: boolean; staleAfterMs?: number } = {},
): Promise<LivePage> {
  const { cloud, browser, origin } = stage;
  const query = new URLSearchParams({
    user,
    watched: people[0]!,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relayUrl}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    ...(options.interval ? { interval: String(options.interval) } : {}),
    ...(options.staleAfterMs ? { staleAfter: String(options.staleAfterMs) } : {}),
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}#extra=${people.join(',')}`);
  if (options.connected !== false)
    await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
      timeout: 20_000,
    });
  const stale = async () => {
    assert.deepEqual(errors, [], 'no error in the page');
    const seen = (await page.evaluate(() => ({ ...(window as any).seen }))) as Record<string, string | undefined>;
    return people.filter((id) => seen[id]?.toLowerCase() !== cloud.tenant.getPresence(id)?.availability.toLowerCase());
  };
  const state = () => page.evaluate(() => (window as any).presenceClient.connectionState as string);
  return { page, stale, state };
}

const STATES = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];

/**
 * A change for everyone in `people`, each to an availability they have not had yet in the test, so that no change
 * undoes an earlier one and a badge that missed one stays visibly wrong. `cloudOf` gives the emulators when called
 * (a stage starts them after the test module loads).
 */
export function freshChanges(cloudOf: () => Emulators): (people: string[]) => void {
  const had = new Map<string, Set<string>>();
  return (people) => {
    const cloud = cloudOf();
    for (const id of people) {
      const before = had.get(id) ?? new Set([cloud.tenant.getPresence(id)!.availability]);
      had.set(id, before);
      const state = STATES.find((s) => !before.has(s))!;
      before.add(state);
      cloud.tenant.setPresence(id, { availability: state, activity: state });
    }
  };
}

/**
 * What the Chromium tests of a relay in its own process share: the local cloud and a browser (`relay-<name>` is the
 * tenant's seed), a folder for the relays' state, their certificate, and every relay started, killed at the end.
 * `home(dir, env)` is a relay's home there, allowing the stage's pages' origin.
 */
export function relayPageStage(
  name: string,
  userCount: number,
): { stage: Stage; home(dir: string, env?: Record<string, string>): Promise<RelayHome> } {
  let base = '';
  let certificate: CertificateAndKey;
  const relays: RelayProcess[] = [];
  const stage = chromiumStage({
    emulators: {
      simulatorRate: 0,
      tenant: { seed: `relay-${name}`, userCount, teamSizes: [5] },
      delivery: { batchWindowMs: 10, retryDelaysMs: [500, 2000, 5000], timeoutMs: 1000 },
    },
    async setUp() {
      base = mkdtempSync(join(tmpdir(), `relay-${name}-`));
      certificate = await makeCertificate(`relay-${name}`);
    },
    async tearDown() {
      await Promise.all(relays.map((r) => r.kill()));
      if (base) rmSync(base, { recursive: true, force: true });
    },
  });
  const home = (dir: string, env: Record<string, string> = {}) =>
    relayHome(stage.cloud, base, dir, certificate, relays, { RELAY_ALLOWED_ORIGINS: stage.origin, ...env });
  return { stage, home };
}
