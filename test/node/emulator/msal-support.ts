// What the Chromium tests of msalTokenProvider share: the page (fixtures/msal/provider.ts, with the shipped
// redirect-bridge page at /redirect.html), reading it without acting as a user, and waiting for what it shows.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { EmulatorOptions } from '../../../emulator/index.js';
import { chromiumStage, type Stage } from '../stage.js';
import { root } from '../support.js';

/**
 * The Chromium stage of a file of provider-page tests: the local cloud with `emulators`, the page's site built in a
 * temporary folder (removed after), the emulators' certificate accepted, popups without a click blocked.
 */
export function providerStage(name: string, emulators: EmulatorOptions): Stage {
  let site: string | undefined;
  return chromiumStage({
    emulators,
    requires: ['dist/cdn/redirect.html'],
    acceptCertificates: true,
    // Popups without a click are blocked, as in any browser.
    blockPopups: true,
    async site() {
      site = await providerSite(name);
      return site;
    },
    async tearDown() {
      if (site) rmSync(site, { recursive: true, force: true });
    },
  });
}

/** Builds the provider page's site in a temporary folder; its path. */
export async function providerSite(name: string): Promise<string> {
  const site = mkdtempSync(join(tmpdir(), `${name}-`));
  // The redirect-bridge page as the README says: dist/cdn/redirect.html and its script, at /redirect.html.
  cpSync(join(root, 'dist/cdn'), site, { recursive: true });
  await build({
    entryPoints: { app: join(root, 'test/node/fixtures/msal/provider.ts') },
    bundle: true,
    format: 'esm',
    outdir: site,
    logLevel: 'error',
    tsconfig: join(root, 'tsconfig.base.json'),
    // The package's sideEffects name dist/ files only: keep src/define.ts, which registers the tags.
    ignoreAnnotations: true,
  });
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><script type="module" src="/app.js"></script></head><body></body></html>',
  );
  return site;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Reads go through CDP's Runtime.evaluate, which, unlike Playwright's page.evaluate, does not act as a user gesture:
// a gesture would let the page open popups by itself for a few seconds. Null while the page is away (navigating).
const sessions = new WeakMap<Page, CDPSession>();
export async function read(page: Page, expression: string): Promise<string | null> {
  try {
    const reply = await sessions.get(page)!.send('Runtime.evaluate', { expression, returnByValue: true });
    return (reply.result.value as string | null | undefined) ?? null;
  } catch {
    return null;
  }
}
export const status = (page: Page) =>
  read(
    page,
    `document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ?? null`,
  );
export const signedInName = (page: Page) =>
  read(
    page,
    `document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('presence-avatar')?.shadowRoot?.querySelector('[part~="name"]')?.textContent ?? null`,
  );
export const signInShown = (page: Page) =>
  read(page, `String(!!document.querySelector('presence-sign-in')?.shadowRoot?.querySelector('button.primary'))`);
export const signInButton = (page: Page) => page.locator('presence-sign-in button.primary');

/** Opens the provider page in a new browser context and starts it in `mode`, watching `watched`. */
export async function openProviderPage(
  stage: Stage,
  mode: 'own-app' | 'popup' | 'redirect',
  watched: string,
): Promise<{ context: BrowserContext; page: Page; popups: string[]; errors: string[] }> {
  const { cloud, browser, origin } = stage;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (process.env.DEBUG_PAGE) page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
  const popups: string[] = [];
  page.on('popup', (p) => popups.push(p.url()));
  sessions.set(page, await context.newCDPSession(page));
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.evaluate(
    `window.providerTest.start(${JSON.stringify({ clientId: DEMO_SPA_CLIENT_ID, authority: cloud.entra.authority, graph: cloud.graph.url, watched, mode })})`,
  );
  return { context, page, popups, errors };
}
