// A hidden tab stops polling, with the real MSAL and Graph calls against the local cloud in Chromium: Graph sees no
// presence request while the page is hidden, and one at once when it is shown again (catching up).
//
// Headless Chromium always reports its pages visible (another tab in front, a minimised window and a frozen lifecycle
// state all leave `visibilityState` at "visible"), so the page is hidden the way the browser would tell it: the
// document's visibility reads "hidden" and a `visibilitychange` event fires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { chromiumStage, noChromium } from '../stage.js';
import { until } from '../until.js';

const stage = chromiumStage({
  emulators: { simulatorRate: 0, tenant: { seed: 'hidden-tab', userCount: 60, teamSizes: [5] } },
  acceptCertificates: true,
});

const PRESENCE = '/v1.0/communications/getPresencesByUserId';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets what the document says of its visibility, and tells it. (A string: the test runner renames functions.) */
function setVisibility(page: Page, state: 'hidden' | 'visible') {
  return page.evaluate(`(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${state === 'hidden'} });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

test('no presence requests while the page is hidden, one at once when it is shown', { skip: noChromium }, async () => {
  const { cloud, browser, origin } = stage;
  const watched = cloud.tenant.users[7]!;
  cloud.tenant.setPresence(watched.id, { availability: 'Available', activity: 'Available' });
  const interval = 3;
  const query = new URLSearchParams({
    clientId: DEMO_SPA_CLIENT_ID,
    authority: cloud.entra.authority,
    graph: cloud.graph.url,
    watched: watched.id,
    interval: String(interval),
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/test/node/fixtures/live.html?${query}`);
  const popup = page.waitForEvent('popup');
  await page.locator('presence-sign-in button').click();
  await (await popup).waitForEvent('close', { timeout: 20_000 });
  const status = () =>
    page.evaluate(
      () =>
        document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ?? null,
    );
  await until(async () => (await status()) === 'available', 'the watched presence', 20_000, 100);
  const presenceReads = () =>
    cloud.graph.log.filter((entry) => entry.path === PRESENCE && entry.appId === DEMO_SPA_CLIENT_ID);
  // Polling runs (its first poll, before sign-in, failed: it may be backing off for a few intervals).
  const seeded = presenceReads().length;
  await until(() => presenceReads().length > seeded, 'the visible page polling', 15_000, 100);

  await setVisibility(page, 'hidden');
  await sleep(200);
  const hiddenAt = presenceReads().length;
  cloud.tenant.setPresence(watched.id, { availability: 'Busy', activity: 'InACall' });
  await sleep(2.5 * interval * 1000);
  assert.equal(presenceReads().length, hiddenAt, 'no presence request while hidden');
  assert.equal(await status(), 'available', 'nothing new shown while hidden');

  const shownAt = Date.now();
  await setVisibility(page, 'visible');
  await until(() => presenceReads().length > hiddenAt, 'a presence request on show', interval * 1000, 25).catch(
    () => undefined,
  );
  const caughtUpIn = Date.now() - shownAt;
  assert.equal(presenceReads().length, hiddenAt + 1, 'one request on show');
  assert.ok(caughtUpIn < 1000, `at once, not after an interval (${caughtUpIn} ms)`);
  await until(async () => (await status()) === 'busy', 'the change made while hidden to show', 5000, 50);
  await sleep(interval * 1000 * 0.5);
  assert.equal(presenceReads().length, hiddenAt + 1, 'then the usual interval, not a burst');
  await context.close();
});
