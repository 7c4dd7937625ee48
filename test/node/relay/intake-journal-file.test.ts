// The intake journal on its own: what was appended and not marked done comes back at the next start, once; a line
// cut short by a crash is skipped; a journal with nothing left is emptied as it grows.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { IntakeJournal } from '../../../relay/src/intake-journal.js';

const dir = mkdtempSync(join(tmpdir(), 'intake-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('what was acknowledged and not processed is handed back at the next start, and only that', async () => {
  const path = join(dir, 'a', 'journal.log');
  const first = new IntakeJournal(path);
  assert.deepEqual(await first.start(), []);
  const [one, two, three] = await Promise.all([
    first.append({ value: [1] }),
    first.append({ value: [2] }),
    first.append({ value: [3] }),
  ]);
  first.done(two!);
  await first.close();
  // A crash in the middle of writing a fourth one: never acknowledged, so not replayed.
  appendFileSync(path, '{"n":4,"c":{"val');

  const second = new IntakeJournal(path);
  const left = await second.start();
  assert.deepEqual(
    left.map((e) => e.collection),
    [{ value: [1] }, { value: [3] }],
  );
  assert.ok(one !== three);
  for (const entry of left) second.done(entry.n);
  await second.close();
  const third = new IntakeJournal(path);
  assert.deepEqual(await third.start(), [], 'nothing is replayed twice');
  await third.close();
});

test('appends arriving together share syncs, and a journal with nothing left is emptied past its limit', async () => {
  const path = join(dir, 'b.log');
  const journal = new IntakeJournal(path, 4_096);
  await journal.start();
  const big = { value: ['x'.repeat(1_000)] };
  const numbers = await Promise.all(Array.from({ length: 20 }, () => journal.append(big)));
  assert.ok(journal.stats.syncs < 20, `${journal.stats.syncs} syncs for 20 appends`);
  for (const n of numbers) journal.done(n);
  assert.equal(journal.pending, 0);
  // With everything done, the journal past its limit is emptied.
  journal.done(await journal.append(big));
  await journal.close();
  assert.ok(statSync(path).size < 4_096, `emptied (${statSync(path).size} bytes)`);
  const again = new IntakeJournal(path);
  assert.deepEqual(await again.start(), []);
  await again.close();
});
