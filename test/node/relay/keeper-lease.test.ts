// The keeper lease on Azurite's blob service: one holder at a time, handed on at once when the holder stops, and taken
// over once the lease of a holder killed mid-run has expired, never before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { KeeperLease } from '../../../relay/src/keeper-lease.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { root } from '../support.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { until } from './support.js';

let storage: Azurite;
const leases: KeeperLease[] = [];

before(async () => {
  storage = await startAzurite();
});
after(async () => {
  await Promise.all(leases.map((l) => l.stop()));
  await storage.stop();
});

const lease = (blob: string) => {
  const made = new KeeperLease({
    connectionString: storage.connectionString,
    blob,
    durationSeconds: 15,
    logger: new MemoryLogger(),
  });
  leases.push(made);
  return made;
};

test('one instance holds the lease at a time; when it stops, another takes it at its next try', async () => {
  const [a, b, c] = [lease('stops.lease'), lease('stops.lease'), lease('stops.lease')];
  await a.start();
  await Promise.all([b.start(), c.start()]);
  assert.deepEqual([a.holds(), b.holds(), c.holds()], [true, false, false]);
  assert.equal(await b.beat(), false, 'a try while it is held fails');
  assert.equal(await a.beat(), true, 'the holder renews it');
  await a.stop();
  assert.equal(a.holds(), false);
  const taken = await Promise.all([b.beat(), c.beat()]);
  assert.equal(taken.filter(Boolean).length, 1, 'exactly one of the others takes it');
  assert.equal([b, c].filter((l) => l.holds()).length, 1);
});

test('a holder killed mid-run keeps the lease until it expires; then another instance takes it', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/node/relay/lease-holder.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, AZURE_STORAGE_CONNECTION_STRING: storage.connectionString },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await until(() => output.includes('keeper'), 'the process to hold the lease', 30_000);
    const other = lease('keeper.lease');
    await other.start();
    assert.equal(other.holds(), false, 'not while the process holds it');
    child.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();
    // The killed process renewed it at most a period before: for at least the rest of that, nobody may take it.
    assert.equal(await other.beat(), false, 'not taken at once: the lease runs until it expires');
    await until(() => other.holds(), 'another instance to take the lease', 40_000, 100);
    const after = (performance.now() - killedAt) / 1000;
    assert.ok(after > 15 - other.periodMs / 1000, `taken ${after.toFixed(1)} s after the kill: not before it expired`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
