// The fan-out bench's SignalR clients in a process of their own, as real pages are (each in its own browser): the
// bench process (the local cloud and the notification poster) sends who connects with which token, and gets back
// when each presence arrived, on the machine's clock (`performance.timeOrigin + performance.now()`), which every
// process on the machine shares.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';

export type ClientsChildCommand =
  { type: 'connect'; relayUrl: string; users: Array<{ user: string; token: string }> } | { type: 'finish' };

export interface ClientsChildStats {
  /** For each presence received: its sequence number less the bench's base, and when it arrived (machine clock, ms). */
  received: Float64Array;
  arrivedAt: Float64Array;
  peakRssMb: number;
  cpuMs: number;
  eventLoopP99Ms: number;
}

export type ClientsChildReply = { type: 'connected' } | { type: 'stats'; stats: ClientsChildStats };

/** Sequence numbers of the bench start above this (10^20), so they keep Graph's form and fit a double once less it. */
export const SEQUENCE_BASE = 10n ** 20n;

const send = (reply: ClientsChildReply, then?: () => void) => process.send!(reply, undefined, {}, () => then?.());
const clock = () => performance.timeOrigin + performance.now();

process.once('message', async (command: ClientsChildCommand) => {
  if (command.type !== 'connect') return;
  let received = new Float64Array(1 << 16);
  let arrivedAt = new Float64Array(1 << 16);
  let count = 0;
  const note = (sequenceNumber: string | undefined, at: number) => {
    if (!sequenceNumber) return;
    if (count === received.length) {
      const grow = (from: Float64Array) => {
        const to = new Float64Array(from.length * 2);
        to.set(from);
        return to;
      };
      received = grow(received);
      arrivedAt = grow(arrivedAt);
    }
    received[count] = Number(BigInt(sequenceNumber) - SEQUENCE_BASE);
    arrivedAt[count++] = at;
  };
  const connections: HubConnection[] = [];
  for (let i = 0; i < command.users.length; i += 50) {
    await Promise.all(
      command.users.slice(i, i + 50).map(async ({ token }) => {
        const connection = new HubConnectionBuilder()
          .withUrl(`${command.relayUrl}/api`, {
            accessTokenFactory: () => token,
            transport: HttpTransportType.WebSockets,
          })
          .configureLogging(LogLevel.None)
          .build();
        connection.on('presence', (list: Array<{ sequenceNumber?: string }>) => {
          const at = clock();
          for (const p of list) note(p.sequenceNumber, at);
        });
        await connection.start();
        connections.push(connection);
      }),
    );
  }
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpuStart = process.cpuUsage();
  process.on('message', async (next: ClientsChildCommand) => {
    if (next.type !== 'finish') return;
    clearInterval(sample);
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    await Promise.all(connections.map((c) => c.stop()));
    send(
      {
        type: 'stats',
        stats: {
          received: received.slice(0, count),
          arrivedAt: arrivedAt.slice(0, count),
          peakRssMb: Math.round(peakRss / 2 ** 20),
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          eventLoopP99Ms: Math.round(delay.percentile(99) / 1e6),
        },
      },
      () => process.disconnect(),
    );
  });
  send({ type: 'connected' });
});
