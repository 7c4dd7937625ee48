// The same contract on the three stores: in memory, in a file, in Azure Table Storage (Azurite, started here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { FileStore, MemoryStore } from '../../../relay/src/store.js';
import { TableStore } from '../../../relay/src/table-store.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
let azurite: Azurite;
let tables = 0;

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

storeContract({
  name: 'MemoryStore',
  fresh: async () => {
    const store = new MemoryStore();
    return { store, open: () => store };
  },
});

let files = 0;
storeContract({
  name: 'FileStore',
  fresh: async () => {
    const path = join(dir, `state-${++files}.json`);
    return { store: new FileStore(path), open: () => new FileStore(path) };
  },
});

storeContract({
  name: 'TableStore',
  fresh: async () => {
    const prefix = `contract${++tables}`;
    const open = () => new TableStore({ connectionString: azurite.connectionString, prefix });
    return { store: open(), open };
  },
});
