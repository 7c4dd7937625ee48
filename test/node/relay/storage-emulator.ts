// Azurite, Microsoft's Azure Storage emulator, started by a test in a process of its own: blob, queue and table
// services on free loopback ports, in memory, no telemetry. Its connection string uses the emulator's well-known
// account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite#connection-strings).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../support.js';

/** The emulator's one account and its published key. */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface StorageEmulator {
  /** The connection string every client (and the relay's `AZURE_STORAGE_CONNECTION_STRING`) takes. */
  readonly connectionString: string;
  readonly ports: { blob: number; queue: number; table: number };
  /** Ends the process and waits for it. */
  stop(): Promise<void>;
}

export async function startStorageEmulator(): Promise<StorageEmulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'node_modules/azurite/dist/src/azurite.js'),
      '--disableTelemetry',
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--blobHost',
      '127.0.0.1',
      '--queueHost',
      '127.0.0.1',
      '--tableHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--queuePort',
      '0',
      '--tablePort',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ports: Partial<Record<'blob' | 'queue' | 'table', number>> = {};
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at \S+:(\d+)/g))
        ports[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = Number(m[2]);
      if (ports.blob && ports.queue && ports.table) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited before listening:\n${output}`));
    });
  });
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${ACCOUNT}`;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=${endpoint(ports.blob!)};QueueEndpoint=${endpoint(ports.queue!)};TableEndpoint=${endpoint(ports.table!)};`;
  return {
    connectionString,
    ports: ports as StorageEmulator['ports'],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
