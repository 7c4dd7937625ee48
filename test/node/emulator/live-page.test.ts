// The whole library in a plain page, in Chromium, against the local cloud: <presence-provider> signs in with the
// real MSAL (popup, through the shipped redirect bridge), seeds from the emulated Graph with the library's Graph calls,
// polls for changes, and two tabs of the app share one poller.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { chromiumStage, noChromium } from '../stage.js';

const stage = chromiumStage({
  emulators: { simulatorRate: 0, tenant: { seed: 'live-page', userCount: 200, teamSizes: [5, 50] } },
  acceptCertificates: true,
});

const status = (page: Page) =>
  page.evaluate(
    () =>
      document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ?? null,
  );

test('sign in, seed, poll, and one poller for two tabs', { skip: noChromium }, async () => {
  const { cloud, browser, origin } = stage;
  const me = cloud.tenant.users[0]!;
  const watched = cloud.tenant.users[7]!;
  cloud.tenant.setPresence(watched.id, { availability: 'Available', activity: 'Available' });
  const query = new URLSearchParams({
    clientId: DEMO_SPA_CLIENT_ID,
    authority: cloud.entra.authority,
    graph: cloud.graph.url,
    watched: watched.id,
  });
  const url = `${origin}/test/node/fixtures/live.html?${query}`;
  const context = await browser.newContext();
  const first = await context.newPage();
  const errors: string[] = [];
  first.on('pageerror', (e) => errors.push(e.message));
  if (process.env.DEBUG_LIVE) first.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
  await first.goto(url);

  // Signed out: a sign-in button. The click opens the Entra ID popup, which signs in and closes.
  const popup = first.waitForEvent('popup');
  await first.locator('presence-sign-in button').click();
  await (await popup).waitForEvent('close', { timeout: 20_000 });
  await first.waitForFunction(
    (name) =>
      document
        .querySelector('presence-sign-in')
        ?.shadowRoot?.querySelector('presence-avatar')
        ?.shadowRoot?.querySelector('[part~="name"]')?.textContent === name,
    me.displayName,
    { timeout: 20_000 },
  );

  // Seeded from Graph, then kept current by polling.
  await first.waitForFunction(
    () =>
      document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
      'available',
    null,
    { timeout: 20_000 },
  );
  cloud.tenant.setPresence(watched.id, { availability: 'Busy', activity: 'InACall' });
  await first.waitForFunction(
    () =>
      document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
      'busy',
    null,
    { timeout: 20_000 },
  );

  // A second tab of the same app: already signed in; it listens to the first tab's poller.
  const second = await context.newPage();
  await second.goto(url);
  await second.waitForFunction(() => document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph'), null, {
    timeout: 20_000,
  });
  cloud.tenant.setPresence(watched.id, { availability: 'Away', activity: 'BeRightBack' });
  await Promise.all(
    [first, second].map((page) =>
      page.waitForFunction(
        () =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
          'away',
        null,
        { timeout: 20_000 },
      ),
    ),
  );
  const pollers = await Promise.all(
    [first, second].map((page) =>
      page.evaluate(() => {
        const transport = (
          document.querySelector('presence-provider') as unknown as {
            current: { transport: { leader: boolean; polls: number } };
          }
        ).current.transport;
        return { leader: transport.leader, polls: transport.polls };
      }),
    ),
  );
  assert.deepEqual(pollers.map((p) => p.leader).sort(), [false, true], 'exactly one tab polls');
  assert.equal(pollers.find((p) => !p.leader)!.polls, 0, 'the other tab never polled');
  assert.equal(await status(second), 'away');
  assert.deepEqual(errors, []);
  await context.close();
});
