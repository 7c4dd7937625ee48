// Two instances of the Functions app on one table store and one keeper lease (Azurite), called as the Functions host
// calls them (no server of their own, only `init`): a watch landing on the instance that is not the keeper is
// answered covered, since the keeper learns the new session from the store and makes the subscription.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { createHandlers } from '../../../relay/functions/src/handlers.js';
import { KeeperLease } from '../../../relay/src/keeper-lease.js';
import { LeasedKeeper } from '../../../relay/src/leased-keeper.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { Relay } from '../../../relay/src/relay.js';
import { TableStore } from '../../../relay/src/table-store.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { localRelayOptions, relayBroker, relaySubscriptions, relayToken, validationReceiver } from './support.js';

const { HttpRequest } = functions;
let cloud: Emulators;
let azurite: Azurite;
let certificate: CertificateAndKey;
let receiver: { url: string; close(): void };
const relays: Relay[] = [];

before(async () => {
  [cloud, azurite, certificate] = await Promise.all([
    startEmulators({ simulatorRate: 0, tenant: { seed: 'functions-scale-out', userCount: 20, teamSizes: [5] } }),
    startAzurite(),
    makeCertificate('functions-scale-out'),
  ]);
  receiver = await validationReceiver();
});
after(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  receiver.close();
  await Promise.all([cloud.stop(), azurite.stop()]);
});

/** One instance of the app: its relay and keeper, on the shared store and lease. */
function instance(): { relay: Relay; keeper: LeasedKeeper } {
  const now = () => cloud.graph.clock.now();
  const log = new MemoryLogger();
  const url = receiver.url;
  const keeper = new LeasedKeeper({
    graphBaseUrl: cloud.graph.url,
    broker: relayBroker(cloud, now),
    store: new TableStore({ connectionString: azurite.connectionString, prefix: 'functions' }),
    notificationUrl: `${url}/notifications`,
    lifecycleNotificationUrl: `${url}/lifecycle`,
    clientState: 'functions-scale-out',
    certificate: { id: 'cert', base64: certificate.certBase64 },
    now,
    logger: log,
    lease: new KeeperLease({ connectionString: azurite.connectionString, durationSeconds: 15, logger: log }),
  });
  const relay = new Relay({
    ...localRelayOptions(cloud, certificate, 'functions-scale-out', 'cert'),
    keeper,
    decryptWorkers: 0,
    heartbeatMs: 0,
  });
  relays.push(relay);
  return { relay, keeper };
}

test('a watch on the instance that is not the keeper is answered covered', async () => {
  const a = instance();
  const b = instance();
  const [handlersA, handlersB] = [createHandlers(a.relay, a.keeper), createHandlers(b.relay, b.keeper)];
  await a.relay.init();
  await b.relay.init();
  assert.equal(a.keeper.lease.holds(), true);
  assert.equal(b.keeper.lease.holds(), false);
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users.slice(5, 9).map((u) => u.id);
  const reply = await handlersB.watch(
    new HttpRequest({
      method: 'POST',
      url: 'https://relay.example/api/watch',
      headers: { authorization: `Bearer ${relayToken(cloud, user)}` },
      body: { string: JSON.stringify({ ids: watched, session: 'tab' }) },
    }),
  );
  assert.equal(reply.status, 200);
  assert.equal((reply.jsonBody as { covered: boolean }).covered, true);
  assert.equal(relaySubscriptions(cloud).length, 1);
  // The renewal timer, wherever it runs, leaves Graph alone on the instance that is not the keeper.
  await handlersB.renew();
  assert.equal(relaySubscriptions(cloud).length, 1);
  void handlersA;
});
