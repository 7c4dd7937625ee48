// The autoloader's pages in headless Chromium, served by a server that fails a chunk's first request (as a network
// blip, a deploy that replaced the hashed chunk files or a CDN error would), then serves it: the element says what
// did not load (`presence-error`, kind `load`), shows nothing false meanwhile, and is whole again once the chunk
// loads on the next try, with no reload.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { avatarLabel } from './support/avatar-label.js';
import { listDrawn } from './support/list-drawn.js';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../../scripts/static-server.mjs';
import { chromiumStage, noChromium } from './stage.js';
import { root } from './support.js';

let site: { origin: string; server: Server };
/** The chunks to fail, by a pattern of their path, with how many of their requests to fail still. */
const failing = new Map<RegExp, number>();
/** The paths of the requests failed so far. */
const failed: string[] = [];

const stage = chromiumStage({
  host: '127.0.0.1',
  requires: ['dist/cdn/autoloader.js', 'dist/cdn/elements/presence-avatar.js'],
  async setUp() {
    const files = createStaticServer(root) as Server;
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      for (const [pattern, left] of failing) {
        if (left > 0 && pattern.test(path)) {
          failing.set(pattern, left - 1);
          failed.push(path);
          res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
          return;
        }
      }
      files.emit('request', req, res);
    });
    site = { origin: `http://127.0.0.1:${await listenOnFreePort(server, 0)}`, server };
  },
  async tearDown() {
    site?.server.close();
  },
});

/** Opens a fixture with `pattern`'s chunk failing once, recording every `presence-error` the page hears. */
async function openFailing(fixture: string, pattern: RegExp): Promise<Page> {
  failing.clear();
  failed.length = 0;
  failing.set(pattern, 1);
  const page = await stage.browser.newPage();
  await page.addInitScript(
    'window.loadErrors = []; document.addEventListener("presence-error", (e) => window.loadErrors.push(e.detail));',
  );
  await page.goto(`${site.origin}/test/node/fixtures/${fixture}`);
  return page;
}

/** The `presence-error` details the page has heard. */
function errors(page: Page): Promise<Array<{ kind: string; message: string; userId?: string }>> {
  return page.evaluate('window.loadErrors');
}

/** Waits until the page has heard a `presence-error` of kind `load`. */
async function loadErrorHeard(page: Page): Promise<void> {
  await page.waitForFunction('window.loadErrors.some((d) => d.kind === "load")');
}

test('a tag whose chunk failed to load says so, and is defined on the next try', { skip: noChromium }, async () => {
  // The avatar is defined from the chunk every element shares: that chunk fails once.
  const page = await openFailing('autoloader.html', /\/chunks\/core-[^/]+\.js$/);
  await loadErrorHeard(page);
  assert.equal(failed.length, 1);
  assert.match(failed[0] ?? '', /^\/dist\/cdn\/chunks\/core-[^/]+\.js$/);
  const [error] = await errors(page);
  assert.equal(error?.kind, 'load');
  assert.match(error?.message ?? '', /presence-avatar/);
  assert.equal(await page.evaluate(() => customElements.get('presence-avatar')), undefined, 'not defined yet');
  await page.evaluate(() => customElements.whenDefined('presence-avatar'));
  assert.equal(await avatarLabel(page, 'adele'), 'Adele Vance, Busy, In a call');
  await page.close();
});

test(
  'a team list whose own file failed to load says so, and is drawn on the next try',
  { skip: noChromium },
  async () => {
    const page = await openFailing('autoloader.html', /\/elements\/team-presence-list\.js$/);
    await page.evaluate(() => customElements.whenDefined('presence-avatar'));
    assert.equal(await avatarLabel(page, 'adele'), 'Adele Vance, Busy, In a call');
    await page.evaluate(() => {
      const list = document.createElement('team-presence-list');
      list.id = 'team';
      document.body.append(list);
    });
    await loadErrorHeard(page);
    assert.deepEqual(failed, ['/dist/cdn/elements/team-presence-list.js']);
    const [error] = await errors(page);
    assert.equal(error?.kind, 'load');
    assert.match(error?.message ?? '', /team-presence-list/);
    assert.equal(await page.evaluate(() => customElements.get('team-presence-list')), undefined, 'not defined yet');
    await page.evaluate(() => customElements.whenDefined('team-presence-list'));
    assert.equal(await listDrawn(page, 'team'), true, 'the list rendered');
    await page.close();
  },
);

test(
  'a live avatar whose person code failed to load says so, never shows a presence, then goes live',
  { skip: noChromium },
  async () => {
    const page = await openFailing('autoloader-live.html', /\/chunks\/live-[^/]+\.js$/);
    await loadErrorHeard(page);
    assert.equal(failed.length, 1);
    const [error] = await errors(page);
    assert.equal(error?.kind, 'load');
    assert.equal(error?.userId, 'adele.vance@contoso.example');
    assert.match(error?.message ?? '', /could not be loaded/);
    // Meanwhile: the name it was given, no presence (neither a fake Offline nor one that looks live).
    assert.equal(await avatarLabel(page, 'live'), 'Adele Vance');
    // The page's client arrives (its own chunk shares the person code, which now loads).
    await page.evaluate(() => {
      const provider = document.createElement('presence-provider');
      provider.setAttribute('demo', '');
      document.body.append(provider);
    });
    // The next try loads it: the avatar shows the demo's presence.
    await page.waitForFunction(() => {
      const avatar = document.getElementById('live');
      return avatar?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status');
    });
    assert.match((await avatarLabel(page, 'live')) ?? '', /^Adele Vance, /);
    await page.close();
  },
);

test(
  'a page whose locale failed to load says so, then shows its language once a later try loads it',
  { skip: noChromium },
  async () => {
    const page = await openFailing('autoloader-ar.html', /\/chunks\/ar-[^/]+\.js$/);
    await loadErrorHeard(page);
    assert.equal(failed.length, 1);
    const [error] = await errors(page);
    assert.equal(error?.kind, 'load');
    await page.waitForFunction(() => {
      const avatar = document.getElementById('adele');
      const label = avatar?.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label');
      return label && !label.includes('Busy');
    });
    assert.notEqual(await avatarLabel(page, 'adele'), 'Adele Vance, Busy, In a call', 'in Arabic once here');
    await page.close();
  },
);

test(
  'Chromium fetches a module again after an import of it failed, as the HTML standard now says',
  { skip: noChromium },
  async () => {
    // whatwg/html pull request 10327: a failed fetch is not kept in the module map, so a later `import()` of the
    // same URL fetches it again. The retries above rely on it; a browser that keeps the failure needs a reload.
    const french = readdirSync(join(root, 'dist/cdn/chunks')).find((name) => /^fr-[^.]+\.js$/.test(name));
    assert.ok(french, 'the French chunk is built');
    const page = await openFailing('autoloader.html', /\/chunks\/fr-[^/]+\.js$/);
    const outcomes = await page.evaluate(async (url) => {
      const seen: string[] = [];
      for (let i = 0; i < 2; i++) {
        try {
          const module = (await import(url)) as { fr?: { locale: string } };
          seen.push(`loaded ${module.fr?.locale}`);
        } catch {
          seen.push('failed');
        }
      }
      return seen;
    }, `/dist/cdn/chunks/${french}`);
    assert.deepEqual(outcomes, ['failed', 'loaded fr']);
    assert.equal(failed.length, 1);
    await page.close();
  },
);
