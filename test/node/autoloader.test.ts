// The autoloader in a plain HTML page under the strict Content Security Policy, in headless Chromium: a tag is
// defined the first time it appears (the avatar and the badge from the chunk every element shares, any other tag
// from its own chunk); what the page does not use is never downloaded.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { avatarLabel } from './support/avatar-label.js';
import { listDrawn } from './support/list-drawn.js';
import { serveWithPolicy, strictPolicy, watchForViolations } from './csp-support.js';
import { chromiumStage, noChromium } from './stage.js';

let site: { origin: string; server: Server };

const stage = chromiumStage({
  host: '127.0.0.1',
  requires: ['dist/cdn/autoloader.js', 'dist/cdn/elements/presence-avatar.js'],
  async setUp() {
    site = await serveWithPolicy(strictPolicy());
  },
  async tearDown() {
    site?.server.close();
  },
});

/** Opens a fixture, recording the paths of the scripts it fetches. */
async function open(fixture: string): Promise<{ page: Page; scripts: string[]; check: () => Promise<void> }> {
  const page = await stage.browser.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('.js')) scripts.push(url.pathname);
  });
  const { problems, violations } = await watchForViolations(page);
  await page.goto(`${site.origin}/test/node/fixtures/${fixture}`);
  return {
    page,
    scripts,
    check: async () => {
      assert.deepEqual(await violations(), [], 'no violation of the policy');
      assert.deepEqual(problems, [], 'no error in the page');
    },
  };
}

test(
  'a page of avatars loads the autoloader and the shared chunk, not the team list; a list added later is defined then',
  { skip: noChromium },
  async () => {
    const { page, scripts, check } = await open('autoloader.html');
    await page.waitForFunction(() => customElements.get('presence-avatar'));
    assert.equal(await avatarLabel(page, 'adele'), 'Adele Vance, Busy, In a call');
    assert.equal(await avatarLabel(page, 'lee'), 'Lee Gu, Away');
    // The shared chunk holds the avatar (and the badge, English): no element's file to wait for, and no Lit.
    // (Megan's avatar, with a user ID and a card, loads what watches a person and opens a card, on its own: the card
    // opener and the directive it sets its label's style with.)
    assert.deepEqual(
      scripts
        .filter((s) => !/\/chunks\/(live|card-opener|directive)-/.test(s))
        .map((s) => s.replace(/-[\w-]+\.js$/, '.js')),
      ['/dist/cdn/autoloader.js', '/dist/cdn/chunks/core.js'],
      'the avatars need no file but the shared chunk',
    );
    const notUsed = scripts.filter((s) =>
      /\/elements\/(team-presence-list|presence-sign-in|presence-provider|presence-card)\.js$|\/chunks\/(msal|graph-client|signalr|fr|de|ar|he)-/.test(
        s,
      ),
    );
    assert.deepEqual(notUsed, [], 'nothing the page does not use is downloaded');
    assert.equal(await page.evaluate(() => customElements.get('team-presence-list')), undefined);
    assert.ok(!scripts.includes('/dist/cdn/presence-elements.js'), 'not the full bundle either');

    // A list appears later: the autoloader sees it, loads its chunk, and the tag is defined and drawn.
    await page.evaluate(() => {
      const list = document.createElement('team-presence-list');
      list.id = 'team';
      document.body.append(list);
    });
    await page.evaluate(() => customElements.whenDefined('team-presence-list'));
    assert.equal(await listDrawn(page, 'team'), true, 'the list rendered');
    assert.ok(
      scripts.includes('/dist/cdn/elements/team-presence-list.js'),
      "the list's chunk was loaded when it appeared",
    );
    await check();
    await page.close();
  },
);

test(
  'a tag the page defined itself is left alone; the badge is defined from the shared chunk alone',
  { skip: noChromium },
  async () => {
    const page = await stage.browser.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => r.url().endsWith('.js') && scripts.push(new URL(r.url()).pathname));
    const { problems } = await watchForViolations(page);
    // The page's own <presence-avatar>, defined before the autoloader runs.
    await page.addInitScript(
      'customElements.define("presence-avatar", class PagesAvatar extends HTMLElement { connectedCallback() { this.textContent = "the page\'s own"; } });',
    );
    await page.goto(`${site.origin}/test/node/fixtures/autoloader.html`);
    await page.evaluate(() => document.body.append(document.createElement('presence-badge')));
    await page.evaluate(() => customElements.whenDefined('presence-badge'));
    assert.deepEqual(
      await page.evaluate(() => [
        customElements.get('presence-avatar')?.name,
        document.getElementById('adele')?.textContent,
      ]),
      ['PagesAvatar', "the page's own"],
    );
    assert.deepEqual(
      scripts.map((s) => s.replace(/-[\w-]+\.js$/, '.js')),
      ['/dist/cdn/autoloader.js', '/dist/cdn/chunks/core.js'],
    );
    assert.deepEqual(problems, [], 'no error in the page');
    await page.close();
  },
);

test(
  'an avatar opens its card: the card is defined from its chunk when first opened',
  { skip: noChromium },
  async () => {
    const { page, scripts, check } = await open('autoloader.html');
    await page.waitForFunction(() => customElements.get('presence-avatar'));
    await avatarLabel(page, 'megan');
    assert.ok(!scripts.includes('/dist/cdn/elements/presence-card.js'), 'no card before it is opened');
    await page.click('#megan');
    await page.waitForFunction(() => {
      const card = document.getElementById('megan')?.shadowRoot?.querySelector('presence-card') as
        (HTMLElement & { open?: boolean }) | null;
      return customElements.get('presence-card') && card?.open === true;
    });
    assert.ok(scripts.includes('/dist/cdn/elements/presence-card.js'), "the card's chunk was loaded");
    await check();
    await page.close();
  },
);

test('a page in Arabic loads the Arabic words and shows them, never English first', { skip: noChromium }, async () => {
  const { page, scripts, check } = await open('autoloader-ar.html');
  await page.waitForFunction(() => customElements.get('presence-avatar'));
  // The first render waits for the words: the label is Arabic as soon as the avatar has rendered at all.
  assert.equal(await avatarLabel(page, 'adele'), 'Adele Vance، مشغول، في مكالمة');
  assert.ok(
    scripts.some((s) => /\/chunks\/ar-[\w-]+\.js$/.test(s)),
    'the Arabic words were loaded',
  );
  assert.deepEqual(
    scripts.filter((s) => /\/chunks\/(fr|de|he)-/.test(s)),
    [],
    'no other language',
  );

  // Another language appears in the page: its words arrive and the avatar re-renders in them.
  await page.evaluate(() => {
    const section = document.createElement('section');
    section.lang = 'fr';
    const avatar = document.createElement('presence-avatar');
    avatar.id = 'lee';
    avatar.setAttribute('display-name', 'Lee Gu');
    avatar.setAttribute('presence', 'Busy');
    section.append(avatar);
    document.body.append(section);
  });
  await page.waitForFunction(() =>
    document
      .getElementById('lee')
      ?.shadowRoot?.querySelector('[part~="base"]')
      ?.getAttribute('aria-label')
      ?.includes('Occupé'),
  );
  await check();
  await page.close();
});

test(
  'loaded through a redirect, the autoloader and Lit run once, and every tag works under the strict policy',
  { skip: noChromium },
  async () => {
    // A CDN resolving a version range (unpkg.com/presence-elements@0.1/…) answers with a redirect. The page's module
    // map keys the autoloader by the address the page asked for (the HTML standard's "fetch a single module script"),
    // while its chunks are resolved from the address it came from: nothing may import the autoloader's file, or it
    // would run twice, Lit inside, and Lit's second Trusted Types policy would be refused.
    const page = await stage.browser.newPage();
    await page.route('**/cdn-latest/autoloader.js', (route) =>
      route.fulfill({ status: 302, headers: { location: '/dist/cdn/autoloader.js' } }),
    );
    const { problems, violations } = await watchForViolations(page);
    await page.goto(`${site.origin}/test/node/fixtures/autoloader-redirect.html`);
    await page.waitForFunction(() =>
      document.getElementById('live')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status'),
    );
    assert.match((await avatarLabel(page, 'live')) ?? '', /^Adele Vance, /);
    assert.equal(await avatarLabel(page, 'adele'), 'Adele Vance، مشغول، في مكالمة');
    await page.waitForFunction(() =>
      document
        .getElementById('team')
        ?.shadowRoot?.querySelector('.summary')
        ?.getAttribute('title')
        ?.includes('Available'),
    );
    assert.deepEqual(await violations(), [], 'no violation of the policy');
    assert.deepEqual(problems, [], 'no error in the page');
    await page.close();
  },
);
