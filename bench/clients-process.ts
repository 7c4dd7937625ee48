// Starts the fan-out bench's SignalR clients in a child process (bench/clients-child.ts) and talks to it over IPC.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { replyOf } from './ipc.js';
import type { ClientsChildCommand, ClientsChildReply, ClientsChildStats } from './clients-child.js';

export interface ClientsProcess {
  /** Stops the clients and gives what they received, and when. */
  finish(): Promise<ClientsChildStats>;
  kill(): void;
}

/** Connects one SignalR client per user, through the relay's negotiate; resolves once all are connected. */
export async function startClientsProcess(
  relayUrl: string,
  users: Array<{ user: string; token: string }>,
): Promise<ClientsProcess> {
  // BENCH_CLIENTS_PROFILE=<dir>: the clients' process writes a CPU profile there (`node --cpu-prof`).
  const profile = process.env.BENCH_CLIENTS_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CLIENTS_PROFILE]
    : [];
  // Typed arrays cross IPC as they are with the structured-clone serialisation.
  const child = fork(fileURLToPath(new URL('./clients-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const reply = <T extends ClientsChildReply['type']>(type: T) =>
    replyOf<ClientsChildReply, T>(child, type, "the bench's clients");
  const command = (message: ClientsChildCommand) => child.send(message);
  const connected = reply('connected');
  command({ type: 'connect', relayUrl, users });
  await connected;
  return {
    async finish() {
      const stats = reply('stats');
      command({ type: 'finish' });
      return (await stats).stats;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
