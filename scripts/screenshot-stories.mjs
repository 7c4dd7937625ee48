// `npm run screenshots`: a PNG of every story of the built Storybook (storybook-static/), taken in headless
// Chromium, written to screenshots/<story-id>.png. Build the Storybook first (`npm run build-storybook`).
// `--filter text` keeps only the stories whose id contains the text.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, requireChromium } from './find-chromium.mjs';
import { createStaticServer, listenOnFreePort } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const site = join(root, 'storybook-static');
const out = join(root, 'screenshots');
const filterAt = process.argv.indexOf('--filter');
const filter = filterAt > 0 ? process.argv[filterAt + 1] : undefined;

if (!existsSync(join(site, 'index.json'))) {
  console.error('storybook-static/ is missing: run `npm run build-storybook` first.');
  process.exit(1);
}
const index = JSON.parse(readFileSync(join(site, 'index.json'), 'utf8'));
const stories = Object.values(index.entries).filter((e) => e.type === 'story' && (!filter || e.id.includes(filter)));

const server = createStaticServer(site);
const port = await listenOnFreePort(server, 0);
const browser = await chromium.launch({ executablePath: requireChromium(), args: chromiumArgs });
mkdirSync(out, { recursive: true });
try {
  const page = await browser.newPage({ viewport: { width: 960, height: 640 } });
  for (const story of stories) {
    await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${story.id}&viewMode=story`);
    await page.waitForSelector(
      '#storybook-root :is(presence-avatar, presence-badge, team-presence-list, presence-sign-in, presence-status-picker)',
      { timeout: 15000 },
    );
    await page.evaluate(async () => {
      const elements = [
        ...document.querySelectorAll(
          'presence-avatar, presence-badge, team-presence-list, presence-sign-in, presence-status-picker',
        ),
      ];
      await Promise.all(elements.map((el) => el.updateComplete));
      await Promise.all(
        [...document.images].map((img) =>
          img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true })),
        ),
      );
      await document.fonts.ready;
    });
    await page.waitForTimeout(story.id.startsWith('live-') ? 1200 : 250);
    const file = join(out, `${story.id}.png`);
    await page.locator('#storybook-root').screenshot({ path: file, animations: 'disabled' });
    console.log(`screenshots/${story.id}.png`);
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${stories.length} screenshots.`);
