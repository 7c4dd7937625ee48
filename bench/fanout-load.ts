// Part of `npm run bench` (and runnable alone): the relay fanning out 500 changes per second to 1,000 users, each
// with a live SignalR connection. Prints the latency from notification to SignalR client (p50/p95/p99), the most
// connections the relay held to SignalR Service at once, and the process's memory (relay, emulators and the 1,000
// clients together: one process).
import { X509Certificate } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { encryptResource } from '../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../emulator/entra/clients.js';
import { startEmulators } from '../emulator/index.js';
import { makeCertificate } from '../emulator/shared/tls.js';
import { bareRelay } from './bare-relay.js';

export interface FanoutLoadResult {
  users: number;
  changesPerSecond: number;
  changes: number;
  deliveries: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Pushes not sent separately because a newer presence of the same person went in the same message. */
  merged: number;
  failures: number;
  /** Messages sent to SignalR Service. */
  messages: number;
  peakSockets: number;
  maxSockets: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export async function fanoutLoad(options: { users?: number; perSecond?: number; seconds?: number; maxSockets?: number } = {}): Promise<FanoutLoadResult> {
  const USERS = options.users ?? 1_000;
  const RATE = options.perSecond ?? 500;
  const SECONDS = options.seconds ?? 10;
  const MAX_SOCKETS = options.maxSockets ?? 64;
  const PEOPLE = 200;
  const cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'bench-fanout', userCount: USERS + PEOPLE, teamSizes: [5] } });
  const certificate = await makeCertificate('bench-fanout');
  const x509 = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
  const relay = bareRelay(cloud, certificate, { fanout: { maxSockets: MAX_SOCKETS } });
  await relay.start();
  const people = cloud.tenant.users.slice(0, PEOPLE).map((u) => u.id);
  const users = cloud.tenant.users.slice(PEOPLE, PEOPLE + USERS).map((u) => u.id);
  // Each user watches 20 people: every change reaches about 100 users.
  users.forEach((user, i) => relay.watchers.set(user, Array.from({ length: 20 }, (_, k) => people[(i * 7 + k) % PEOPLE]!)));

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const connections: HubConnection[] = [];
  for (let i = 0; i < users.length; i += 50) {
    await Promise.all(
      users.slice(i, i + 50).map(async (user) => {
        const token = cloud.entra.issueToken({ userId: user, clientId: DEMO_SPA_CLIENT_ID, audience: `api://${DEMO_RELAY_CLIENT_ID}`, scopes: ['access_as_user'] });
        const connection = new HubConnectionBuilder().withUrl(`${relay.url}/api`, { accessTokenFactory: () => token, transport: HttpTransportType.WebSockets }).configureLogging(LogLevel.None).build();
        connection.on('presence', (list: Array<{ sequenceNumber?: string }>) => {
          const now = performance.now();
          for (const p of list) {
            const at = sentAt.get(p.sequenceNumber ?? '');
            if (at !== undefined) latencies.push(now - at);
          }
        });
        await connection.start();
        connections.push(connection);
      }),
    );
  }

  const validationTokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
  let seq = 10n ** 20n;
  let peakSockets = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = setInterval(() => {
    peakSockets = Math.max(peakSockets, relay.fanout.connections.sockets);
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  }, 20);
  // Every 20 ms, one collection of RATE / 50 notifications, as Graph batches them.
  const TICK = 20;
  const perTick = Math.max(1, Math.round((RATE * TICK) / 1000));
  const ticks = Math.round((SECONDS * 1000) / TICK);
  const posts: Array<Promise<unknown>> = [];
  const states = ['Available', 'Busy', 'Away', 'DoNotDisturb'];
  const start = performance.now();
  for (let t = 0; t < ticks; t++) {
    const value = Array.from({ length: perTick }, (_, k) => {
      const n = t * perTick + k;
      const id = people[n % PEOPLE]!;
      seq += 1n;
      const presence = { id, availability: states[n % 4]!, activity: states[n % 4]!, sequenceNumber: String(seq) };
      sentAt.set(presence.sequenceNumber, performance.now());
      return { subscriptionId: 'bench', changeType: 'updated', clientState: 'bench', resource: `communications/presences('${id}')`, resourceData: { id }, encryptedContent: encryptResource(presence, x509, 'bench') };
    });
    posts.push(fetch(`${relay.url}/api/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value, validationTokens }) }));
    const next = start + (t + 1) * TICK;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(posts);
  await relay.idle();
  await new Promise((r) => setTimeout(r, 500));
  clearInterval(sample);
  peakSockets = Math.max(peakSockets, cloud.signalr.restSockets.peak);
  latencies.sort((a, b) => a - b);
  const result: FanoutLoadResult = {
    users: USERS,
    changesPerSecond: RATE,
    changes: ticks * perTick,
    deliveries: latencies.length,
    p50: Math.round(percentile(latencies, 50)),
    p95: Math.round(percentile(latencies, 95)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies.at(-1) ?? 0),
    merged: relay.fanout.counts.superseded,
    failures: relay.fanout.counts.failures,
    messages: relay.fanout.counts.messages,
    peakSockets,
    maxSockets: MAX_SOCKETS,
    peakRssMb: Math.round(peakRss / 2 ** 20),
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
  };
  await Promise.all(connections.map((c) => c.stop()));
  await relay.stop();
  await cloud.stop();
  return result;
}

export function describeFanoutLoad(r: FanoutLoadResult): string {
  return (
    `relay fan-out under load: ${r.changes} changes at ${r.changesPerSecond}/s to ${r.users} SignalR clients: ${r.deliveries} deliveries, ` +
    `p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms; ${r.messages} messages to SignalR Service, ${r.merged} merged into a newer push, ${r.failures} failures; ` +
    `at most ${r.peakSockets} connections to SignalR Service (bound ${r.maxSockets}); peak memory ${r.peakRssMb} MB RSS, ${r.peakHeapMb} MB heap (relay, emulators and clients in one process)`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await fanoutLoad({
    ...(process.env.BENCH_FANOUT_USERS ? { users: Number(process.env.BENCH_FANOUT_USERS) } : {}),
    ...(process.env.BENCH_FANOUT_SECONDS ? { seconds: Number(process.env.BENCH_FANOUT_SECONDS) } : {}),
  });
  console.log(process.argv.includes('--json') ? JSON.stringify(result, null, 2) : describeFanoutLoad(result));
}
