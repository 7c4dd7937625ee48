// A single-page app's session ends by time, as with Microsoft Entra ID: its refresh tokens last 24 hours from the
// sign-in and refreshing does not extend them (AADSTS700084 after). With the real MSAL in Chromium, short-lived access
// tokens (so MSAL refreshes) and the local cloud's clock moved a day on: nobody is clicking, so no popup opens; the
// library says sign-in is needed and <presence-sign-in> offers its button again, whose popup brings presence back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Response } from 'playwright-core';
import { noChromium as skip } from '../stage.js';
import {
  openProviderPage,
  providerStage,
  read,
  signedInName,
  signInButton,
  signInShown,
  status,
} from './msal-support.js';
import { untilEquals } from '../until.js';

// Access tokens of two minutes: under MSAL's five-minute renewal margin, so every token MSAL hands out is refreshed.
const stage = providerStage('msal-session-lifetime', {
  simulatorRate: 0,
  tenant: { seed: 'msal-session-lifetime', userCount: 30, teamSizes: [5] },
  tokenLifetimeSeconds: 120,
});

test(
  '24 hours after signing in, refreshing ends with AADSTS700084: the sign-in button is back, and its popup brings presence back',
  { skip },
  async () => {
    const { cloud } = stage;
    const me = cloud.tenant.users[0]!;
    const watched = cloud.tenant.users[6]!;
    cloud.tenant.setPresence(watched.id, { availability: 'Available', activity: 'Available' });
    const { context, page, popups, errors } = await openProviderPage(stage, 'popup', watched.id);
    // What the token endpoint answered the page's refreshes.
    const refreshes: Array<{ status: number; body: string }> = [];
    page.on('response', (response: Response) => {
      const request = response.request();
      if (
        request.method() === 'POST' &&
        response.url().startsWith(`${cloud.entra.authority}/oauth2/v2.0/token`) &&
        /grant_type=refresh_token/.test(request.postData() ?? '')
      ) {
        void response.text().then(
          (body) => refreshes.push({ status: response.status(), body }),
          () => undefined,
        );
      }
    });
    try {
      const popup = page.waitForEvent('popup');
      await signInButton(page).click();
      await (await popup).waitForEvent('close', { timeout: 20_000 });
      await untilEquals(() => signedInName(page), me.displayName, 'signed in');
      await untilEquals(() => status(page), 'available', 'the watched presence');
      await untilEquals(
        async () => refreshes.some((r) => r.status === 200),
        true,
        'MSAL refreshing its short-lived tokens',
      );

      // Long after the click (a click lets a page open popups for a few seconds), a day passes.
      await untilEquals(
        () => read(page, 'String(navigator.userActivation.isActive)'),
        'false',
        "the click's activation over",
      );
      const moved = await fetch(`${cloud.control.url}/clock/advance`, {
        method: 'POST',
        body: JSON.stringify({ seconds: 24 * 3600 }),
      });
      assert.equal(moved.status, 200);
      cloud.tenant.setPresence(watched.id, { availability: 'DoNotDisturb', activity: 'Presenting' });

      await untilEquals(() => signInShown(page), 'true', 'the sign-in button is back');
      const expired = refreshes.find((r) => r.status === 400);
      assert.ok(expired, 'a refresh was refused');
      assert.equal(JSON.parse(expired.body).error, 'invalid_grant');
      assert.deepEqual(
        JSON.parse(expired.body).error_codes,
        [700084],
        "by time: the SPA refresh token's 24 hours are over",
      );
      assert.equal(popups.length, 1, 'no popup opened without a click');
      assert.notEqual(await status(page), 'do-not-disturb', 'nothing read after the session ended');

      const again = page.waitForEvent('popup');
      await signInButton(page).click();
      await (await again).waitForEvent('close', { timeout: 20_000 });
      await untilEquals(() => status(page), 'do-not-disturb', 'the presence shows again');
      await untilEquals(() => signedInName(page), me.displayName, 'signed in again');
      assert.equal(popups.length, 2, 'the click opened one popup');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
