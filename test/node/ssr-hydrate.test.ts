// Server-side rendering, then hydration: a page rendered in Node with @lit-labs/ssr, opened in Chromium with the
// built package and Lit's hydrate support loaded first. Every element takes over the shadow root the server sent,
// with nothing drawn twice and no error, and then works as usual.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { chromiumStage, noChromium } from './stage.js';
import { renderPage } from './ssr-support.js';
import { requireBuild, root } from './support.js';

let site = '';

/** Bundles modules imported in this order into `<site>/<name>.js`, with its chunks (the demo source, say). */
async function bundle(modules: string[], name: string): Promise<void> {
  await build({
    stdin: { contents: modules.map((m) => `import ${JSON.stringify(m)};`).join('\n'), resolveDir: root },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: site,
    entryNames: name,
    chunkNames: `${name}-[hash]`,
    logLevel: 'error',
  });
}

const stage = chromiumStage({
  requires: ['dist/define.js'],
  site: async () => {
    requireBuild('dist/define.js');
    site = await mkdtemp(join(tmpdir(), 'presence-ssr-'));
    // The client as an app's bundler makes it: the hydrate support first, then the elements. And the same page
    // with the elements only, as a page that forgot the hydrate support has it.
    await bundle(['@lit-labs/ssr-client/lit-element-hydrate-support.js', join(root, 'dist/define.js')], 'client');
    await bundle([join(root, 'dist/define.js')], 'plain');
    await writeFile(join(site, 'index.html'), await renderPage('./client.js'), 'utf8');
    await writeFile(join(site, 'plain.html'), await renderPage('./plain.js'), 'utf8');
    await writeFile(
      join(site, 'megan.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#8764b8"/></svg>',
      'utf8',
    );
    return site;
  },
  async tearDown() {
    if (site) await rm(site, { recursive: true, force: true });
  },
});

/** Console errors and uncaught errors of the page, from its first script on. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** How many nodes match `selector` in the shadow root of the element with this id. */
function countIn(page: Page, id: string, selector: string): Promise<number> {
  return page.evaluate(
    ([id, selector]) => document.getElementById(id!)?.shadowRoot?.querySelectorAll(selector!).length ?? -1,
    [id, selector],
  );
}

/** The text of the nodes matching `selector` in the shadow root of the element with this id, spaces collapsed. */
function textOf(page: Page, id: string, selector: string): Promise<string> {
  return page.evaluate(
    ([id, selector]) =>
      [...(document.getElementById(id!)?.shadowRoot?.querySelectorAll(selector!) ?? [])]
        .map((n) => n.textContent)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    [id, selector],
  );
}

/** Opens the page and waits until every element in it has rendered on the client (hydrated). */
async function openHydrated(file = 'index.html'): Promise<{ page: Page; problems: string[] }> {
  const page = await stage.browser.newPage();
  const problems = problemsOf(page);
  await page.goto(`${stage.origin}/${file}`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement & { hasUpdated?: boolean }>('body [id]')]
      .filter((e) => e.localName.includes('-'))
      .every((e) => e.hasUpdated),
  );
  return { page, problems };
}

/** The accessible name of the element's `part="base"`. */
function labelOf(page: Page, id: string): Promise<string | null> {
  return page.evaluate(
    (id) => document.getElementById(id)?.shadowRoot?.querySelector('[part="base"]')?.getAttribute('aria-label') ?? null,
    id,
  );
}

/** The width of the first node matching `selector` in the shadow root of the element with this id, in pixels. */
function widthOf(page: Page, id: string, selector: string): Promise<number> {
  return page.evaluate(
    ([id, selector]) =>
      document.getElementById(id!)?.shadowRoot?.querySelector(selector!)?.getBoundingClientRect().width ?? -1,
    [id, selector],
  );
}

test('before any script runs, the page shows what the server rendered', { skip: noChromium }, async () => {
  const page = await stage.browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${stage.origin}/index.html`);
  // Chromium attached the declarative shadow roots while parsing; no element is defined.
  assert.equal(await page.evaluate(() => customElements.get('presence-avatar')), undefined);
  assert.equal(await labelOf(page, 'avatar'), 'Adele Vance, Available');
  assert.equal(await labelOf(page, 'badge'), 'Busy, In a call');
  assert.equal(await labelOf(page, 'arabic'), 'Adele Vance، مشغول، في مكالمة');
  assert.equal(await textOf(page, 'team', '.empty'), 'Loading members…');
  assert.equal(await textOf(page, 'sign-in', 'button'), 'Sign in');
  // Named sizes are drawn by the styles alone.
  assert.equal(await widthOf(page, 'photo', '[part="avatar"]'), 56);
  assert.equal(await widthOf(page, 'badge', '[part="base"]'), 20);
  await page.close();
});

test(
  'hydration: every element takes over its server-rendered shadow root, nothing twice, no error',
  { skip: noChromium },
  async () => {
    const { page, problems } = await openHydrated();
    // The lists fill in from the demo source: the three given, and the two unknown ids of the list outside the
    // provider (which uses the page's default client, the provider's).
    await page.waitForFunction(
      () => document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length === 3,
    );
    await page.waitForFunction(
      () => document.getElementById('lonely')?.shadowRoot?.querySelectorAll('[part="row"]').length === 2,
    );
    for (const id of ['team', 'lonely']) {
      assert.equal(await countIn(page, id, '[part="toolbar"]'), 1, `${id}: one toolbar`);
      assert.equal(await countIn(page, id, '[part="list"]'), 1, `${id}: one list`);
      assert.equal(await countIn(page, id, '.empty'), 0, `${id}: no longer loading`);
      const ids = await page.evaluate(
        (id) => [...document.getElementById(id)!.shadowRoot!.querySelectorAll('[part="row"]')].map((r) => r.id),
        id,
      );
      assert.equal(new Set(ids).size, ids.length, `${id}: each member once`);
    }
    for (const id of ['badge', 'french', 'avatar', 'arabic', 'photo', 'live', 'card', 'picker']) {
      assert.equal(await countIn(page, id, '[part="base"]'), 1, `${id}: one base`);
    }
    assert.equal(await countIn(page, 'alerts', '[part="list"]'), 1);
    assert.equal(await countIn(page, 'provider', 'slot'), 1);
    // Each shadow root holds one copy of its styles. Lit's elements keep the server's; the avatar and the badge,
    // which render afresh in the browser, adopt the same sheets as an avatar made in the page, the server's gone.
    for (const id of ['team', 'picker']) assert.equal(await countIn(page, id, 'style'), 1, `${id}: one style`);
    for (const id of ['avatar', 'badge']) {
      assert.equal(await countIn(page, id, 'style'), 0, `${id}: no style left from the server`);
      const sheets = await page.evaluate((id) => {
        const made = document.body.appendChild(document.createElement(document.getElementById(id)!.localName));
        const counts = [
          document.getElementById(id)!.shadowRoot!.adoptedStyleSheets.length,
          made.shadowRoot!.adoptedStyleSheets.length,
        ];
        made.remove();
        return counts;
      }, id);
      assert.ok(sheets[1]! > 0 && sheets[0] === sheets[1], `${id}: its sheets once (${sheets.join(' vs ')})`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  },
);

test('hydrated elements catch up with the page and work', { skip: noChromium }, async () => {
  const { page, problems } = await openHydrated();
  // The client arrives: the demo's "me" gets a name and a status, the sign-in button gives way to the account.
  await page.waitForFunction(() =>
    /^Adele Vance, /.test(
      document.getElementById('live')?.shadowRoot?.querySelector('[part="base"]')?.getAttribute('aria-label') ?? '',
    ),
  );
  await page.waitForFunction(() => document.getElementById('sign-in')?.shadowRoot?.querySelector('presence-avatar'));
  // The page's language, unknown to the server, is followed once the script runs.
  await page.waitForFunction(
    () =>
      document.getElementById('french')?.shadowRoot?.querySelector('[part="base"]')?.getAttribute('aria-label') ===
      'Occupé, En communication',
  );
  assert.equal(await labelOf(page, 'arabic'), 'Adele Vance، مشغول، في مكالمة');
  // A photo that loaded before the script ran shows, at the size it had.
  await page.waitForFunction(() => document.getElementById('photo')?.shadowRoot?.querySelector('img.loaded'));
  assert.equal(await widthOf(page, 'photo', '[part="avatar"]'), 56);
  assert.equal(await widthOf(page, 'badge', '[part="base"]'), 20);
  // A property set after hydration redraws.
  await page.evaluate(() => {
    (document.getElementById('avatar') as HTMLElement & { presence: unknown }).presence = {
      availability: 'DoNotDisturb',
      activity: 'Presenting',
    };
  });
  await page.waitForFunction(
    () =>
      document.getElementById('avatar')?.shadowRoot?.querySelector('[part="base"]')?.getAttribute('aria-label') ===
      'Adele Vance, Do not disturb, Presenting',
  );
  // The list filters.
  await page.waitForFunction(
    () => document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length === 3,
  );
  const first = await page.evaluate(
    () =>
      document
        .getElementById('team')!
        .shadowRoot!.querySelector<HTMLElement & { displayName: string }>('[part="row"] presence-avatar')!.displayName,
  );
  await page.locator('#team [part="filter"]').fill(first);
  await page.waitForFunction(
    () => document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length === 1,
  );
  assert.equal(await countIn(page, 'team', '[part="toolbar"]'), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test(
  'without the hydrate support, elements draw afresh over the server HTML: still nothing twice',
  { skip: noChromium },
  async () => {
    const { page, problems } = await openHydrated('plain.html');
    await page.waitForFunction(
      () => document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length === 3,
    );
    assert.equal(await countIn(page, 'team', '[part="toolbar"]'), 1);
    assert.equal(await countIn(page, 'avatar', '[part="base"]'), 1);
    assert.equal(await labelOf(page, 'avatar'), 'Adele Vance, Available');
    assert.deepEqual(problems, []);
    await page.close();
  },
);
