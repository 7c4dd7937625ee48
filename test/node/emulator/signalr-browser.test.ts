// Proof that the real @microsoft/signalr client in Chromium connects to the SignalR Service emulator through an
// app's negotiate redirect (cross-origin, with credentials), receives what the REST API sends, and reconnects.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { clientAccessToken, parseConnectionString, serverToken } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, findChromium } from '../../../scripts/find-chromium.mjs';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../../../scripts/static-server.mjs';
import { root } from '../support.js';

const executablePath: string | undefined = findChromium();
let service: SignalRServiceEmulator;
let app: Server;
let negotiateUrl: string;
let site: string;
let pages: Server;
let origin: string;
let browser: Browser;

before(async () => {
  if (!executablePath) return;
  service = new SignalRServiceEmulator();
  await service.start();
  // The app's negotiate, on another origin than the page: CORS with credentials, as browsers demand.
  app = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader(
      'access-control-allow-headers',
      'x-requested-with, x-signalr-user-agent, content-type, authorization',
    );
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(clientAccessToken({ endpoint, accessKey, hub: 'presence', userId: 'adele' })));
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  negotiateUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api`;
  site = mkdtempSync(join(tmpdir(), 'signalr-site-'));
  await build({
    entryPoints: [join(root, 'test/node/fixtures/signalr/client.ts')],
    bundle: true,
    format: 'esm',
    outfile: join(site, 'client.js'),
    logLevel: 'error',
  });
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="/client.js"></script></head><body></body></html>',
  );
  pages = createStaticServer(site);
  origin = `http://localhost:${await listenOnFreePort(pages, 0)}`;
  browser = await chromium.launch({ executablePath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  pages?.close();
  app?.close();
  await service?.stop();
  if (site) rmSync(site, { recursive: true, force: true });
});

async function sendToUser(user: string, args: unknown[]) {
  const url = `${service.url}/api/v1/hubs/presence/users/${user}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${serverToken({ accessKey: service.accessKey, audience: url })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ target: 'presence', arguments: args }),
  });
  assert.equal(res.status, 202);
}

test(
  'connects through the negotiate redirect, receives, reconnects after a drop',
  { skip: !executablePath && 'Chromium not found (set CHROME_PATH)' },
  async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => (window as any).signalrTest);
    const connectionId = await page.evaluate((url) => (window as any).signalrTest.connect(url), negotiateUrl);
    assert.ok(connectionId);
    assert.deepEqual(
      service.list().map((c) => c.userId),
      ['adele'],
    );

    await sendToUser('adele', [{ id: 'u1', availability: 'Busy' }]);
    await page.waitForFunction(() => (window as any).signalrTest.received().length === 1);

    assert.equal(service.dropConnections({ userId: 'adele' }), 1);
    await page.waitForFunction(() => (window as any).signalrTest.states().includes('reconnected'), null, {
      timeout: 20_000,
    });
    await sendToUser('adele', [{ id: 'u1', availability: 'Available' }]);
    await page.waitForFunction(() => (window as any).signalrTest.received().length === 2);
    const received = await page.evaluate(() => (window as any).signalrTest.received());
    assert.deepEqual(received, [[{ id: 'u1', availability: 'Busy' }], [{ id: 'u1', availability: 'Available' }]]);
    assert.deepEqual(await page.evaluate(() => (window as any).signalrTest.states()), [
      'connected',
      'reconnecting',
      'reconnected',
    ]);
    assert.deepEqual(errors, []);
    await page.evaluate(() => (window as any).signalrTest.stop());
    await page.close();
  },
);
