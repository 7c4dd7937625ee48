// Nested app authentication in Chromium: a page hosted by Teams, Outlook or the Microsoft 365 app gets tokens from
// its host through MSAL with no click, and shows the signed-in user's live avatar. The host is a stand-in that
// answers MSAL's bridge requests with tokens from the Entra ID emulator; MSAL, the Graph calls and the elements
// are the real ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { chromiumStage, noChromium as skip } from '../stage.js';

const stage = chromiumStage({
  emulators: { simulatorRate: 0, tenant: { seed: 'nested', userCount: 40, teamSizes: [5] } },
  acceptCertificates: true,
});

async function open(host: 'yes' | 'no') {
  const { cloud, browser, origin } = stage;
  const user = cloud.tenant.users[3]!;
  cloud.tenant.setPresence(user.id, { availability: 'Busy', activity: 'InAMeeting' });
  const query = new URLSearchParams({
    host,
    user: user.id,
    clientId: DEMO_SPA_CLIENT_ID,
    authority: cloud.entra.authority,
    graph: cloud.graph.url,
    control: cloud.control.url,
  });
  const page = await browser.newPage();
  const popups: string[] = [];
  page.on('popup', (p) => popups.push(p.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/test/node/fixtures/nested.html?${query}`);
  return { page, user, popups, errors };
}

const avatarStatus = () =>
  document.getElementById('me')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status');

test(
  "inside a host: tokens come from the host with no click, and the user's own avatar is live",
  { skip, timeout: 60_000 },
  async () => {
    const { page, user, popups, errors } = await open('yes');
    try {
      await page.waitForFunction(
        (s) => document.getElementById('me')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') === s,
        'busy',
        { timeout: 20_000 },
      );
      await page.waitForFunction(
        (name) => document.getElementById('me')?.shadowRoot?.querySelector('[part~="name"]')?.textContent === name,
        user.displayName,
        { timeout: 20_000 },
      );
      // The sign-in element knows the host's user too: it shows their avatar, not a sign-in button.
      await page.waitForFunction(
        () => document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('presence-avatar'),
        null,
        { timeout: 20_000 },
      );
      const requests: Array<{ method: string; clientId?: string; scope?: string }> = await page.evaluate(
        () => (window as any).hostRequests,
      );
      assert.equal(requests[0]!.method, 'GetInitContext');
      const tokens = requests.filter((r) => r.method === 'GetToken');
      assert.ok(tokens.length >= 1, 'tokens were asked of the host');
      assert.ok(tokens.every((r) => r.clientId === DEMO_SPA_CLIENT_ID));
      assert.ok(
        tokens.some((r) => r.scope?.split(' ').some((s) => s.startsWith('Presence.Read'))),
        `the presence scope was asked for: ${tokens.map((t) => t.scope).join(' | ')}`,
      );
      assert.equal(requests.filter((r) => r.method === 'GetTokenPopup').length, 0, 'nothing interactive');
      assert.deepEqual(popups, []);
      // Signing out cannot end the host's session, but this page stops using it until the user signs in again.
      await page.evaluate(() =>
        (document.querySelector('presence-sign-in')!.shadowRoot!.querySelector('button') as HTMLButtonElement).click(),
      );
      await page.waitForFunction(
        () => document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('button.primary'),
        null,
        { timeout: 20_000 },
      );
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(
        await page.evaluate(
          () => !!document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('button.primary'),
        ),
        'still signed out',
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  },
);

test(
  'outside any host: the same page asks the user to sign in, and shows nobody as offline',
  { skip, timeout: 60_000 },
  async () => {
    const { page, popups } = await open('no');
    try {
      await page.waitForFunction(
        () => document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('button'),
        null,
        { timeout: 20_000 },
      );
      await page
        .waitForFunction(() => document.getElementById('me')?.shadowRoot?.querySelector('svg.glyph'), null, {
          timeout: 20_000,
        })
        .catch(() => undefined);
      assert.notEqual(await page.evaluate(avatarStatus), 'offline', 'an unknown user is never shown offline');
      assert.notEqual(await page.evaluate(avatarStatus), 'busy');
      assert.deepEqual(popups, [], 'no window opens without a click');
    } finally {
      await page.close();
    }
  },
);
