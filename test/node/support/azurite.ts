// Microsoft's Azure Storage emulator (npm `azurite`, from this project's node_modules, never a global install) for
// the tests: blob, queue and table services on free ports of 127.0.0.1, kept in memory, without telemetry (otherwise
// it tries to reach Application Insights). Gives the connection string the Azure SDK clients take, and stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The well-known development account of the Storage emulators (https://learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** `DefaultEndpointsProtocol=http;AccountName=…;AccountKey=…;BlobEndpoint=…;QueueEndpoint=…;TableEndpoint=…;` */
  connectionString: string;
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  stop(): Promise<void>;
}

/** Where the package's entry point is: its dist/src/azurite.js. */
function azuriteScript(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
}

/** Starts Azurite; resolves once all three services listen. */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<Azurite> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      azuriteScript(),
      '--disableTelemetry',
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--silent',
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
  const urls: Record<string, string> = {};
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not start within the time allowed: ${output.slice(-500)}`)),
      options.timeoutMs ?? 30_000,
    );
    const done = (error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const match of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/g))
        urls[match[1]!.toLowerCase()] = match[2]!.replace(/\/+$/, '');
      if (urls.blob && urls.queue && urls.table) done();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => done(new Error(`Azurite exited (${code}) before listening: ${output.slice(-500)}`)));
    child.once('error', done);
  });
  child.stdout!.resume();
  const at = (url: string) => `${url}/${DEV_ACCOUNT}`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
      `BlobEndpoint=${at(urls.blob!)};QueueEndpoint=${at(urls.queue!)};TableEndpoint=${at(urls.table!)};`,
    blobUrl: at(urls.blob!),
    queueUrl: at(urls.queue!),
    tableUrl: at(urls.table!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
