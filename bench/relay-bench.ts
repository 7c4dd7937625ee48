// Part of `npm run bench`: change-to-pixel latency (a presence change in Graph until the badge is painted, through
// the relay and SignalR Service, p50/p95/p99 over 1,000 changes), relay throughput (notifications per second
// verified, decrypted and fanned out) and fan-out under load (500 changes/s to 1,000 SignalR clients, with the
// connections to SignalR Service and memory). Targets: p99 <= 100 ms on loopback; >= 2,000 notifications/s here.
import { X509Certificate } from 'node:crypto';
import { chromium } from 'playwright-core';
import { presenceNotification } from './presence-notification.js';
import { DEMO_RELAY_CLIENT_ID } from '../emulator/entra/clients.js';
import { startEmulators } from '../emulator/index.js';
import { makeCertificate } from '../emulator/shared/tls.js';
import { bareRelay } from './bare-relay.js';
import { startLocalRelay } from '../scripts/local-relay.js';
import { describeFanoutLoad, fanoutLoad } from './fanout-load.js';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, requireChromium } from '../scripts/find-chromium.mjs';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../scripts/static-server.mjs';

const json = process.argv.includes('--json');
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1000);
const root = new URL('..', import.meta.url).pathname;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

// ---- change to pixel ----
const cloud = await startEmulators({
  simulatorRate: 0,
  tenant: { seed: 'bench-live', userCount: 200, teamSizes: [5, 50] },
  delivery: { batchWindowMs: 5 },
});
const server = createStaticServer(root);
const origin = `http://127.0.0.1:${await listenOnFreePort(server, 0)}`;
// The page calls the relay from its own origin, which the relay must allow.
const relay = await startLocalRelay(cloud, { allowedOrigins: [origin] });
const browser = await chromium.launch({ executablePath: requireChromium(), args: chromiumArgs });
const ids = cloud.tenant.teams.find((t) => t.memberIds.length === 50)!.memberIds;
const query = new URLSearchParams({
  user: cloud.tenant.users[0]!.id,
  graph: cloud.graph.url,
  control: cloud.control.url,
  relay: `${relay.url}/api`,
  relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
  ids: ids.join(','),
});
// Everyone starts Offline, so that each measured change really changes what the badge shows.
for (const id of ids) cloud.tenant.setPresence(id, { availability: 'Offline', activity: 'Offline' });
const page = await browser.newPage();
await page.goto(`${origin}/bench/live-page.html?${query}`);
await page.waitForFunction(() => (window as any).client?.connectionState === 'connected', null, { timeout: 20_000 });
// Wait until Graph has a subscription covering the ids (made by the relay on the user's behalf).
for (
  const end = Date.now() + 15_000;
  !cloud.graph.subscriptions.describe().some((s) => s.ids === ids.length) && Date.now() < end;
)
  await new Promise((r) => setTimeout(r, 50));
await new Promise((r) => setTimeout(r, 500));

const sent: Array<{ id: string; availability: string; at: number }> = [];
const states = ['Available', 'Busy', 'Away', 'DoNotDisturb'];
for (let i = 0; i < CHANGES; i++) {
  const id = ids[i % ids.length]!;
  const availability = states[Math.floor(i / ids.length) % states.length]!;
  sent.push({ id, availability, at: Date.now() });
  cloud.tenant.setPresence(id, { availability, activity: availability });
  await new Promise((r) => setTimeout(r, 8));
}
await new Promise((r) => setTimeout(r, 1500));
const paints: Array<{ id: string; availability: string; at: number }> = await page.evaluate(
  () => (window as any).paints,
);
const latencies: number[] = [];
let missed = 0;
for (const change of sent) {
  const painted = paints.find((p) => p.id === change.id && p.availability === change.availability && p.at >= change.at);
  if (painted) latencies.push(painted.at - change.at);
  else missed++;
}
latencies.sort((a, b) => a - b);
// What reading each notified change back from Graph cost the relay (notifications carry no status message or
// sequence number: the relay reads them, batched per subscription owner).
const reads = { ...relay.reader!.stats };
const pageReads = cloud.graph.log.filter(
  (e) => e.path === '/v1.0/communications/getPresencesByUserId' && e.appId !== DEMO_RELAY_CLIENT_ID,
).length;
await browser.close();
server.close();
await relay.stop();

// ---- relay throughput ----
const certificate = await makeCertificate('bench-relay');
const x509 = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
const bare = bareRelay(cloud, certificate);
await bare.start();
const people = cloud.tenant.users.slice(0, 200).map((u) => u.id);
for (let u = 0; u < 20; u++) bare.watchers.set(`watcher-${u}`, people.slice(u * 10, u * 10 + 50));
const TOTAL = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000);
const BATCH = 100;
const validationTokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
const payloads: string[] = [];
let seq = 10n ** 20n;
for (let b = 0; b < TOTAL / BATCH; b++) {
  const value = Array.from({ length: BATCH }, (_, k) => {
    const id = people[(b * BATCH + k) % people.length]!;
    seq += 1n;
    const presence = { id, availability: 'Busy', activity: 'InACall', sequenceNumber: String(seq) };
    return presenceNotification(presence, { id: 'bench', clientState: 'bench' }, { x509, id: 'bench' });
  });
  payloads.push(JSON.stringify({ value, validationTokens }));
}
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < payloads.length) {
      const body = payloads[next++]!;
      await fetch(`${bare.url}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    }
  }),
);
await bare.idle();
const seconds = (performance.now() - started) / 1000;
const processed = bare.stats.received + bare.stats.stale;
const throughput = Math.round(processed / seconds);
await bare.stop();
await cloud.stop();

// ---- fan-out under load: 500 changes/s to 1,000 SignalR clients, one message per user, then one per person's group ----
const fanoutLoadOptions = {
  users: Number(process.env.BENCH_FANOUT_USERS ?? 1_000),
  perSecond: 500,
  seconds: Number(process.env.BENCH_FANOUT_SECONDS ?? 10),
};
const fanout = await fanoutLoad(fanoutLoadOptions);
const fanoutGroups = await fanoutLoad({ ...fanoutLoadOptions, groups: true });

const result = {
  changeToPixel: {
    changes: CHANGES,
    painted: latencies.length,
    missed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
  },
  relayReads: {
    changes: CHANGES,
    reads: reads.reads,
    idsRead: reads.ids,
    readsPerChange: Math.round((reads.reads / CHANGES) * 1000) / 1000,
    idsPerRead: Math.round((reads.ids / Math.max(1, reads.reads)) * 10) / 10,
    throttled: reads.throttled,
    unread: reads.unread,
    pageReads,
  },
  fanout,
  fanoutGroups,
  relay: {
    notifications: processed,
    fannedOut: bare.stats.received,
    droppedAsStale: bare.stats.stale,
    refused: bare.stats.refused,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: throughput,
    signalrMessages: bare.fanout.counts.messages,
    fanoutFailures: bare.fanout.counts.failures,
  },
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const c = result.changeToPixel;
  console.log(
    `\nchange to pixel (Graph -> relay -> SignalR -> badge), ${c.changes} changes: p50 ${c.p50} ms, p95 ${c.p95} ms, p99 ${c.p99} ms, max ${c.max} ms; ${c.missed} not seen`,
  );
  const g = result.relayReads;
  console.log(
    `relay Graph reads (getPresencesByUserId, to carry status messages and order): ${g.reads} for ${g.changes} changes = ${g.readsPerChange} per change, ${g.idsPerRead} ids per read; ${g.throttled} throttled, ${g.unread} left to pages; ${g.pageReads} reads by the page`,
  );
  const r = result.relay;
  console.log(
    `relay throughput: ${r.notifications} notifications verified and decrypted in ${r.seconds} s = ${r.perSecond}/s; ${r.fannedOut} fanned out in ${r.signalrMessages} SignalR messages, ${r.droppedAsStale} dropped as out of order, ${r.fanoutFailures} failures`,
  );
  console.log(describeFanoutLoad(result.fanout));
  console.log(describeFanoutLoad(result.fanoutGroups));
  console.log('Targets: p99 <= 100 ms on loopback; >= 2,000 notifications/s on this 2-core machine.');
}
// A run whose notifications were refused (or never processed) measured nothing: say so, and fail.
if (result.relay.refused > 0 || result.relay.notifications === 0) {
  console.error(
    `relay throughput: ${result.relay.refused} notifications refused, ${result.relay.notifications} processed: the bench is broken, not fast or slow.`,
  );
  process.exit(1);
}
