// The script-tag bundle in a plain HTML page with no bundler, in headless Chromium.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromiumStage, noChromium } from './stage.js';
import { requireBuild, root } from './support.js';

const stage = chromiumStage({ host: '127.0.0.1' });

test('one module script registers every element and they render', { skip: noChromium }, async () => {
  const { browser, origin } = stage;
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(`${origin}/test/node/fixtures/script-tag.html`);
  await page.waitForFunction(() => customElements.get('presence-avatar') && customElements.get('presence-badge'));
  const seen = await page.evaluate(async () => {
    const avatar = document.getElementById('adele') as HTMLElement & { updateComplete: Promise<unknown> };
    const badge = document.getElementById('badge') as HTMLElement & { updateComplete: Promise<unknown> };
    await avatar.updateComplete;
    await badge.updateComplete;
    const base = avatar.shadowRoot?.querySelector('[part~="base"]');
    return {
      role: base?.getAttribute('role'),
      label: base?.getAttribute('aria-label'),
      initials: avatar.shadowRoot?.querySelector('[part~="initials"]')?.textContent,
      status: avatar.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status'),
      badgeLabel: badge.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label'),
      badgeStatus: badge.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status'),
      width: avatar.shadowRoot?.querySelector('[part~="avatar"]')?.getBoundingClientRect().width,
    };
  });
  assert.deepEqual(seen, {
    role: 'img',
    label: 'Adele Vance, Busy, In a call',
    initials: 'AV',
    status: 'busy',
    badgeLabel: 'Away, Out of office',
    badgeStatus: 'out-of-office',
    width: 40,
  });
  assert.deepEqual(problems, []);
  const elsewhere = requests.filter((url) => !url.startsWith(origin));
  assert.deepEqual(elsewhere, [], 'the bundle fetches nothing from anywhere else');
  // A page that only shows avatars never downloads MSAL, the Graph client or SignalR.
  const heavy = requests.filter((url) => /\/chunks\/(msal|graph-client|signalr)-/.test(url));
  assert.deepEqual(heavy, [], 'heavy libraries loaded by a page that does not use them');
  await page.close();
});

test('the bundle ships Lit in production mode', () => {
  requireBuild('dist/cdn/presence-elements.js');
  const code = readFileSync(join(root, 'dist/cdn/presence-elements.js'), 'utf8');
  assert.doesNotMatch(code, /Lit is in dev mode/);
  assert.match(code, /presence-avatar/);
  // One file for those who want one: every built-in locale is in it, none loaded on demand.
  assert.match(code, /Beschäftigt/);
  assert.doesNotMatch(code, /import\(\s*["']\.\/chunks\/(fr|de|ar|he)-/);
});

test('MSAL and SignalR are chunks of their own, never imported statically by the entry; no Graph client', () => {
  requireBuild('dist/cdn/presence-elements.js');
  const chunks = readdirSync(join(root, 'dist/cdn/chunks')).filter((f) => f.endsWith('.js'));
  for (const name of ['msal', 'signalr'])
    assert.ok(
      chunks.some((f) => f.startsWith(`${name}-`)),
      `a ${name} chunk exists`,
    );
  const entry = readFileSync(join(root, 'dist/cdn/presence-elements.js'), 'utf8');
  const staticImports = [...entry.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{},\s$]+from\s*)?["']([^"']+)["']/g)].map(
    (m) => m[1]!,
  );
  assert.deepEqual(
    staticImports.filter((s) => /msal|signalr/.test(s)),
    [],
  );
  for (const name of ['msal', 'signalr'])
    assert.match(entry, new RegExp(`import\\(\\s*["']\\./chunks/${name}-`), `${name} is loaded with import()`);
  // Graph is called with fetch: the Graph SDK (its `SdkVersion` header) ships in no file.
  for (const file of ['presence-elements.js', ...chunks.map((f) => `chunks/${f}`)])
    assert.doesNotMatch(readFileSync(join(root, 'dist/cdn', file), 'utf8'), /SdkVersion/, file);
});

test('the redirect-bridge page loads one small self-contained script, not the MSAL chunk', () => {
  requireBuild('dist/cdn/redirect-bridge.js');
  const code = readFileSync(join(root, 'dist/cdn/redirect-bridge.js'), 'utf8');
  assert.doesNotMatch(code, /\bfrom\s*["']\.\/chunks\//, 'imports a shared chunk');
  assert.ok(code.length < 20_000, `redirect-bridge.js is ${code.length} bytes`);
});
