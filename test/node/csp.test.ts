// The script-tag bundle under a strict Content Security Policy: no inline scripts or styles, no eval, Trusted Types
// enforced. Everything draws as it should, and the page reports no violation.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { test } from 'node:test';
import { decodeJwt } from '../../common/jwt.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../emulator/entra/clients.js';
import { makeCertificate } from '../../emulator/shared/tls.js';
import { Relay } from '../../relay/src/relay.js';
import { serveWithPolicy, strictPolicy, watchForViolations } from './csp-support.js';
import { localRelayOptions } from './relay/support.js';
import { chromiumStage, noChromium } from './stage.js';

let site: { origin: string; server: Server };
let relay: Relay;
const CLIENT_STATE = 'csp-relay';
/** The person the SignalR page watches, by index in the local tenant. */
const WATCHED = 9;

const stage = chromiumStage({
  host: '127.0.0.1',
  requires: ['dist/cdn/presence-elements.js', 'dist/cdn/redirect.html'],
  // The local Entra ID's certificate is self-signed.
  acceptCertificates: true,
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'csp', userCount: 20, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  },
  async setUp({ cloud }) {
    site = await serveWithPolicy(strictPolicy());
    const certificate = await makeCertificate('relay-notification-encryption');
    relay = new Relay({
      ...localRelayOptions(cloud, certificate, CLIENT_STATE, 'cert-1'),
      allowedOrigins: [site.origin],
    });
    await relay.start();
    // The subscription the relay keeps for the watched person, as a signed-in page would have it made.
    const token = cloud.entra.issueToken({
      userId: cloud.tenant.users[1]!.id,
      clientId: DEMO_RELAY_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['Presence.Read.All'],
    });
    const res = await fetch(`${cloud.graph.url}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'updated',
        resource: `/communications/presences/${cloud.tenant.users[WATCHED]!.id}`,
        notificationUrl: `${relay.url}/api/notifications`,
        expirationDateTime: new Date(Date.now() + 50 * 60_000).toISOString(),
        clientState: CLIENT_STATE,
        includeResourceData: true,
        encryptionCertificate: certificate.certBase64,
        encryptionCertificateId: 'cert-1',
      }),
    });
    assert.equal(res.status, 201);
  },
  async tearDown() {
    site?.server.close();
    await relay?.stop();
  },
});

test('the demo tenant, a team list and a 72px avatar: drawn right, no violation', { skip: noChromium }, async () => {
  const page = await stage.browser.newPage();
  const { problems, violations } = await watchForViolations(page);
  const response = await page.goto(`${site.origin}/test/node/fixtures/csp/demo.html`);
  assert.match(response?.headers()['content-security-policy'] ?? '', /require-trusted-types-for 'script'/);
  // The team list fills in from the demo tenant, photos included.
  await page.waitForFunction(
    () => (document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length ?? 0) > 5,
    null,
    { timeout: 20_000 },
  );
  await page.waitForFunction(() => document.getElementById('big')?.shadowRoot?.querySelector('img.loaded'), null, {
    timeout: 20_000,
  });
  // A string, not a function: the test runner's compiler would add helpers the page does not have.
  const seen = (await page.evaluate(`(() => {
    const shadow = (id) => document.getElementById(id).shadowRoot;
    const box = (id, part) => shadow(id).querySelector('[part~="' + part + '"]').getBoundingClientRect();
    const rows = [...shadow('team').querySelectorAll('[part="row"]')].slice(0, 3).map((r) => Math.round(r.getBoundingClientRect().top));
    return {
      big: box('big', 'avatar').width,
      small: box('small', 'avatar').width,
      badge: box('badge', 'base').width,
      smallBackground: getComputedStyle(shadow('small').querySelector('[part~="avatar"]')).backgroundColor,
      rowGaps: rows.slice(1).map((top, i) => top - rows[i]),
      signedIn: !!shadow('me').querySelector('presence-avatar'),
    };
  })()`)) as {
    big: number;
    small: number;
    badge: number;
    smallBackground: string;
    rowGaps: number[];
    signedIn: boolean;
  };
  assert.equal(seen.big, 72, 'extra-large is 72px');
  assert.equal(seen.small, 32, 'small is 32px');
  assert.equal(seen.badge, 20, 'a large badge is 20px');
  assert.notEqual(seen.smallBackground, 'rgba(0, 0, 0, 0)', 'the initials sit on their colour');
  assert.deepEqual(seen.rowGaps, [48, 48], 'rows one under the other');
  assert.equal(seen.signedIn, true, 'the demo user is shown');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test(
  'SignalR through the relay: connected over a WebSocket, a pushed change drawn, no violation',
  { skip: noChromium },
  async () => {
    const { cloud, browser } = stage;
    const watched = cloud.tenant.users[WATCHED]!.id;
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    const query = new URLSearchParams({
      user: cloud.tenant.users[0]!.id,
      watched,
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const page = await browser.newPage();
    const { problems, violations } = await watchForViolations(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(`${site.origin}/test/node/fixtures/csp/signalr.html?${query}`);
    // Functions, not strings: Playwright evaluates a string predicate with eval, which the policy forbids.
    const drawn = (s: string) =>
      document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') === s;
    await page.waitForFunction(drawn, 'available', { timeout: 20_000 });
    await page.waitForFunction(
      () =>
        (window as unknown as { presenceClient: { connectionState: string } }).presenceClient.connectionState ===
        'connected',
      null,
      { timeout: 20_000 },
    );
    for (const end = Date.now() + 10_000; relay.watchers.ids().length === 0 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 20));
    // Pushed, not polled (the polling interval is 30 s).
    cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
    await page.waitForFunction(drawn, 'busy', { timeout: 20_000 });
    const socket = sockets.find((url) => url.startsWith('ws://127.0.0.1:'));
    assert.ok(socket, `a WebSocket to the local SignalR Service (${sockets.join(', ')})`);
    // Browsers cannot set headers on a WebSocket: the token rides in the URL. It is SignalR Service's client token
    // for this hub and user (from the relay's negotiate), never the user's Entra ID token.
    const inUrl = decodeJwt(new URL(socket).searchParams.get('access_token') ?? '').claims;
    assert.match(String(inUrl.aud), /\/client\/\?hub=presence$/);
    assert.equal(inUrl['asrs.s.uid'], cloud.tenant.users[0]!.id);
    assert.equal(inUrl.scp, undefined, 'no Entra ID scopes in the URL');
    assert.ok(Number(inUrl.exp) - Number(inUrl.iat) <= 3600, 'it lasts an hour at most');
    const width = await page.evaluate(
      `document.getElementById('watched').shadowRoot.querySelector('[part~="avatar"]').getBoundingClientRect().width`,
    );
    assert.equal(width, 72);
    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await page.close();
  },
);

test(
  'MSAL: signed in with a popup through the shipped redirect-bridge page, presence read from Graph, no violation',
  { skip: noChromium },
  async () => {
    const { cloud, browser } = stage;
    const me = cloud.tenant.users[0]!;
    const watched = cloud.tenant.users[4]!.id;
    cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
    cloud.entra.signInAs = me.id;
    const query = new URLSearchParams({
      clientId: DEMO_SPA_CLIENT_ID,
      authority: cloud.entra.authority,
      graph: cloud.graph.url,
      watched,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const { problems, violations } = await watchForViolations(page);
    // The popup's pages (the local Entra ID's, then the redirect bridge under the policy) are watched too: Chromium
    // reports a refused resource as a console error.
    const popupProblems: string[][] = [];
    context.on('page', (popup) => {
      if (popup === page) return;
      popupProblems.push([]);
      const mine = popupProblems[popupProblems.length - 1]!;
      popup.on('console', (m) => m.type() === 'error' && mine.push(`popup console: ${m.text()}`));
      popup.on('pageerror', (e) => mine.push(`popup pageerror: ${e.message}`));
    });
    try {
      await page.goto(`${site.origin}/test/node/fixtures/csp/msal.html?${query}`);
      const popup = page.waitForEvent('popup');
      await page.locator('presence-sign-in button.primary').click();
      await (await popup).waitForEvent('close', { timeout: 20_000 });
      const drawn = (s: string) =>
        document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') === s;
      await page.waitForFunction(drawn, 'do-not-disturb', { timeout: 20_000 });
      const signedIn = (name: string) =>
        document
          .querySelector('presence-sign-in')
          ?.shadowRoot?.querySelector('presence-avatar')
          ?.shadowRoot?.querySelector('[part~="name"]')?.textContent === name;
      await page.waitForFunction(signedIn, me.displayName, { timeout: 20_000 });
      const width = await page.evaluate(
        `document.getElementById('watched').shadowRoot.querySelector('[part~="avatar"]').getBoundingClientRect().width`,
      );
      assert.equal(width, 72);
      assert.deepEqual(await violations(), []);
      assert.deepEqual(problems, []);
      assert.deepEqual(popupProblems.flat(), []);
    } finally {
      await context.close();
    }
  },
);
