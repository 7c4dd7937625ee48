// `npm run bench`: for 100, 1,000 and 10,000 avatars and list members, in headless Chromium against the local
// Graph emulator: Graph requests made, time until every badge is painted, JS heap. Prints a table; `--json` for
// machines. Targets (not tests): 1,000 avatars painted within 1 s; a 10,000-member list's first render within 200 ms.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startEmulators } from '../emulator/index.js';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, requireChromium } from '../scripts/find-chromium.mjs';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../scripts/static-server.mjs';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}dist/cdn/presence-elements.js`)) {
  console.error('dist/cdn is missing: run `npm run build` first.');
  process.exit(1);
}
const sizes = [100, 1_000, 10_000];
const json = process.argv.includes('--json');

const cloud = await startEmulators({
  simulatorRate: 0,
  tenant: { seed: 'bench', userCount: 10_000, teamSizes: sizes },
});
const server = createStaticServer(root);
const origin = `http://127.0.0.1:${await listenOnFreePort(server, 0)}`;
const browser = await chromium.launch({
  executablePath: requireChromium(),
  args: [...chromiumArgs, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});

interface Row {
  scenario: string;
  n: number;
  presenceRequests: number;
  batchRequests: number;
  otherRequests: number;
  firstRenderMs?: number;
  paintedMs: number;
  heapMB: number;
}
const rows: Row[] = [];

async function run(scenario: 'avatars' | 'list', n: number): Promise<Row> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}/bench/page.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  const appId = randomUUID();
  const team = cloud.tenant.teams.find((t) => t.memberIds.length === n)!;
  await page.evaluate((s) => (window as any).bench.setup(s), {
    graphUrl: cloud.graph.url,
    controlUrl: cloud.control.url,
    userId: cloud.tenant.users[0]!.id,
    appId,
  });
  let paintedMs: number;
  let firstRenderMs: number | undefined;
  if (scenario === 'avatars') {
    paintedMs = await page.evaluate((ids) => (window as any).bench.avatars(ids), team.memberIds);
  } else {
    const result = await page.evaluate(([id, size]) => (window as any).bench.list(id, size), [team.id, n] as const);
    paintedMs = result.complete;
    firstRenderMs = result.firstRender;
  }
  await page.evaluate(() => (globalThis as any).gc?.());
  const heap = await page.evaluate(() => (window as any).bench.heap());
  const log = cloud.graph.log.filter((entry) => entry.appId === appId && !entry.batchItem);
  await page.close();
  const row: Row = {
    scenario,
    n,
    presenceRequests: log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId').length,
    batchRequests: log.filter((e) => e.path === '/v1.0/$batch').length,
    otherRequests: log.filter(
      (e) => e.path !== '/v1.0/$batch' && e.path !== '/v1.0/communications/getPresencesByUserId',
    ).length,
    paintedMs: Math.round(paintedMs),
    heapMB: Math.round((heap / 1024 / 1024) * 10) / 10,
  };
  if (firstRenderMs !== undefined) row.firstRenderMs = Math.round(firstRenderMs);
  return row;
}

try {
  for (const scenario of ['avatars', 'list'] as const) {
    for (const n of sizes) rows.push(await run(scenario, n));
  }
} finally {
  await browser.close();
  server.close();
  await cloud.stop();
}

if (json) {
  console.log(JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
} else {
  const head = [
    'scenario',
    'n',
    'presence req',
    '$batch req*',
    'other req',
    'first render ms',
    'all painted ms',
    'JS heap MB',
  ];
  const body = rows.map((r) => [
    r.scenario,
    r.n.toLocaleString('en'),
    r.presenceRequests,
    r.batchRequests,
    r.otherRequests,
    r.firstRenderMs ?? '-',
    r.paintedMs.toLocaleString('en'),
    r.heapMB,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells: Array<string | number>) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
  console.log('\n* requests made by the time every badge was painted (photos keep loading after).');
  console.log('Targets: 1,000 avatars painted within 1,000 ms; a 10,000-member list first rendered within 200 ms.');
}
