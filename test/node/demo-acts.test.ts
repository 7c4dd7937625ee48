// The live demo (`npm start`) lets people act on presence: set their own status and see it in another person's tab,
// hold an app presence session from a card, and be told when someone they wait for becomes available.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, findChromium } from '../../scripts/find-chromium.mjs';
import { startDemo, type RunningDemo } from './start-demo.js';
import { requireBuild } from './support.js';
import { until } from './until.js';

const executablePath: string | undefined = findChromium();
let demo: RunningDemo | undefined;
after(() => demo?.stop());

interface Person {
  id: string;
  displayName: string;
}

const drawn = (page: Page, userId: string) =>
  page.evaluate(
    (id) =>
      document
        .querySelector(`#people presence-avatar[user-id="${id}"]`)
        ?.shadowRoot?.querySelector('svg.glyph')
        ?.getAttribute('data-status') ?? null,
    userId,
  );

test(
  'in the live demo, people set their status, hold a session from a card, and are told when someone is free',
  { skip: !executablePath && 'Chromium not found (set CHROME_PATH)', timeout: 150_000 },
  async () => {
    requireBuild('dist/cdn/presence-elements.js');
    // No simulator: what changes is what the test (and the people in the demo) change.
    demo = await startDemo({ SIMULATOR_RATE: '0' });
    const settings = (await (await fetch(new URL('/demo/local-cloud.json', demo.url))).json()) as {
      control: string;
      people: Person[];
    };
    const control = async (method: string, path: string, body?: unknown) =>
      (await fetch(`${settings.control}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) })).json();
    const [me, other, waited] = settings.people as [Person, Person, Person];
    const browser = await chromium.launch({ executablePath, args: chromiumArgs });
    try {
      const errors: string[] = [];
      const first = await browser.newPage();
      first.on('pageerror', (e) => errors.push(e.message));
      await first.goto(demo.url);
      await first.click('#go');
      await first.waitForFunction(() => document.getElementById('state')?.dataset.state === 'connected', null, {
        timeout: 20_000,
      });
      const log = () => first.locator('#log').innerText();

      // A session from the page's own card: the signed-in person shows as Busy, In a call, until it ends (their
      // Teams client says Available: a Teams state of Do not disturb would rightly outrank the session).
      await control('POST', `/presence/${me.id}`, { availability: 'Available', activity: 'Available' });
      // The list re-sorts as that presence arrives: a click that lands while a row moves away opens nothing (as for a
      // person, who clicks again). The card must open within a few tries.
      const sessionButton = first.locator('presence-card button[slot="actions"]');
      for (let tries = 1; ; tries++) {
        await first.locator('team-presence-list [role="option"]').first().click();
        const opened = await sessionButton
          .waitFor({ state: 'visible', timeout: 5_000 })
          .then(() => true)
          .catch(() => false);
        if (opened) break;
        assert.ok(tries < 3, "a member's card opens from the list");
      }
      await sessionButton.click();
      await until(
        async () => (await control('GET', `/presence/${me.id}/sessions`)).presence?.activity === 'InACall',
        'the session shows me in a call',
        20_000,
      );
      assert.match(await sessionButton.innerText(), /^End the session with /);
      await sessionButton.click();
      await until(
        async () => (await control('GET', `/presence/${me.id}/sessions`)).presence?.activity !== 'InACall',
        'the session ended',
        20_000,
      );

      // A second person in another tab sees the status the first one sets with the picker.
      const second = await browser.newPage();
      second.on('pageerror', (e) => errors.push(e.message));
      const href = await first.getAttribute('#another', 'href');
      assert.equal(href, `?as=${encodeURIComponent(other.id)}`);
      await second.goto(new URL(href!, demo.url).href);
      await second.waitForFunction(() => document.getElementById('state')?.dataset.state === 'connected', null, {
        timeout: 20_000,
      });
      await first.locator('presence-status-picker #button').click();
      await first.locator('presence-status-picker [data-key="availability:DoNotDisturb"]').click();
      await until(async () => (await drawn(second, me.id)) === 'do-not-disturb', 'the other tab shows me DND', 20_000);
      assert.equal(
        await first.evaluate(
          () =>
            document
              .querySelector('presence-status-picker')
              ?.shadowRoot?.querySelector('[part~="badge"] svg')
              ?.getAttribute('data-status') ?? null,
        ),
        'do-not-disturb',
      );

      // Notify me: someone away, asked for from their card, becomes available: a toast and a line in the log.
      await control('POST', `/presence/${waited.id}`, { availability: 'Away', activity: 'Away' });
      await until(async () => (await drawn(first, waited.id)) === 'away', 'they show as away', 20_000);
      await first.locator(`#people presence-avatar[user-id="${waited.id}"] [part~="base"][role="button"]`).click();
      await first
        .locator(`#people presence-avatar[user-id="${waited.id}"] presence-card [data-action="notify"]`)
        .click();
      await control('POST', `/presence/${waited.id}`, { availability: 'Available', activity: 'Available' });
      await first.locator('presence-alerts [part~="toast"]').waitFor({ timeout: 20_000 });
      assert.match(await first.locator('presence-alerts [part~="toast"]').innerText(), new RegExp(waited.displayName));
      assert.match(await log(), new RegExp(`${waited.displayName} is available now, as you asked`));

      // Teams' links (in the card still open) would leave this machine: the local demo says what they would open.
      await first.locator(`#people presence-avatar[user-id="${waited.id}"] presence-card [data-action="chat"]`).click();
      assert.match(await log(), /chat: would open https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);
