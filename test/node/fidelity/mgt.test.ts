// The Microsoft Graph Toolkit's <mgt-person> in Chromium, against the Graph emulator: name, photo and presence, as it
// fetches them from Graph (a $batch for the user and the photo, then the presence). The Toolkit only talks to
// https://graph.microsoft.com (its provider refuses any other base URL), so Playwright routes those requests to the
// emulator on 127.0.0.1; every other request is refused and recorded, and none may happen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { GRAPH_RESOURCE } from '../../../emulator/entra/clients.js';
import { chromiumStage, noChromium as skip } from '../stage.js';
import { root } from '../support.js';

let site: string;
const BASIC = ['User.Read', 'User.ReadBasic.All', 'Presence.Read.All'];
const FULL = [...BASIC, 'User.Read.All'];

const stage = chromiumStage({
  emulators: { simulatorRate: 0, tenant: { seed: 'toolkit', userCount: 60, teamSizes: [5, 50] } },
  requires: [],
  async site() {
    site = mkdtempSync(join(tmpdir(), 'mgt-site-'));
    await build({
      entryPoints: { app: join(root, 'test/node/fixtures/mgt/app.ts') },
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: site,
      logLevel: 'error',
    });
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="/app.js"></script></head><body></body></html>',
    );
    return site;
  },
  async tearDown() {
    if (site) rmSync(site, { recursive: true, force: true });
  },
});

interface Seen {
  graph: string[];
  refused: string[];
}

/** A page whose Graph traffic goes to the emulator and whose tokens come from the Entra emulator. */
async function toolkitPage(scopes: string[]): Promise<{ page: Page; seen: Seen; close: () => Promise<void> }> {
  const { cloud, browser, origin } = stage;
  const context = await browser.newContext();
  const seen: Seen = { graph: [], refused: [] };
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (url.hostname === 'graph.microsoft.com') {
      seen.graph.push(`${route.request().method()} ${url.pathname}`);
      const response = await route.fetch({ url: `${cloud.graph.url}${url.pathname}${url.search}` });
      return route.fulfill({ response });
    }
    seen.refused.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  await page.exposeFunction('graphToken', () =>
    cloud.entra.issueToken({
      userId: cloud.tenant.users[0]!.id,
      clientId: 'a11ce000-0000-4000-8000-00000000000b',
      audience: GRAPH_RESOURCE,
      scopes,
    }),
  );
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.evaluate(() => window.startToolkit());
  return { page, seen, close: () => context.close() };
}

/** What <mgt-person> shows: its first two lines, its image's source and its presence badge's title. */
async function shown(
  page: Page,
): Promise<{ line1?: string; line2?: string; image?: string; presence?: string; initials?: string }> {
  // (No named functions inside: the page does not have the helpers the test's compiler would wrap them with.)
  return page.evaluate(() => {
    const shadow = document.querySelector('mgt-person')?.shadowRoot;
    return {
      line1: shadow?.querySelector('.line1')?.textContent?.trim() || undefined,
      line2: shadow?.querySelector('.line2')?.textContent?.trim() || undefined,
      image: shadow?.querySelector('img')?.getAttribute('src') ?? undefined,
      presence: shadow?.querySelector('.presence-wrapper')?.getAttribute('title') ?? undefined,
      initials: shadow?.querySelector('.initials')?.textContent?.trim() || undefined,
    };
  });
}

test("<mgt-person> shows a person's name, job title, photo and presence from the emulator", { skip }, async () => {
  const { cloud } = stage;
  const person = cloud.tenant.users.find((u, i) => i > 0 && u.photoSize === 648 && u.jobTitle)!;
  cloud.tenant.setPresence(person.id, { availability: 'Busy', activity: 'InAMeeting' });
  const { page, seen, close } = await toolkitPage(FULL);
  try {
    await page.evaluate(
      (id) =>
        document.body.insertAdjacentHTML(
          'beforeend',
          `<mgt-person user-id="${id}" view="twolines" show-presence></mgt-person>`,
        ),
      person.id,
    );
    await page.waitForFunction(
      () => {
        const shadow = document.querySelector('mgt-person')?.shadowRoot;
        return (
          shadow?.querySelector('img') &&
          shadow.querySelector('.line1')?.textContent?.trim() &&
          shadow.querySelector('.presence-wrapper')?.getAttribute('title')
        );
      },
      undefined,
      { timeout: 15_000 },
    );
    const view = await shown(page);
    assert.equal(view.line1, person.displayName);
    assert.equal(view.line2, person.jobTitle);
    assert.equal(view.presence, 'In a meeting');
    assert.match(view.image ?? '', /^data:image\/png;base64,/);
    const png = Buffer.from(view.image!.split(',')[1]!, 'base64');
    assert.deepEqual(
      [png.readUInt32BE(16), png.readUInt32BE(20)],
      [648, 648],
      'the largest photo, as /photo/$value gives it',
    );
    assert.ok(seen.graph.includes('POST /v1.0/$batch'), seen.graph.join(', '));
    assert.ok(seen.graph.includes(`GET /v1.0/users/${person.id}/presence`), seen.graph.join(', '));
    assert.deepEqual(seen.refused, [], 'no request left 127.0.0.1');
  } finally {
    await close();
  }
});

test(
  '<mgt-person> for someone without a photo shows initials; with User.ReadBasic.All alone, no job title (Graph shows the basic profile only)',
  { skip },
  async () => {
    const { cloud } = stage;
    const person = cloud.tenant.users.find((u) => !u.hasPhoto && u.givenName && u.surname && u.jobTitle)!;
    const { page, seen, close } = await toolkitPage(BASIC);
    try {
      await page.evaluate(
        (id) =>
          document.body.insertAdjacentHTML('beforeend', `<mgt-person user-id="${id}" view="twolines"></mgt-person>`),
        person.id,
      );
      await page.waitForFunction(
        () => document.querySelector('mgt-person')?.shadowRoot?.querySelector('.line1')?.textContent?.trim(),
        undefined,
        { timeout: 15_000 },
      );
      const view = await shown(page);
      assert.equal(view.line1, person.displayName);
      assert.equal(view.line2, undefined);
      assert.equal(view.image, undefined);
      assert.equal(view.initials, `${person.givenName![0]}${person.surname![0]}`.toUpperCase());
      assert.deepEqual(seen.refused, []);
    } finally {
      await close();
    }
  },
);
