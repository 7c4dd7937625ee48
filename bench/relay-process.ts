// Starts the fan-out bench's relay in a child process (bench/relay-child.ts) and talks to it over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { replyOf } from './ipc.js';
import type { BareRelaySettings } from './bare-relay.js';
import type { RelayChildCommand, RelayChildReply, RelayChildStats } from './relay-child.js';

export interface RelayProcess {
  url: string;
  /** Starts the relay's CPU and event-loop figures afresh (the load begins). */
  measure(): void;
  /** Resolves once the relay has processed and sent everything posted to it so far. */
  idle(): Promise<void>;
  /** Waits until the relay has pushed everything it was given, then gives its figures and lets it exit. */
  finish(): Promise<RelayChildStats>;
  /** Ends it at once (the bench failed). */
  kill(): void;
}

export async function startRelayProcess(
  settings: BareRelaySettings,
  watchers: Record<string, string[]>,
  maxSockets: number,
  groups = false,
): Promise<RelayProcess> {
  // BENCH_RELAY_PROFILE=<dir>: the relay process writes a CPU profile there (`node --cpu-prof`).
  const profile = process.env.BENCH_RELAY_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_RELAY_PROFILE]
    : [];
  const child = fork(fileURLToPath(new URL('./relay-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T extends RelayChildReply['type']>(type: T) =>
    replyOf<RelayChildReply, T>(child, type, "the bench's relay");
  const command = (message: RelayChildCommand) => child.send(message);
  const listening = reply('listening');
  command({ type: 'start', settings, watchers, maxSockets, groups });
  const { url } = await listening;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    measure: () => command({ type: 'measure' }),
    async idle() {
      const idle = reply('idle');
      command({ type: 'idle' });
      await idle;
    },
    async finish() {
      const stats = reply('stats');
      command({ type: 'finish' });
      const { stats: figures } = await stats;
      await exited;
      return figures;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
