// Part of `npm run bench` (alone: `node scripts/bench.mjs --only=store`): what the relay's state store costs. One
// relay instance on the local cloud, with the file store, then the table store (Azurite, started here): watch
// requests per second (each user renewing a session of 20 people, the relay's commonest request) and the bytes and
// Storage transactions each one writes; then notifications per second through the store's sequence compare-and-swap
// (the check each instance makes before sending a change when several share the table store), with one instance and
// with two racing on the same people.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulators, type Emulators } from '../emulator/index.js';
import { makeCertificate } from '../emulator/shared/tls.js';
import type { Relay } from '../relay/src/relay.js';
import { FileStore, MemoryStore, type RelayStore } from '../relay/src/store.js';
import { TableStore } from '../relay/src/table-store.js';
import { startLocalRelay } from '../scripts/local-relay.js';
import { startAzurite, type Azurite } from '../test/node/support/azurite.js';
import { relayToken } from '../test/node/relay/support.js';

const json = process.argv.includes('--json');
/** Users watching, each with one session (a page) of 20 people. */
const USERS = Number(process.env.BENCH_STORE_USERS ?? 200);
/** Rounds of renewals timed (every user renews once per round). */
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);
/** Watch requests under way at once. */
const CONCURRENCY = 8;
/** Sequence compare-and-swaps timed, over how many people. */
const ADVANCES = Number(process.env.BENCH_STORE_ADVANCES ?? 4_000);
const PEOPLE = 200;

interface WatchRow {
  store: string;
  watchesPerSecond: number;
  bytesPerWatch: number;
  writesPerWatch: number;
  transactionsPerWatch: number | null;
}
interface CasRow {
  store: string;
  instances: number;
  notificationsPerSecond: number;
  advanced: number;
  transactionsPerNotification: number | null;
}

/** Runs `jobs` with at most `n` at once. */
async function pool(jobs: Array<() => Promise<unknown>>, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

async function watchRow(
  cloud: Emulators,
  name: string,
  store: RelayStore & { transactions?: { count: number } },
): Promise<WatchRow> {
  const certificate = await makeCertificate('store-bench');
  const relay: Relay = await startLocalRelay(cloud, { certificate, store, sessionsRefreshMs: 1_000 });
  try {
    const users = cloud.tenant.users.slice(0, USERS).map((u) => u.id);
    const people = cloud.tenant.users.slice(USERS, USERS + 100).map((u) => u.id);
    const tokens = new Map(users.map((u) => [u, `Bearer ${relayToken(cloud, u)}`]));
    const request = (user: string, i: number) => async () => {
      const ids = Array.from({ length: 20 }, (_, k) => people[(i * 7 + k) % people.length]!);
      const reply = await relay.watchFor(tokens.get(user), JSON.stringify({ ids, session: `page-${i}` }));
      if (reply.status !== 200) throw new Error(`watch answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    };
    // Every user's first watch (owners, subscriptions made), untimed.
    await pool(
      users.map((u, i) => request(u, i)),
      CONCURRENCY,
    );
    const written = { ...store.written! };
    const transactions = store.transactions?.count ?? 0;
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++)
      await pool(
        users.map((u, i) => request(u, i)),
        CONCURRENCY,
      );
    const seconds = (performance.now() - started) / 1000;
    const requests = USERS * ROUNDS;
    return {
      store: name,
      watchesPerSecond: Math.round(requests / seconds),
      bytesPerWatch: Math.round((store.written!.bytes - written.bytes) / requests),
      writesPerWatch: Number(((store.written!.writes - written.writes) / requests).toFixed(2)),
      transactionsPerWatch: store.transactions
        ? Number(((store.transactions.count - transactions) / requests).toFixed(2))
        : null,
    };
  } finally {
    await relay.stop();
  }
}

async function casRow(name: string, stores: Array<RelayStore & { transactions?: { count: number } }>): Promise<CasRow> {
  const seq = (n: number) => n.toString(16).padStart(12, '0');
  const before = stores.reduce((sum, s) => sum + (s.transactions?.count ?? 0), 0);
  let advanced = 0;
  // Each instance gets every change (as when Graph's deliveries are spread over instances and some repeat).
  const perStore = Math.floor(ADVANCES / stores.length);
  const started = performance.now();
  await Promise.all(
    stores.map((store) =>
      pool(
        Array.from({ length: perStore }, (_, i) => async () => {
          if (await store.advanceSequence(`person-${i % PEOPLE}`, seq(1 + Math.floor(i / PEOPLE)))) advanced++;
        }),
        16,
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = perStore * stores.length;
  const transactions = stores.reduce((sum, s) => sum + (s.transactions?.count ?? 0), 0) - before;
  return {
    store: name,
    instances: stores.length,
    notificationsPerSecond: Math.round(total / seconds),
    advanced,
    transactionsPerNotification: stores[0]!.transactions ? Number((transactions / total).toFixed(2)) : null,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
let azurite: Azurite | undefined;
let cloud: Emulators | undefined;
const watches: WatchRow[] = [];
const cas: CasRow[] = [];
try {
  azurite = await startAzurite();
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'store-bench', userCount: USERS + 100, teamSizes: [5] },
  });
  watches.push(await watchRow(cloud, 'file', new FileStore(join(dir, 'state.json'), () => undefined)));
  await cloud.stop();
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'store-bench', userCount: USERS + 100, teamSizes: [5] },
  });
  watches.push(
    await watchRow(
      cloud,
      'table (Azurite)',
      new TableStore({ connectionString: azurite.connectionString, prefix: 'benchwatch' }),
    ),
  );
  cas.push(await casRow('memory', [new MemoryStore()]));
  cas.push(await casRow('file', [new FileStore(join(dir, 'cas.json'), () => undefined)]));
  const table = () => new TableStore({ connectionString: azurite!.connectionString, prefix: 'benchcas' });
  cas.push(await casRow('table (Azurite)', [table()]));
  const shared = () => new TableStore({ connectionString: azurite!.connectionString, prefix: 'benchcastwo' });
  cas.push(await casRow('table (Azurite)', [shared(), shared()]));
} finally {
  await cloud?.stop();
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (json) console.log(JSON.stringify({ watches, sequences: cas }, null, 2));
else {
  console.log(
    `\nstore: watch renewals (1 instance; ${USERS} users, a session of 20 people each, ${CONCURRENCY} at once)`,
  );
  console.log(
    '| store | watch requests/s | bytes written per watch | writes per watch | Storage transactions per watch |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of watches)
    console.log(
      `| ${r.store} | ${r.watchesPerSecond} | ${r.bytesPerWatch} | ${r.writesPerWatch} | ${r.transactionsPerWatch ?? '-'} |`,
    );
  console.log(
    `\nstore: sequence compare-and-swap (${ADVANCES} notifications over ${PEOPLE} people, 16 at once per instance)`,
  );
  console.log(
    '| store | instances | notifications/s | changes sent (advanced) | Storage transactions per notification |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of cas)
    console.log(
      `| ${r.store} | ${r.instances} | ${r.notificationsPerSecond} | ${r.advanced} | ${r.transactionsPerNotification ?? '-'} |`,
    );
}
