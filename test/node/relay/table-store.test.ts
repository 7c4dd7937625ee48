// The table store under concurrency (two instances writing one entity at once) and with its secrets, against
// Azurite started here.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { TableStore } from '../../../relay/src/table-store.js';
import { DEV_ACCOUNT, DEV_KEY, startAzurite, type Azurite } from '../support/azurite.js';

let azurite: Azurite;
let tables = 0;
before(async () => {
  azurite = await startAzurite();
});
after(() => azurite?.stop());

/** Two instances on one fresh table, as two relay instances would be. */
function twoInstances(): [TableStore, TableStore] {
  const prefix = `conflict${++tables}`;
  const open = () => new TableStore({ connectionString: azurite.connectionString, prefix });
  return [open(), open()];
}

test('two instances changing one session at once lose nothing: the loser re-reads and applies its change again', async () => {
  const [a, b] = twoInstances();
  await a.writeSession('user', 'tab', { ids: ['start'], expiresAt: 2e12, updatedAt: 1 });
  // Both have read it, so both hold its ETag: each write races the other's.
  await a.load();
  await b.load();
  const add = (store: TableStore, id: string) =>
    store.updateSession('user', 'tab', (stored) => ({
      ids: [...(stored?.ids ?? []), id],
      expiresAt: 2e12,
      updatedAt: (stored?.updatedAt ?? 0) + 1,
    }));
  const writes: Promise<boolean>[] = [];
  for (let i = 0; i < 10; i++) writes.push(add(a, `a${i}`), add(b, `b${i}`));
  await Promise.all(writes);
  const ids = (await new TableStore({ connectionString: azurite.connectionString, prefix: `conflict${tables}` }).load())
    .sessions?.user?.tab?.ids;
  assert.equal(ids?.length, 21, 'every change kept');
  assert.deepEqual(
    [...ids!].sort(),
    ['start', ...Array.from({ length: 10 }, (_, i) => [`a${i}`, `b${i}`]).flat()].sort(),
  );
});

test('of two watch requests for one session stored at once by two instances, the later request is kept', async () => {
  for (const [first, second] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const stores = twoInstances();
    await stores[0].writeSession('user', 'tab', { ids: ['start'], expiresAt: 2e12, updatedAt: 1 });
    await stores[1].load();
    const requests = [
      { ids: ['earlier'], expiresAt: 2e12 + 5, updatedAt: 5 },
      { ids: ['later'], expiresAt: 2e12 + 6, updatedAt: 6 },
    ];
    await Promise.all([
      stores[first].writeSession('user', 'tab', requests[0]!),
      stores[second].writeSession('user', 'tab', requests[1]!),
    ]);
    const stored = (await stores[0].load()).sessions?.user?.tab;
    assert.deepEqual(stored?.ids, ['later'], `the later request wins (instance ${first} wrote the earlier one)`);
  }
});

test('sequence numbers across two instances: each number advanced by exactly one, never moving back', async () => {
  const [a, b] = twoInstances();
  const seq = (n: number) => n.toString(16).padStart(8, '0');
  // The same numbers, at once, from both: exactly one of each pair wins.
  for (let n = 1; n <= 20; n++) {
    const [x, y] = await Promise.all([a.advanceSequence('person', seq(n)), b.advanceSequence('person', seq(n))]);
    assert.equal(Number(x) + Number(y), 1, `number ${n} advanced once`);
  }
  // Shuffled numbers from both at once (an older one may arrive after a newer one): whatever won was newer than
  // everything that had won before it, and the stored number is the newest.
  const numbers = Array.from({ length: 40 }, (_, i) => 21 + i);
  const shuffled = (list: number[]) => [...list].sort(() => Math.random() - 0.5);
  const won: number[] = [];
  await Promise.all(
    [a, b].map(async (store) => {
      for (const n of shuffled(numbers)) if (await store.advanceSequence('person', seq(n))) won.push(n);
    }),
  );
  for (let i = 1; i < won.length; i++) assert.ok(won[i]! > won[i - 1]!, `advanced in order: ${won.join(', ')}`);
  assert.equal(new Set(won).size, won.length, 'no number advanced twice');
  assert.deepEqual(await a.loadSequences(), { person: seq(60) });
});

test('refresh tokens never appear in what the table store says when it fails, even when the service quotes them', async () => {
  const secret = 'refresh-token-SECRET-0123456789';
  // A service answering every request with an error that quotes the request's body (its table exists already).
  const echo: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /\/Tables$/.test(req.url ?? '')) {
        res.writeHead(409, { 'content-type': 'application/json', 'x-ms-error-code': 'TableAlreadyExists' });
        res.end(JSON.stringify({ 'odata.error': { code: 'TableAlreadyExists', message: { value: 'exists' } } }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json', 'x-ms-error-code': 'InvalidInput' });
      res.end(JSON.stringify({ 'odata.error': { code: 'InvalidInput', message: { value: `bad request: ${body}` } } }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const { port } = echo.address() as { port: number };
  const said: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  for (const name of ['log', 'warn', 'error', 'info'] as const)
    console[name] = (...args: unknown[]) => said.push(args.map(String).join(' '));
  try {
    const quoting = new TableStore({
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`,
    });
    const failure = await quoting.writeOwner('owner', secret).then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failure, 'the write failed');
    // And a store that works, then loses its service.
    const [working] = twoInstances();
    await working.writeOwner('owner', secret);
    const { owners } = await working.load();
    assert.equal(owners.owner?.refreshToken, secret, 'stored and read back');
    const seen = [failure, ...said]
      .map((x) => `${String(x)} ${x instanceof Error ? `${x.stack} ${JSON.stringify(x)}` : ''}`)
      .join('\n');
    assert.ok(!seen.includes(secret), `no refresh token in: ${seen.slice(0, 500)}`);
    assert.match(failure.message, /could not store the refresh token of owner owner: 400/);
  } finally {
    Object.assign(console, original);
    echo.close();
  }
});
