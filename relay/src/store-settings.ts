// Which store the relay keeps its state in, from settings: the file store (default: one instance, `npm start`), or
// the table store on Azure Storage (`RELAY_STORE=table`), which several instances share.

/** Where the state is kept. */
export type StoreSettings =
  | { kind: 'file' }
  | {
      kind: 'table';
      /** The storage account's connection string (a secret: never said in a message). */
      connectionString: string;
      /** What the table's name starts with (`<prefix>relay`). */
      prefix?: string;
    };

const PREFIX = /^[A-Za-z][A-Za-z0-9]{0,57}$/;

/**
 * What `UseDevelopmentStorage=true` stands for (the local emulator's well-known account, published by Microsoft:
 * https://learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings), which the table
 * client does not expand itself: Functions' local settings often say it.
 */
const DEVELOPMENT_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/**
 * `RELAY_STORE` (`file` or `table`); for `table`, the account from `AZURE_STORAGE_CONNECTION_STRING`, else
 * `AzureWebJobsStorage` (the storage account every Functions app has), and `RELAY_TABLE_PREFIX`.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv): StoreSettings {
  const kind = (env.RELAY_STORE?.trim() || 'file').toLowerCase();
  if (kind === 'file') return { kind: 'file' };
  if (kind !== 'table') throw new Error(`RELAY_STORE=${env.RELAY_STORE} is not "file" or "table"`);
  const named = env.AZURE_STORAGE_CONNECTION_STRING?.trim() ? 'AZURE_STORAGE_CONNECTION_STRING' : 'AzureWebJobsStorage';
  const connectionString = env[named]?.trim();
  if (!connectionString)
    throw new Error(
      'RELAY_STORE=table needs the storage account: set AZURE_STORAGE_CONNECTION_STRING (on Azure Functions, AzureWebJobsStorage is used when it is not set)',
    );
  const problem = connectionStringProblem(connectionString);
  if (problem) throw new Error(`${named} is not a storage connection string: ${problem}`);
  const account = /^\s*UseDevelopmentStorage\s*=\s*true\s*;?\s*$/i.test(connectionString)
    ? DEVELOPMENT_STORAGE
    : connectionString;
  const prefix = env.RELAY_TABLE_PREFIX?.trim() || undefined;
  if (prefix !== undefined && !PREFIX.test(prefix))
    throw new Error(
      `RELAY_TABLE_PREFIX=${prefix} is not 1 to 58 letters and digits starting with a letter (the table is named <prefix>relay)`,
    );
  return { kind: 'table', connectionString: account, ...(prefix ? { prefix } : {}) };
}

/**
 * What is wrong with a connection string, said without quoting it (it holds the account key); undefined when it
 * names an account (https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string): its
 * name and key or shared access signature, or a table endpoint; or the local emulator (`UseDevelopmentStorage=true`).
 */
export function connectionStringProblem(text: string): string | undefined {
  const pairs = new Map<string, string>();
  for (const part of text.split(';')) {
    if (!part.trim()) continue;
    const at = part.indexOf('=');
    if (at <= 0) return 'it is not a list of name=value pairs separated by ";"';
    pairs.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (pairs.get('usedevelopmentstorage') === 'true') return undefined;
  const endpoint = pairs.get('tableendpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) return 'its TableEndpoint is not an http(s) URL';
  const hasCredential = pairs.has('accountkey') || pairs.has('sharedaccesssignature');
  if (!pairs.get('accountname') && !endpoint) return 'it names no AccountName and no TableEndpoint';
  if (!hasCredential) return 'it has no AccountKey and no SharedAccessSignature';
  return undefined;
}
