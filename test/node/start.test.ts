// `npm start` runs the whole system: emulators, relay and the live demo page, which signs in and goes live.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, findChromium } from '../../scripts/find-chromium.mjs';
import { requireBuild } from './support.js';
import { startDemo, type RunningDemo } from './start-demo.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../emulator/entra/clients.js';
import { startEmulators } from '../../emulator/index.js';
import { startLocalRelay } from '../../scripts/local-relay.js';
import { freePort } from './relay/support.js';

const executablePath: string | undefined = findChromium();
let running: RunningDemo | undefined;

after(() => running?.stop());

/** Starts `scripts/start.ts` with extra environment variables; resolves with the live demo's URL. */
async function start(env: Record<string, string>): Promise<string> {
  running?.stop();
  running = await startDemo(env);
  return running.url;
}

test(
  'npm start serves a live demo that signs in and receives presence through the relay',
  { skip: !executablePath && 'Chromium not found (set CHROME_PATH)', timeout: 90_000 },
  async () => {
    requireBuild('dist/cdn/presence-elements.js');
    const url = await start({ SIMULATOR_RATE: '5' });
    const browser = await chromium.launch({ executablePath, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.click('#go');
      await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'connected', null, {
        timeout: 20_000,
      });
      await page.waitForFunction(
        () =>
          (
            document.querySelector('team-presence-list')?.shadowRoot?.querySelector('.summary')?.textContent ?? ''
          ).startsWith('50'),
        null,
        { timeout: 20_000 },
      );
      // The simulator changes someone in the team every moment: a change arrives through the relay.
      await page.waitForFunction(() => (document.getElementById('log')?.children.length ?? 0) > 1, null, {
        timeout: 30_000,
      });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'with PRESENCE_* variables, the same demo signs in with MSAL and uses the given relay',
  { skip: !executablePath && 'Chromium not found (set CHROME_PATH)', timeout: 90_000 },
  async () => {
    requireBuild('dist/cdn/presence-elements.js');
    // A "real" tenant and relay, played here by the local cloud.
    const cloud = await startEmulators({
      simulatorRate: 0,
      tenant: { seed: 'start-real', userCount: 80, teamSizes: [5, 50] },
    });
    // The relay allows the demo page's origin, as a deployed relay is configured to (RELAY_ALLOWED_ORIGINS).
    const port = await freePort();
    const relay = await startLocalRelay(cloud, { allowedOrigins: [`http://127.0.0.1:${port}`] });
    const browser = await chromium.launch({ executablePath, args: [...chromiumArgs, '--ignore-certificate-errors'] });
    try {
      const team = cloud.tenant.teams.find((t) => t.memberIds.length === 50)!;
      const url = await start({
        PORT: String(port),
        PRESENCE_CLIENT_ID: DEMO_SPA_CLIENT_ID,
        PRESENCE_AUTHORITY: cloud.entra.authority,
        PRESENCE_RELAY_URL: `${relay.url}/api`,
        PRESENCE_RELAY_SCOPE: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
        PRESENCE_TEAM_ID: team.id,
        PRESENCE_GRAPH_URL: cloud.graph.url,
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      const popup = page.waitForEvent('popup');
      await page.locator('presence-sign-in button').click();
      await (await popup).waitForEvent('close', { timeout: 20_000 });
      await page.waitForFunction(
        () =>
          (
            document.querySelector('team-presence-list')?.shadowRoot?.querySelector('.summary')?.textContent ?? ''
          ).startsWith('50'),
        null,
        { timeout: 20_000 },
      );
      await page.waitForFunction(
        () => document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('presence-avatar'),
        null,
        { timeout: 20_000 },
      );
      assert.equal(await page.textContent('h1'), 'Live on your tenant');
      assert.deepEqual(errors, []);
    } finally {
      running?.stop();
      await browser.close();
      await relay.stop();
      await cloud.stop();
    }
  },
);
