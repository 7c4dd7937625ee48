// msalTokenProvider with the real @azure/msal-browser v5 in Chromium against the Entra ID and Graph emulators: with
// the app's own PublicClientApplication, after the session ends (a popup, on the user's click), and with
// `interaction: 'redirect'` through the shipped redirect-bridge page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from '../../../common/jwt.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../../../emulator/entra/clients.js';
import { noChromium as skip } from '../stage.js';
import {
  openProviderPage,
  providerStage,
  signedInName,
  signInButton,
  signInShown,
  sleep,
  status,
} from './msal-support.js';
import { untilEquals } from '../until.js';

const stage = providerStage('msal-provider', {
  simulatorRate: 0,
  tenant: { seed: 'msal-provider', userCount: 60, teamSizes: [5] },
});

const open = (mode: 'own-app' | 'popup' | 'redirect', watched: string) => openProviderPage(stage, mode, watched);

test(
  'msalTokenProvider({ app }): the app signs in once, and presence comes with its account, no second sign-in',
  { skip },
  async () => {
    const { cloud } = stage;
    const appUser = cloud.tenant.users[3]!;
    const watched = cloud.tenant.users[8]!;
    cloud.tenant.setPresence(watched.id, { availability: 'Busy', activity: 'InACall' });
    cloud.entra.signInAs = appUser.id;
    const { context, page, popups, errors } = await open('own-app', watched.id);
    try {
      const signedIn = page.waitForSelector('body[data-app-signed-in]', { state: 'attached' });
      const popup = page.waitForEvent('popup');
      await page.click('#app-sign-in');
      await (await popup).waitForEvent('close', { timeout: 20_000 });
      await signedIn;
      // Anyone signing in from now on would be someone else: the provider must use the app's account.
      cloud.entra.signInAs = cloud.tenant.users[0]!.id;
      await untilEquals(() => status(page), 'busy', 'the watched presence');
      await untilEquals(() => signedInName(page), appUser.displayName, "<presence-sign-in> shows the app's user");
      const token = (await page.evaluate(`window.providerTest.token(['Presence.Read.All'])`)) as string;
      assert.equal(decodeJwt(token).claims.oid, appUser.id, "the token is for the app's account");
      assert.equal(await page.evaluate(`window.providerTest.account()`), appUser.userPrincipalName);
      assert.deepEqual(
        await page.evaluate(`window.providerTest.appAccounts()`),
        [appUser.userPrincipalName],
        "one account, the app's",
      );
      assert.equal(popups.length, 1, "only the app's own sign-in opened a window");
      assert.deepEqual(errors, []);
    } finally {
      cloud.entra.signInAs = cloud.tenant.users[0]!.id;
      await context.close();
    }
  },
);

test(
  'the session is revoked: no popup opens by itself; the sign-in button comes back, its popup signs in again, and presence shows',
  { skip },
  async () => {
    const { cloud } = stage;
    const me = cloud.tenant.users[0]!;
    const watched = cloud.tenant.users[9]!;
    cloud.tenant.setPresence(watched.id, { availability: 'Available', activity: 'Available' });
    const { context, page, popups, errors } = await open('popup', watched.id);
    try {
      const popup = page.waitForEvent('popup');
      await signInButton(page).click();
      await (await popup).waitForEvent('close', { timeout: 20_000 });
      await untilEquals(() => signedInName(page), me.displayName, 'signed in');
      await untilEquals(() => status(page), 'available', 'the watched presence');
      // Later, long after the click (a click lets a page open popups for a few seconds): the session is revoked.
      // Tokens issued before it are refused from the next second on.
      await sleep(6000);
      const revoked = await (
        await fetch(`${cloud.control.url}/sessions/revoke`, { method: 'POST', body: JSON.stringify({ user: me.id }) })
      ).json();
      assert.ok(revoked.revoked.refreshTokens >= 1, 'the refresh token was revoked');
      cloud.tenant.setPresence(watched.id, { availability: 'DoNotDisturb', activity: 'Presenting' });
      // Polling meets the refused token; silent renewal fails (no refresh token, no session): sign-in is needed.
      await untilEquals(() => signInShown(page), 'true', 'the sign-in button is back');
      assert.equal(popups.length, 1, 'no popup opened without a click');
      assert.notEqual(await status(page), 'do-not-disturb', 'nothing read with the revoked session');

      const again = page.waitForEvent('popup');
      await signInButton(page).click();
      await (await again).waitForEvent('close', { timeout: 20_000 });
      assert.equal(popups.length, 2, 'the click opened one popup');
      await untilEquals(() => status(page), 'do-not-disturb', 'the presence shows again');
      await untilEquals(() => signedInName(page), me.displayName, 'signed in again');
      const token = (await page.evaluate(`window.providerTest.token(['Presence.Read.All'])`)) as string;
      assert.doesNotThrow(
        () => cloud.entra.verifyAccessToken(token, { audience: [GRAPH_RESOURCE, GRAPH_APP_ID] }),
        'the new token works',
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

test(
  "interaction: 'redirect': the page goes to Entra ID's authorize endpoint and comes back signed in, through /redirect.html",
  { skip },
  async () => {
    const { cloud } = stage;
    const me = cloud.tenant.users[0]!;
    const watched = cloud.tenant.users[10]!;
    cloud.tenant.setPresence(watched.id, { availability: 'Away', activity: 'Away' });
    const { context, page, popups, errors } = await open('redirect', watched.id);
    try {
      // Navigations of the page itself, redirects included (the authorize endpoint answers with one).
      const visited: string[] = [];
      page.on(
        'request',
        (request) =>
          request.isNavigationRequest() && request.frame() === page.mainFrame() && visited.push(request.url()),
      );
      await signInButton(page).click();
      await untilEquals(async () => new URL(page.url()).pathname, '/index.html', 'back on the app', 20_000).catch(
        () => undefined,
      );
      await untilEquals(() => signedInName(page), me.displayName, 'signed in after the redirect');
      const paths = visited.map((url) => `${new URL(url).host}${new URL(url).pathname}`);
      const authorize = visited.findIndex((url) => url.startsWith(`${cloud.entra.authority}/oauth2/v2.0/authorize`));
      const bridge = visited.findIndex((url) => new URL(url).pathname === '/redirect.html');
      assert.ok(authorize >= 0, `went to the authorize endpoint: ${paths.join(' -> ')}`);
      assert.ok(bridge > authorize, `came back through the redirect bridge: ${paths.join(' -> ')}`);
      assert.equal(new URL(page.url()).pathname, '/index.html', 'and on to the page it left');
      await untilEquals(() => status(page), 'away', 'the watched presence');
      assert.equal(popups.length, 0, 'no popup');
      const token = (await page.evaluate(`window.providerTest.token(['Presence.Read.All'])`)) as string;
      assert.equal(decodeJwt(token).claims.oid, me.id);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
