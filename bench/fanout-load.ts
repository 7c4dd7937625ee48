// Part of `npm run bench` (and runnable alone): the relay fanning out 500 changes per second to 1,000 users, each
// with a live SignalR connection. Three processes, as deployed: the relay (bench/relay-child.ts), the 1,000 clients
// (bench/clients-child.ts, standing for pages in their own browsers), and this one, which holds the local cloud
// (Entra ID, SignalR Service) and posts the notifications. Latency is measured on the machine's clock, which the
// processes share, from each notification's POST to the SignalR client's receipt. Prints p50/p95/p99, the most
// connections the relay held to SignalR Service at once (as the service counts them), and each process's memory.
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../emulator/entra/clients.js';
import { startEmulators } from '../emulator/index.js';
import { makeCertificate } from '../emulator/shared/tls.js';
import { DEFAULT_MAX_SOCKETS } from '../relay/src/signalr-rest.js';
import { bareRelaySettings } from './bare-relay.js';
import { presenceNotification } from './presence-notification.js';
import { SEQUENCE_BASE } from './clients-child.js';
import { startClientsProcess, type ClientsProcess } from './clients-process.js';
import type { RelayChildStats } from './relay-child.js';
import { startRelayProcess } from './relay-process.js';

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
  /** Most connections the relay held to SignalR Service at once, as the service counted them. */
  peakSockets: number;
  maxSockets: number;
  /** Latency SignalR Service added to each REST call (a fault), 0 when none. */
  serviceLatencyMs: number;
  /** The relay process alone. */
  relay: RelayChildStats;
  /** The SignalR clients' process. */
  clients: { peakRssMb: number; cpuMs: number; eventLoopP99Ms: number };
  /** This process: the local cloud (SignalR Service among it) and the notification poster. */
  benchRssMb: number;
  benchHeapMb: number;
  /** This process's CPU time while the changes were posted and delivered, and its event-loop delay (p99), in ms. */
  benchCpuMs: number;
  benchEventLoopP99Ms: number;
  /** The machine's load average over the last minute when the run ended: with other work running, latency grows. */
  loadAverage: number;
  /** The same when the changes began to be posted. */
  loadAverageBefore: number;
  /** How long one change of each person took to be processed and sent before the clock started, in ms. */
  warmUpMs: number;
  /** Each change sent once to a SignalR Service group per person (FanOutOptions.groups), not once per watching user. */
  groups: boolean;
  /**
   * Where each collection's time went, p50 and p99 in ms over the collections: from its POST to the start of its
   * processing (intake), to its presences handed to the fan-out (verify, decrypt, order), to every send of them
   * answered by SignalR Service (fan-out), and from its POST to that (the relay's whole part).
   */
  stages: Record<'intake' | 'decrypt' | 'fanout' | 'relay', { p50: number; p99: number }>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export async function fanoutLoad(
  options: {
    users?: number;
    perSecond?: number;
    seconds?: number;
    maxSockets?: number;
    serviceLatencyMs?: number;
    groups?: boolean;
  } = {},
): Promise<FanoutLoadResult> {
  const USERS = options.users ?? 1_000;
  const RATE = options.perSecond ?? 500;
  const SECONDS = options.seconds ?? 10;
  const MAX_SOCKETS = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const SLOW = options.serviceLatencyMs ?? 0;
  const GROUPS = options.groups ?? false;
  const PEOPLE = 200;
  const cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'bench-fanout', userCount: USERS + PEOPLE, teamSizes: [5] },
  });
  const certificate = await makeCertificate('bench-fanout');
  const x509 = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
  const people = cloud.tenant.users.slice(0, PEOPLE).map((u) => u.id);
  const users = cloud.tenant.users.slice(PEOPLE, PEOPLE + USERS).map((u) => u.id);
  // Each user watches 20 people: every change reaches about 100 users.
  const watchers = Object.fromEntries(
    users.map((user, i) => [user, Array.from({ length: 20 }, (_, k) => people[(i * 7 + k) % PEOPLE]!)]),
  );
  const relay = await startRelayProcess(bareRelaySettings(cloud, certificate), watchers, MAX_SOCKETS, GROUPS);
  let clients: ClientsProcess | undefined;
  try {
    const tokens = users.map((user) => ({
      user,
      token: cloud.entra.issueToken({
        userId: user,
        clientId: DEMO_SPA_CLIENT_ID,
        audience: `api://${DEMO_RELAY_CLIENT_ID}`,
        scopes: ['access_as_user'],
      }),
    }));
    clients = await startClientsProcess(relay.url, tokens);
    if (SLOW) cloud.faults.add({ service: 'signalr', path: '/api/', kind: 'latency', latencyMs: SLOW });

    // Every 20 ms, one collection of RATE / 50 notifications, as Graph batches them; encrypted before the clock
    // starts, so this process's work while measuring is the posting and the clients.
    const TICK = 20;
    const perTick = Math.max(1, Math.round((RATE * TICK) / 1000));
    const ticks = Math.round((SECONDS * 1000) / TICK);
    const validationTokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
    const states = ['Available', 'Busy', 'Away', 'DoNotDisturb'];
    let seq = SEQUENCE_BASE;
    // Before the clock starts, one change of each person, so that what is measured is the steady state: with
    // `groups`, each person's group gets its members at its first change (one call per watcher).
    const warmUp = Array.from({ length: Math.ceil(PEOPLE / perTick) }, (_, t) => {
      const value = people.slice(t * perTick, (t + 1) * perTick).map((id) => {
        seq += 1n;
        const presence = { id, availability: 'Offline', activity: 'Offline', sequenceNumber: String(seq) };
        return presenceNotification(presence, { id: 'bench-warm-up', clientState: 'bench' }, { x509, id: 'bench' });
      });
      return JSON.stringify({ value, validationTokens });
    });
    const collections = Array.from({ length: ticks }, (_, t) => {
      const sequenceNumbers: number[] = [];
      const value = Array.from({ length: perTick }, (_, k) => {
        const n = t * perTick + k;
        const id = people[n % PEOPLE]!;
        seq += 1n;
        const presence = { id, availability: states[n % 4]!, activity: states[n % 4]!, sequenceNumber: String(seq) };
        sequenceNumbers.push(Number(seq - SEQUENCE_BASE));
        // The collection's number, by which the relay's process times its stages (bench/relay-child.ts).
        return presenceNotification(presence, { id: `bench-${t}`, clientState: 'bench' }, { x509, id: 'bench' });
      });
      return { body: JSON.stringify({ value, validationTokens }), sequenceNumbers };
    });
    let benchRss = 0;
    let benchHeap = 0;
    let ticks20 = 0;
    const sample = setInterval(() => {
      benchRss = Math.max(benchRss, process.memoryUsage.rss());
      if (ticks20++ % 10 === 0) benchHeap = Math.max(benchHeap, process.memoryUsage().heapUsed);
    }, 20);
    // Posted over kept-alive connections (node:http costs this process less than fetch), as many as posts may be
    // under way: this process also plays SignalR Service, and when it is busy it reads each 202 late; with a few
    // connections (8 measured a 1.3 s p50 from POST to the relay's intake) the next posts waited for those reads,
    // which measured this process rather than the relay.
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const post = (body: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          `${relay.url}/api/notifications`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 202
                ? resolve()
                : reject(new Error(`the relay answered ${res.statusCode} to a notification`)),
            );
          },
        );
        // A kept-alive connection the relay closed (its keep-alive timeout) just as a post went out on it: sent
        // again on another, as Node's documentation advises (http.ClientRequest, `reusedSocket`).
        req.on('error', (error: NodeJS.ErrnoException) =>
          req.reusedSocket && error.code === 'ECONNRESET' ? post(body).then(resolve, reject) : reject(error),
        );
        req.end(body);
      });
    const warmUpStart = performance.now();
    await Promise.all(warmUp.map(post));
    await relay.idle();
    const warmUpMs = Math.round(performance.now() - warmUpStart);
    // Its pushes reach the clients before the clock starts (they are not counted: they were not timed).
    await new Promise((r) => setTimeout(r, 500));
    const posts: Array<Promise<unknown>> = [];
    // When each change was posted, on the machine's clock, by its sequence number less SEQUENCE_BASE.
    const sentAt = new Float64Array(Number(seq - SEQUENCE_BASE) + 1);
    const postedAt = new Float64Array(ticks);
    const loadBefore = loadavg()[0]!;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpuStart = process.cpuUsage();
    relay.measure();
    const start = performance.now();
    for (let t = 0; t < ticks; t++) {
      const { body } = collections[t]!;
      const now = performance.timeOrigin + performance.now();
      for (const s of collections[t]!.sequenceNumbers) sentAt[s] = now;
      postedAt[t] = now;
      posts.push(post(body));
      const wait = start + (t + 1) * TICK - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(posts);
    agent.destroy();
    const stats = await relay.finish();
    await new Promise((r) => setTimeout(r, 500));
    const seen = await clients.finish();
    clients = undefined;
    const latencies: number[] = [];
    for (let i = 0; i < seen.received.length; i++) {
      const at = sentAt[seen.received[i]!];
      if (at) latencies.push(seen.arrivedAt[i]! - at);
    }
    clearInterval(sample);
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    cloud.faults.clear();
    latencies.sort((a, b) => a - b);
    const spread = (of: (t: number) => number) => {
      const values: number[] = [];
      for (let t = 0; t < ticks; t++) {
        const v = of(t);
        if (Number.isFinite(v)) values.push(v);
      }
      values.sort((a, b) => a - b);
      return { p50: Math.round(percentile(values, 50)), p99: Math.round(percentile(values, 99)) };
    };
    const { began, decrypted, sent } = stats.stages;
    const stages = {
      intake: spread((t) => began[t]! - postedAt[t]!),
      decrypt: spread((t) => decrypted[t]! - began[t]!),
      fanout: spread((t) => sent[t]! - decrypted[t]!),
      relay: spread((t) => sent[t]! - postedAt[t]!),
    };
    const result: FanoutLoadResult = {
      users: USERS,
      changesPerSecond: RATE,
      changes: ticks * perTick,
      deliveries: latencies.length,
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies.at(-1) ?? 0),
      merged: stats.counts.superseded,
      failures: stats.counts.failures,
      messages: stats.counts.messages,
      peakSockets: Math.max(cloud.signalr.restSockets.peak, stats.peakSockets),
      maxSockets: MAX_SOCKETS,
      serviceLatencyMs: SLOW,
      relay: stats,
      clients: { peakRssMb: seen.peakRssMb, cpuMs: seen.cpuMs, eventLoopP99Ms: seen.eventLoopP99Ms },
      benchRssMb: Math.round(benchRss / 2 ** 20),
      benchHeapMb: Math.round(benchHeap / 2 ** 20),
      benchCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      benchEventLoopP99Ms: Math.round(delay.percentile(99) / 1e6),
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      loadAverageBefore: Math.round(loadBefore * 10) / 10,
      warmUpMs,
      groups: GROUPS,
      stages,
    };
    return result;
  } catch (error) {
    relay.kill();
    clients?.kill();
    throw error;
  } finally {
    await cloud.stop();
  }
}

export function describeFanoutLoad(r: FanoutLoadResult): string {
  return (
    `relay fan-out under load: ${r.changes} changes at ${r.changesPerSecond}/s to ${r.users} SignalR clients${r.groups ? ', one group per person' : ', one message per user'}${r.serviceLatencyMs ? ` (SignalR Service answering in ${r.serviceLatencyMs} ms)` : ''}: ${r.deliveries} deliveries, ` +
    `p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms (POST to client); ` +
    `per collection p50/p99: intake ${r.stages.intake.p50}/${r.stages.intake.p99} ms, verify and decrypt ${r.stages.decrypt.p50}/${r.stages.decrypt.p99} ms, fan-out until SignalR Service answered ${r.stages.fanout.p50}/${r.stages.fanout.p99} ms, relay in all ${r.stages.relay.p50}/${r.stages.relay.p99} ms; ` +
    `first change of each person before the clock ${r.warmUpMs} ms; ${r.messages} messages to SignalR Service, ${r.merged} merged into a newer push, ${r.failures} failures; ` +
    `at most ${r.peakSockets} connections to SignalR Service (bound ${r.maxSockets}); relay process: peak ${r.relay.peakRssMb} MB RSS, ${r.relay.peakHeapMb} MB heap, ` +
    `at most ${r.relay.peakBacklog} presences waiting, ${r.relay.cpuMs} ms CPU, event-loop delay p99 ${r.relay.eventLoopP99Ms} ms; ` +
    `clients' process: peak ${r.clients.peakRssMb} MB RSS, ${r.clients.cpuMs} ms CPU, event-loop delay p99 ${r.clients.eventLoopP99Ms} ms; ` +
    `bench process (emulators, poster): peak ${r.benchRssMb} MB RSS, ${r.benchCpuMs} ms CPU, event-loop delay p99 ${r.benchEventLoopP99Ms} ms; machine load average ${r.loadAverageBefore} before, ${r.loadAverage} after`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await fanoutLoad({
    ...(process.env.BENCH_FANOUT_USERS ? { users: Number(process.env.BENCH_FANOUT_USERS) } : {}),
    ...(process.env.BENCH_FANOUT_SECONDS ? { seconds: Number(process.env.BENCH_FANOUT_SECONDS) } : {}),
    ...(process.env.BENCH_FANOUT_SERVICE_LATENCY_MS
      ? { serviceLatencyMs: Number(process.env.BENCH_FANOUT_SERVICE_LATENCY_MS) }
      : {}),
    ...(process.env.BENCH_FANOUT_MAX_SOCKETS ? { maxSockets: Number(process.env.BENCH_FANOUT_MAX_SOCKETS) } : {}),
    ...(process.env.BENCH_FANOUT_GROUPS === '1' ? { groups: true } : {}),
  });
  console.log(process.argv.includes('--json') ? JSON.stringify(result, null, 2) : describeFanoutLoad(result));
}
