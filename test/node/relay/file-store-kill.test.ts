// The file store killed (SIGKILL) at random moments while it writes, 50 times: each time, the state loads whole
// (from the file, or its previous copy), and never older than what was loaded before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FileStore } from '../../../relay/src/store.js';

const dir = mkdtempSync(join(tmpdir(), 'file-store-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const writer = fileURLToPath(new URL('./file-store-writer.ts', import.meta.url));

/** Starts the writer; resolves once it is about to write, with a way to kill it and wait for its end. */
function startWriter(path: string): Promise<{ kill(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ended = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.stdout!.setEncoding('utf8').once('data', () =>
      resolve({
        kill: async () => {
          child.kill('SIGKILL');
          await ended;
        },
      }),
    );
  });
}

test('killed with SIGKILL 50 times while writing, the file store always loads whole and never goes back', async () => {
  const path = join(dir, 'state.json');
  let last = 0;
  const notes: string[] = [];
  for (let kill = 0; kill < 50; kill++) {
    const running = await startWriter(path);
    // A random moment in the first 40 ms of writing (each write is about 100 KB, flushed to disk).
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
    await running.kill();
    const store = new FileStore(path, (message) => notes.push(message));
    const state = await store.load();
    const session = state.sessions?.user?.tab;
    const n = session?.updatedAt ?? 0;
    if (session) assert.equal(session.ids.length, 2_000, `kill ${kill}: the session whole`);
    assert.ok(n >= last, `kill ${kill}: write ${n} loaded, after write ${last} before`);
    last = n;
  }
  assert.ok(last > 0, 'something was written');
  // How often the state file itself was torn (and its previous copy used): said, never fatal.
  if (notes.length) console.log(`# previous copy used ${notes.length} times`);
});
