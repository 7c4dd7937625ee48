// A relay instance's part in the keeper lease, alone in a process, for tests that kill it: takes part with the
// connection string in AZURE_STORAGE_CONNECTION_STRING and prints "keeper" once it holds the lease.
import { KeeperLease } from '../../../relay/src/keeper-lease.js';
import { consoleLogger } from '../../../relay/src/logger.js';

const lease = new KeeperLease({
  connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING!,
  durationSeconds: Number(process.env.RELAY_KEEPER_LEASE_SECONDS ?? 15),
  logger: consoleLogger(),
});
lease.onAcquired = () => console.log('keeper');
await lease.start();
setInterval(() => undefined, 60_000);
