// Proof that the real @azure/msal-browser v5 signs in against the Entra ID emulator in Chromium: by popup and by
// redirect, through the redirect-bridge page this package ships, then gets tokens silently.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { DEMO_SPA_CLIENT_ID, GRAPH_APP_ID, GRAPH_RESOURCE } from '../../../emulator/entra/clients.js';
import { decodeJwt } from '../../../common/jwt.js';
import { chromiumStage, noChromium as skip } from '../stage.js';
import { root } from '../support.js';
import { until } from '../until.js';

let site: string;
const SCOPES = ['User.Read', 'Presence.Read.All'];

// The redirect-bridge page is the one the package ships (dist/cdn/redirect.html and its script).
const stage = chromiumStage({
  emulators: { simulatorRate: 0, tenant: { seed: 'msal-proof', userCount: 60, teamSizes: [5, 50] } },
  requires: ['dist/cdn/redirect.html'],
  // The emulator's HTTPS certificate is made at start; this browser is told to accept it.
  acceptCertificates: true,
  async site() {
    site = mkdtempSync(join(tmpdir(), 'msal-site-'));
    cpSync(join(root, 'dist/cdn'), site, { recursive: true });
    await build({
      entryPoints: { app: join(root, 'test/node/fixtures/msal/app.ts') },
      bundle: true,
      format: 'esm',
      outdir: site,
      logLevel: 'error',
    });
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="/app.js"></script></head><body>app</body></html>',
    );
    return site;
  },
  async tearDown() {
    if (site) rmSync(site, { recursive: true, force: true });
  },
});

const GRAPH_AUDIENCES = [GRAPH_RESOURCE, GRAPH_APP_ID];
const settings = () => ({
  clientId: DEMO_SPA_CLIENT_ID,
  authority: stage.cloud.entra.authority,
  knownAuthority: stage.cloud.entra.host,
  scopes: SCOPES,
});

test('loginPopup through the redirect bridge, then acquireTokenSilent without a popup', { skip }, async () => {
  const { cloud, browser, origin } = stage;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready]');
  await page.evaluate((s) => (window as any).msalTest.init(s), settings());
  const popups: string[] = [];
  page.on('popup', (p) => popups.push(p.url()));
  const signedIn = await page.evaluate(() => (window as any).msalTest.loginPopup());
  assert.equal(popups.length, 1, 'one popup for the interactive sign-in');
  const adele = cloud.tenant.users[0]!;
  assert.equal(signedIn.username, adele.userPrincipalName);
  assert.equal(signedIn.homeAccountId, `${adele.id}.${cloud.tenant.id}`);
  const claims = decodeJwt(signedIn.accessToken).claims;
  assert.equal(claims.oid, adele.id);
  // A Graph token (v1.0), for Graph named by its application id, as MSAL asked with bare scope names.
  assert.equal(claims.aud, '00000003-0000-0000-c000-000000000000');
  assert.equal(claims.ver, '1.0');
  assert.equal(
    cloud.entra.verifyAccessToken(signedIn.accessToken, { audience: GRAPH_AUDIENCES }).scp,
    'User.Read Presence.Read.All',
  );

  const cached = await page.evaluate((scopes) => (window as any).msalTest.silent(scopes), SCOPES);
  assert.equal(cached.fromCache, true);
  const refreshed = await page.evaluate((scopes) => (window as any).msalTest.silent(scopes, true), SCOPES);
  assert.equal(refreshed.fromCache, false);
  assert.notEqual(refreshed.accessToken, signedIn.accessToken);
  // Incremental consent: a new scope later, still without interaction.
  const more = await page.evaluate(() => (window as any).msalTest.silent(['TeamMember.Read.All']));
  assert.equal(decodeJwt(more.accessToken).claims.scp, 'TeamMember.Read.All');
  assert.equal(popups.length, 1, 'no popup for silent tokens');
  await context.close();
});

test('loginRedirect through the redirect bridge back to the app, then a silent token', { skip }, async () => {
  const { cloud, browser, origin } = stage;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready]');
  await page.evaluate((s) => (window as any).msalTest.init(s), settings());
  const visited: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && visited.push(new URL(frame.url()).pathname));
  // The page navigates away to sign in, so this evaluation ends with the page.
  page.evaluate(() => (window as any).msalTest.loginRedirect()).catch(() => undefined);
  let result: any;
  await until(
    async () => (result = await page.evaluate(() => (window as any).msalTest?.redirectResult).catch(() => undefined)),
    'the sign-in back from the redirect',
    15_000,
    100,
  ).catch(() => undefined);
  assert.ok(visited.includes('/redirect.html'), `went through the redirect bridge: ${visited.join(' -> ')}`);
  assert.equal(new URL(page.url()).pathname, '/index.html');
  assert.ok(result, 'handleRedirectPromise returned the sign-in');
  assert.equal(result.username, cloud.tenant.users[0]!.userPrincipalName);
  const silent = await page.evaluate((scopes) => (window as any).msalTest.silent(scopes, true), SCOPES);
  assert.equal(decodeJwt(silent.accessToken).claims.oid, cloud.tenant.users[0]!.id);
  await context.close();
});
