// The relay as its users run it: `npm run relay` in a process of its own, configured by environment variables,
// against the local cloud of the test. Fault tests kill it (SIGKILL), restart it on the same port with the same state,
// and read what it printed when something goes wrong.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulators } from '../../../emulator/index.js';
import type { CertificateAndKey } from '../../../emulator/shared/tls.js';
import { root } from '../support.js';
import { freePort, relayEnv } from './support.js';

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Ends it at once, as a crash would (SIGKILL), and waits for the process to be gone. */
  kill(): Promise<void>;
  /** Asks it to stop (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Writes the files the relay reads (its certificate and key, the local Entra ID's TLS certificate) into `dir`, once
 * per directory: restarts reuse them, as a deployment keeps its certificate.
 */
export function writeRelayFiles(cloud: Emulators, dir: string, certificate: CertificateAndKey): void {
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
}

/**
 * Starts the relay in its own process on `port`, its state (and intake journal) in `dir` (see `writeRelayFiles`),
 * and resolves once it listens. `env` adds or overrides settings; `entry` is the script run (default the relay's
 * `npm run relay`).
 */
export async function startRelayProcess(
  cloud: Emulators,
  dir: string,
  port: number,
  env: Record<string, string> = {},
  entry = 'relay/src/main.ts',
): Promise<RelayProcess> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      ...relayEnv(cloud, dir, url),
      HOST: '127.0.0.1',
      PORT: String(port),
      GRAPH_BASE_URL: cloud.graph.url,
      RELAY_STORE_PATH: join(dir, 'state.json'),
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start within 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (!output.includes('listening')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the relay exited before listening (code ${child.exitCode}):\n${output}`));
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, port, child, output: () => output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** A relay's home across restarts: its folder (state, journal, certificate) and its port. */
export interface RelayHome {
  dir: string;
  port: number;
  /** Starts the relay there; every process started is also added to `started`, for killing at the end. */
  start(): Promise<RelayProcess>;
}

/**
 * Makes `<base>/<name>` a relay's folder (with its files written) and picks a free port for it. Each start runs the
 * relay there with `env`, and is remembered in `started`.
 */
export async function relayHome(
  cloud: Emulators,
  base: string,
  name: string,
  certificate: CertificateAndKey,
  started: RelayProcess[],
  env: Record<string, string> = {},
): Promise<RelayHome> {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeRelayFiles(cloud, dir, certificate);
  const port = await freePort();
  return {
    dir,
    port,
    async start() {
      const relay = await startRelayProcess(cloud, dir, port, env);
      started.push(relay);
      return relay;
    },
  };
}
