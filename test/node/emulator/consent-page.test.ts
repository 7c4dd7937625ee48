// Incremental consent in Chromium with the real MSAL against the local cloud: the team scope needs the user's
// consent, so a page whose list needs it shows "Grant access" without any popup having been tried; a real click on
// the button opens the Entra ID popup, which grants the scope, and the list shows its members.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { chromiumStage, noChromium } from '../stage.js';

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'consent-page', userCount: 60, teamSizes: [5, 50] },
    consentRequired: ['TeamMember.Read.All'],
  },
  acceptCertificates: true,
});

test(
  'a team list needing consent: Grant access without a popup, then a click consents and the members show',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const me = cloud.tenant.users[0]!;
    const team = cloud.tenant.teams.find((t) => t.memberIds.length === 5)!;
    const query = new URLSearchParams({
      clientId: DEMO_SPA_CLIENT_ID,
      authority: cloud.entra.authority,
      graph: cloud.graph.url,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (process.env.DEBUG_LIVE) page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));

    // Signed in first, with the basic scopes only (the sign-in button's popup).
    await page.goto(`${origin}/test/node/fixtures/consent.html?${query}`);
    const signIn = page.waitForEvent('popup');
    await page.locator('presence-sign-in button').click();
    await (await signIn).waitForEvent('close', { timeout: 20_000 });
    await page.waitForFunction(
      (name) =>
        document
          .querySelector('presence-sign-in')
          ?.shadowRoot?.querySelector('presence-avatar')
          ?.shadowRoot?.querySelector('[part~="name"]')?.textContent === name,
      me.displayName,
      { timeout: 20_000 },
    );
    assert.deepEqual(cloud.entra.consentsOf(DEMO_SPA_CLIENT_ID, me.id), []);

    // Later, a page with a team list: its scope needs consent, asked for in the background, where no popup may open.
    const popups: string[] = [];
    context.on('page', (p) => popups.push(p.url()));
    query.set('team', team.id);
    // Waited for on the console: polling the page from here would count as a user gesture in it.
    const consentError = page.waitForEvent('console', {
      predicate: (m) => m.text().startsWith('presence-error ') && m.text().includes('"scopes"'),
      timeout: 20_000,
    });
    await page.goto(`${origin}/test/node/fixtures/consent.html?${query}`);
    assert.deepEqual(JSON.parse((await consentError).text().slice('presence-error '.length)), {
      kind: 'consent',
      message: 'Access to TeamMember.Read.All needs your consent: call signIn(scopes) from a click.',
      scopes: ['TeamMember.Read.All'],
    });
    assert.deepEqual(popups, [], 'no popup was opened without a click');
    const grant = page.locator('team-presence-list button[part="grant"]');
    await grant.waitFor({ timeout: 20_000 });
    assert.equal(await grant.textContent(), 'Grant access');
    assert.match(
      (await page.locator('team-presence-list [role="alert"]').textContent()) ?? '',
      /Showing these members needs your permission\./,
    );
    assert.deepEqual(popups, [], 'no popup was opened without a click');
    assert.deepEqual(cloud.entra.consentsOf(DEMO_SPA_CLIENT_ID, me.id), []);

    // The click opens the popup; Entra ID grants the scope; the list loads its members.
    const consent = page.waitForEvent('popup');
    await grant.click();
    const popup = await consent;
    await popup.waitForEvent('close', { timeout: 20_000 });
    assert.equal(popups.length, 1, 'one popup, from the click');
    assert.deepEqual(cloud.entra.consentsOf(DEMO_SPA_CLIENT_ID, me.id), ['teammember.read.all']);
    await page.waitForFunction(
      () => document.querySelector('team-presence-list')?.shadowRoot?.querySelectorAll('[role="option"]').length === 5,
      null,
      { timeout: 20_000 },
    );
    const names = await page.evaluate(() =>
      [
        ...document
          .querySelector('team-presence-list')!
          .shadowRoot!.querySelectorAll('[role="option"] presence-avatar'),
      ].map((a) => a.getAttribute('display-name')),
    );
    const expected = team.memberIds.map((memberId) => cloud.tenant.user(memberId)!.displayName);
    assert.deepEqual([...names].sort(), [...expected].sort());
    assert.equal(await grant.count(), 0, 'the button is gone');
    assert.deepEqual(errors, []);
    await context.close();
  },
);
