// The script-tag bundle under a strict Content Security Policy: no inline scripts or styles, no eval, Trusted Types
// enforced. Everything draws as it should, and the page reports no violation.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { test } from 'node:test';
import { serveWithPolicy, strictPolicy, watchForViolations } from './csp-support.js';
import { chromiumStage, noChromium } from './stage.js';

let site: { origin: string; server: Server };

const stage = chromiumStage({
  host: '127.0.0.1',
  async setUp() {
    site = await serveWithPolicy(strictPolicy());
  },
  async tearDown() {
    site?.server.close();
  },
});

test('the demo tenant, a team list and a 72px avatar: drawn right, no violation', { skip: noChromium }, async () => {
  const page = await stage.browser.newPage();
  const { problems, violations } = await watchForViolations(page);
  const response = await page.goto(`${site.origin}/test/node/fixtures/csp/demo.html`);
  assert.match(response?.headers()['content-security-policy'] ?? '', /require-trusted-types-for 'script'/);
  // The team list fills in from the demo tenant, photos included.
  await page.waitForFunction(() => (document.getElementById('team')?.shadowRoot?.querySelectorAll('[part="row"]').length ?? 0) > 5, null, { timeout: 20_000 });
  await page.waitForFunction(() => document.getElementById('big')?.shadowRoot?.querySelector('img.loaded'), null, { timeout: 20_000 });
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
  })()`)) as { big: number; small: number; badge: number; smallBackground: string; rowGaps: number[]; signedIn: boolean };
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
