// `npm start` runs the whole system: emulators, relay and the live demo page, which signs in and goes live.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, findChromium } from '../../scripts/find-chromium.mjs';
import { requireBuild, root } from './support.js';

const executablePath: string | undefined = findChromium();
let child: ChildProcess | undefined;

after(() => {
  child?.kill('SIGTERM');
});

test('npm start serves a live demo that signs in and receives presence through the relay', { skip: !executablePath && 'Chromium not found (set CHROME_PATH)', timeout: 90_000 }, async () => {
  requireBuild('dist/cdn/presence-elements.js');
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], { cwd: root, env: { ...process.env, PORT: '0', SIMULATOR_RATE: '5' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 60_000);
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Live demo\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  const browser = await chromium.launch({ executablePath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.click('#go');
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'connected', null, { timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('team-presence-list')?.shadowRoot?.querySelector('.summary')?.textContent ?? '').startsWith('50'), null, { timeout: 20_000 });
    // The simulator changes someone in the team every moment: a change arrives through the relay.
    await page.waitForFunction(() => (document.getElementById('log')?.children.length ?? 0) > 1, null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
