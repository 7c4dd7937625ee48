// Part of `npm run bench`: faults, and how long pages stay wrong after each. The relay runs as users run it (`npm run
// relay`, a process of its own, default settings); for each fault four pages watch 32 badges of 20 people, presence
// changes every half second through the fault, and the table gives the badges stale when the fault ended, the seconds
// until none is, and the badges still wrong after that wait (updates lost for good). Graph's redelivery keeps its
// documented pace (again after 1 s, 5 s, 30 s, then every 5 minutes); pages poll what the relay cannot cover every
// 30 s and ask the relay again about it every 60 s, as the browser library does by default.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators, type Emulators } from '../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../emulator/shared/tls.js';
import { relayHome, type RelayProcess } from '../test/node/relay/relay-process.js';
import { relaySubscriptions, until, watchAt } from '../test/node/relay/support.js';
import { watchingPage, type WatchingPage, type WatchingPageOptions } from '../test/node/relay/watching-page.js';

const json = process.argv.includes('--json');
const OUTAGE_S = Number(process.env.BENCH_SIGNALR_OUTAGE_SECONDS ?? 20);
const DOWN_S = Number(process.env.BENCH_RELAY_DOWN_SECONDS ?? 60);
/** How long the shorter faults last (the relay down with a torn state file or an unsaved subscription, a failing Graph). */
const FAULT_S = Number(process.env.BENCH_FAULT_SECONDS ?? 8);
/** How long the table waits for 0 stale before saying "not within": past the relay's default 60 s check. */
const PATIENCE_MS = Number(process.env.BENCH_FAULT_PATIENCE_SECONDS ?? 75) * 1000;
const states = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];
/** The browser library's defaults for what the relay cannot cover: polled every 30 s, the relay asked again every 60 s. */
const LIBRARY_PACE: WatchingPageOptions = { pollMs: 30_000, recheckMs: 60_000 };

interface Row {
  fault: string;
  staleWhenItEnded: number;
  secondsTo0Stale: number | null;
  lostForGood: number;
}

/** The next unused users of the tenant: each fault has its own pages' users and watched people. */
let nextUser = 0;
/** Every relay process started, killed at the end whatever happens. */
const started: RelayProcess[] = [];

/** A relay process of the fault's own (its folder and port kept across restarts). */
const relayFor = (name: string) => relayHome(cloud, base, name, certificate, started);

function take(n: number): string[] {
  const ids = cloud.tenant.users.slice(nextUser, nextUser + n).map((u) => u.id);
  nextUser += n;
  return ids;
}

/** Four pages of four users, each watching 8 of 20 people (32 badges), all showing the truth. */
async function pagesOn(
  relay: RelayProcess,
  options?: WatchingPageOptions,
): Promise<{ pages: WatchingPage[]; people: string[]; users: string[] }> {
  const users = take(4);
  const people = take(20);
  const pages: WatchingPage[] = [];
  for (let u = 0; u < 4; u++)
    pages.push(await watchingPage(cloud, relay.url, users[u]!, people.slice(u * 4, u * 4 + 8), options));
  if (!options)
    await until(
      () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
      'Graph covering the watched people',
      30_000,
    );
  await until(() => pages.every((p) => p.stale().length === 0), 'the pages showing the truth', 30_000);
  return { pages, people, users };
}

/** Changes presence every half second for `seconds`, or until `done`. */
async function changes(people: string[], seconds: number, done: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < seconds * 2 && !done(); i++) {
    const id = people[(i * 7) % people.length]!;
    const now = cloud.tenant.getPresence(id)?.availability;
    const state = states.find((s, k) => k >= i % states.length && s !== now) ?? states.find((s) => s !== now)!;
    cloud.tenant.setPresence(id, { availability: state, activity: state });
    await new Promise((r) => setTimeout(r, 500));
  }
}

const stale = (pages: WatchingPage[]) => pages.reduce((n, p) => n + p.stale().length, 0);

/** The row for a fault that ended now: seconds to 0 stale (within the patience), and what is still wrong after. */
async function measure(fault: string, pages: WatchingPage[]): Promise<Row> {
  const staleWhenItEnded = stale(pages);
  const from = Date.now();
  const done = await until(() => pages.every((p) => p.stale().length === 0), '0 stale', PATIENCE_MS).then(
    () => true,
    () => false,
  );
  return {
    fault,
    staleWhenItEnded,
    secondsTo0Stale: done ? Math.round((Date.now() - from) / 100) / 10 : null,
    lostForGood: stale(pages),
  };
}

async function close(pages: WatchingPage[], relay: RelayProcess): Promise<void> {
  await Promise.all(pages.map((p) => p.stop()));
  await relay.stop();
}

async function signalrOutage(): Promise<Row> {
  const relay = await (await relayFor('signalr')).start();
  const { pages, people } = await pagesOn(relay);
  const outage = cloud.faults.add({ service: 'signalr', path: '/api/', kind: 'status', status: 503 });
  await changes(people, OUTAGE_S);
  cloud.faults.clear(outage.id);
  const row = await measure(`SignalR Service REST answering 503 for ${OUTAGE_S} s`, pages);
  await close(pages, relay);
  return row;
}

async function relayDown(): Promise<Row> {
  const r = await relayFor('down');
  let relay = await r.start();
  const { pages, people } = await pagesOn(relay);
  await relay.kill();
  await changes(people, DOWN_S);
  relay = await r.start();
  const row = await measure(`relay killed (SIGKILL), down ${DOWN_S} s, restarted with its state`, pages);
  await close(pages, relay);
  return row;
}

async function ownerRevoked(): Promise<Row> {
  const relay = await (await relayFor('revoked')).start();
  const { pages, people } = await pagesOn(relay);
  const [sub] = relaySubscriptions(cloud).filter((s) => people.every((id) => s.ids.has(id)));
  if (!sub) throw new Error('no subscription covers the people');
  const moved = () =>
    relaySubscriptions(cloud).some(
      (s) => s.id !== sub.id && s.creatorId !== sub.creatorId && people.every((id) => s.ids.has(id)),
    );
  // Presence changes; the shard owner's sessions are revoked and Graph asks for reauthorisation; the changes go on
  // until the shard is covered by another signed-in owner.
  let revoked = false;
  const changing = changes(people, 60, () => revoked && moved());
  await new Promise((r) => setTimeout(r, 2_000));
  await fetch(`${cloud.control.url}/sessions/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: sub.creatorId }),
  });
  await cloud.graph.subscriptions.requireReauthorization(sub.id);
  revoked = true;
  await changing;
  const row = await measure("shard owner's sessions revoked (the shard moves to another owner)", pages);
  await close(pages, relay);
  return row;
}

async function tornStateFile(): Promise<Row> {
  const r = await relayFor('torn');
  let relay = await r.start();
  const { pages, people } = await pagesOn(relay);
  await relay.kill();
  const path = join(r.dir, 'state.json');
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
  await changes(people, FAULT_S);
  relay = await r.start();
  const row = await measure(`relay killed, state file torn, down ${FAULT_S} s (read from its previous copy)`, pages);
  await close(pages, relay);
  return row;
}

async function orphanSubscription(): Promise<Row> {
  const r = await relayFor('orphan');
  let relay = await r.start();
  const { pages, people } = await pagesOn(relay);
  // Another user watches more people: the relay dies just after Graph makes the subscription that covers them (by
  // a free owner), before it hears of it and saves it.
  const [latecomer] = take(1);
  const more = take(4);
  const subscriptions = cloud.graph.subscriptions;
  const create = subscriptions.create;
  let killed = false;
  subscriptions.create = async function (this: typeof subscriptions, ...args: Parameters<typeof create>) {
    const reply = await create.apply(this, args);
    if (reply.status === 201) {
      subscriptions.create = create;
      killed = true;
      await relay.kill();
    }
    return reply;
  };
  await watchAt(cloud, relay.url, latecomer!, more).catch(() => undefined);
  subscriptions.create = create;
  if (!killed) throw new Error("the relay made no subscription for the latecomer's people");
  await changes([...people, ...more], FAULT_S);
  relay = await r.start();
  const row = await measure(`relay killed after Graph made a subscription it never saved, down ${FAULT_S} s`, pages);
  await close(pages, relay);
  return row;
}

async function lapsedAtGraph(): Promise<Row> {
  const relay = await (await relayFor('lapsed')).start();
  const { pages, people } = await pagesOn(relay);
  // A working day: the shard delivers for a few seconds, so the relay knows its pace.
  await changes(people, FAULT_S / 2);
  // Graph ends the subscription without a word (no lifecycle notification): a renewal it lost, a clock ahead.
  for (const sub of relaySubscriptions(cloud).filter((s) => people.some((id) => s.ids.has(id))))
    sub.expirationDateTime = cloud.graph.clock.now() - 1;
  await changes(people, FAULT_S);
  const row = await measure(
    `subscription ended at Graph without notice (a shard that was delivering), changes for ${FAULT_S} s after`,
    pages,
  );
  await close(pages, relay);
  return row;
}

async function uncoveredThenCovered(): Promise<Row> {
  const relay = await (await relayFor('uncovered')).start();
  // Graph fails the relay's subscription requests: the pages' first watches are answered "uncovered".
  const failing = cloud.faults.add({
    service: 'graph',
    path: '/v1.0/subscriptions',
    method: 'POST',
    kind: 'status',
    status: 503,
  });
  const { pages, people } = await pagesOn(relay, LIBRARY_PACE);
  await changes(people, FAULT_S);
  cloud.faults.clear(failing.id);
  const row = await measure(
    `first watch answered "uncovered" (Graph failing ${FAULT_S} s), covered when the pages ask again`,
    pages,
  );
  await close(pages, relay);
  return row;
}

const cloud: Emulators = await startEmulators({
  simulatorRate: 0,
  tenant: { seed: 'bench-faults', userCount: 200, teamSizes: [5] },
});
const certificate: CertificateAndKey = await makeCertificate('bench-faults');
const base = mkdtempSync(join(tmpdir(), 'bench-faults-'));
const rows: Row[] = [];
// BENCH_FAULTS=lapsedAtGraph,relayDown runs only those rows.
const only = process.env.BENCH_FAULTS?.split(',').map((name) => name.trim());
try {
  for (const fault of [
    signalrOutage,
    relayDown,
    ownerRevoked,
    tornStateFile,
    orphanSubscription,
    lapsedAtGraph,
    uncoveredThenCovered,
  ].filter((f) => !only || only.includes(f.name)))
    rows.push(await fault());
} finally {
  await Promise.all(started.map((r) => r.kill()));
  await cloud.stop();
  rmSync(base, { recursive: true, force: true });
}
if (json) console.log(JSON.stringify({ faults: rows }, null, 2));
else {
  console.log(
    '\nfaults (relay in its own process; 4 pages, 32 badges; presence changing every 0.5 s through the fault)',
  );
  console.log('| fault | stale badges when it ended | seconds to 0 stale | updates lost for good |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.fault} | ${r.staleWhenItEnded} | ${r.secondsTo0Stale ?? `not within ${PATIENCE_MS / 1000}`} | ${r.lostForGood} |`,
    );
}
