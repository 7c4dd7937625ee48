// Part of `npm run bench`: faults, and how long pages stay wrong after each. Four pages watch 32 people; presence
// changes through the fault; the table gives the badges stale when the fault ends and the seconds until none is.
// Graph's redelivery keeps its documented pace (again after 1 s, 5 s, 30 s, then every 5 minutes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators, type Emulators } from '../emulator/index.js';
import { makeCertificate } from '../emulator/shared/tls.js';
import { startLocalRelay } from '../scripts/local-relay.js';
import type { Relay } from '../relay/src/relay.js';
import { FileStore } from '../relay/src/store.js';
import { freePort, relaySubscriptions, until } from '../test/node/relay/support.js';
import { watchingPage, type WatchingPage } from '../test/node/relay/watching-page.js';

const json = process.argv.includes('--json');
const OUTAGE_S = Number(process.env.BENCH_SIGNALR_OUTAGE_SECONDS ?? 20);
const DOWN_S = Number(process.env.BENCH_RELAY_DOWN_SECONDS ?? 60);
/** How long the table waits for 0 stale before saying "not within". */
const PATIENCE_MS = 60_000;
const states = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];

interface Row { fault: string; staleWhenItEnded: number; secondsTo0Stale: number | null }

async function pagesOn(cloud: Emulators, relay: Relay): Promise<{ pages: WatchingPage[]; people: string[] }> {
  const people = cloud.tenant.users.slice(10, 30).map((u) => u.id);
  const pages: WatchingPage[] = [];
  for (let u = 0; u < 4; u++) pages.push(await watchingPage(cloud, relay.url, cloud.tenant.users[u]!.id, people.slice(u * 4, u * 4 + 8)));
  await until(() => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))), 'Graph covering the watched people', 30_000);
  await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth', 30_000);
  return { pages, people };
}

/** Changes presence every half second for `seconds`. */
async function changes(cloud: Emulators, people: string[], seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 2; i++) {
    const state = states[i % states.length]!;
    cloud.tenant.setPresence(people[(i * 7) % people.length]!, { availability: state, activity: state });
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function toZeroStale(pages: WatchingPage[], from: number): Promise<number | null> {
  const done = await until(() => pages.every((p) => p.stale().length === 0), '0 stale', PATIENCE_MS).then(() => true, () => false);
  return done ? Math.round((Date.now() - from) / 100) / 10 : null;
}

const stale = (pages: WatchingPage[]) => pages.reduce((n, p) => n + p.stale().length, 0);

async function signalrOutage(): Promise<Row> {
  const cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'bench-faults-signalr', userCount: 40, teamSizes: [5] } });
  const relay = await startLocalRelay(cloud);
  const { pages, people } = await pagesOn(cloud, relay);
  const outage = cloud.faults.add({ service: 'signalr', path: '/api/', kind: 'status', status: 503 });
  await changes(cloud, people, OUTAGE_S);
  const row: Row = { fault: `SignalR Service REST answering 503 for ${OUTAGE_S} s`, staleWhenItEnded: stale(pages), secondsTo0Stale: null };
  cloud.faults.clear(outage.id);
  row.secondsTo0Stale = await toZeroStale(pages, Date.now());
  await Promise.all(pages.map((p) => p.stop()));
  await relay.stop();
  await cloud.stop();
  return row;
}

async function relayDown(): Promise<Row> {
  const cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'bench-faults-relay', userCount: 40, teamSizes: [5] } });
  const dir = mkdtempSync(join(tmpdir(), 'bench-faults-'));
  const certificate = await makeCertificate('bench-faults');
  const port = await freePort();
  const start = () => startLocalRelay(cloud, { port, store: new FileStore(join(dir, 'state.json')), journalPath: join(dir, 'intake-journal.log'), certificate, clientState: 'bench-faults' });
  let relay = await start();
  const { pages, people } = await pagesOn(cloud, relay);
  await relay.stop();
  await changes(cloud, people, DOWN_S);
  const row: Row = { fault: `relay down ${DOWN_S} s, restarted with its state`, staleWhenItEnded: stale(pages), secondsTo0Stale: null };
  relay = await start();
  row.secondsTo0Stale = await toZeroStale(pages, Date.now());
  await Promise.all(pages.map((p) => p.stop()));
  await relay.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
  return row;
}

const rows = [await signalrOutage(), await relayDown()];
if (json) console.log(JSON.stringify({ faults: rows }, null, 2));
else {
  console.log('\nfaults (4 pages, 32 badges; presence changing every 0.5 s through the fault)');
  console.log('| fault | stale badges when it ended | seconds to 0 stale |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.fault} | ${r.staleWhenItEnded} | ${r.secondsTo0Stale ?? `not within ${PATIENCE_MS / 1000}`} |`);
}
