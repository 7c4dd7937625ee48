// The relay of the fan-out bench in a process of its own, as it runs deployed: the bench process (emulators and
// SignalR clients) sends it what to build and who watches whom over IPC, and gets back what the relay alone cost:
// its peak memory, its peak connections to SignalR Service and its busiest event-loop delay.
import { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FanOutCounts } from '../relay/src/fanout.js';
import { bareRelayFrom, type BareRelaySettings } from './bare-relay.js';

export type RelayChildCommand =
  | {
      type: 'start';
      settings: BareRelaySettings;
      watchers: Record<string, string[]>;
      maxSockets: number;
      /** Send each change to a group per person (FanOutOptions.groups) rather than to each watching user. */
      groups: boolean;
    }
  | { type: 'measure' }
  | { type: 'idle' }
  | { type: 'finish' };

export interface RelayChildStats {
  peakRssMb: number;
  peakHeapMb: number;
  /** Most connections to SignalR Service the relay held at once, as it counts them. */
  peakSockets: number;
  /** Most presences waiting in the relay for a send to SignalR Service at once. */
  peakBacklog: number;
  counts: FanOutCounts;
  /** CPU time the relay process used (every thread, user and system) from `measure` on, in ms. */
  cpuMs: number;
  /** 99th percentile of the relay's event-loop delay from `measure` on, in ms. */
  eventLoopP99Ms: number;
  /**
   * When each stage of each collection ended, on the machine's clock (ms), by the collection's number (its
   * notifications' `subscriptionId`, `bench-<n>`): its processing began (the 202 sent), its presences were handed to
   * the fan-out (verified, decrypted, ordered), and the fan-out was done with them (every send answered by SignalR
   * Service, or merged into a newer one).
   */
  stages: { began: number[]; decrypted: number[]; sent: number[] };
}

export type RelayChildReply =
  { type: 'listening'; url: string } | { type: 'idle' } | { type: 'stats'; stats: RelayChildStats };

const send = (reply: RelayChildReply) => process.send!(reply);

process.once('message', async (command: RelayChildCommand) => {
  if (command.type !== 'start') return;
  const relay = bareRelayFrom(command.settings, {
    fanout: { maxSockets: command.maxSockets, groups: command.groups },
  });
  await relay.start();
  // Each collection's stages, timed by wrapping the relay's own steps; which collection a step belongs to follows
  // the work through its awaits.
  const clock = () => performance.timeOrigin + performance.now();
  const stages: RelayChildStats['stages'] = { began: [], decrypted: [], sent: [] };
  const current = new AsyncLocalStorage<number>();
  const process_ = relay.process.bind(relay);
  relay.process = (payload, options) => {
    const first = (payload as { value?: Array<{ subscriptionId?: string }> }).value?.[0]?.subscriptionId;
    const n = Number(first?.replace(/^bench-/, ''));
    if (!Number.isInteger(n)) return process_(payload, options);
    stages.began[n] = clock();
    return current.run(n, () => process_(payload, options));
  };
  const publish = relay.fanout.publish.bind(relay.fanout);
  relay.fanout.publish = async (presences, watchers) => {
    const n = current.getStore();
    if (n !== undefined) stages.decrypted[n] = clock();
    const published = await publish(presences, watchers);
    if (n !== undefined) stages.sent[n] = clock();
    return published;
  };
  for (const [user, ids] of Object.entries(command.watchers)) relay.watchers.set(user, ids);
  let peakRss = 0;
  let peakHeap = 0;
  let peakSockets = 0;
  let peakBacklog = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpuStart = process.cpuUsage();
  // The resident size is cheap to read, so it is read often; the heap's figures cost more (a walk of its spaces).
  let ticks = 0;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (ticks++ % 5 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    peakSockets = Math.max(peakSockets, relay.fanout.connections.sockets);
    peakBacklog = Math.max(peakBacklog, relay.fanout.backlog);
  }, 50);
  process.on('message', async (next: RelayChildCommand) => {
    // Everything posted so far is processed and sent.
    if (next.type === 'idle') {
      await relay.idle();
      send({ type: 'idle' });
      return;
    }
    // The clients are connected: what follows is the load alone.
    if (next.type === 'measure') {
      cpuStart = process.cpuUsage();
      delay.reset();
      return;
    }
    if (next.type !== 'finish') return;
    await relay.idle();
    clearInterval(sample);
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    send({
      type: 'stats',
      stats: {
        peakRssMb: Math.round(peakRss / 2 ** 20),
        peakHeapMb: Math.round(peakHeap / 2 ** 20),
        peakSockets,
        peakBacklog,
        counts: { ...relay.fanout.counts },
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        eventLoopP99Ms: Math.round(delay.percentile(99) / 1e6),
        stages,
      },
    });
    await relay.stop();
    process.disconnect();
  });
  send({ type: 'listening', url: relay.url });
});
