// Two relay instances' keepers sharing one store and one keeper lease (on Azurite): only the holder makes and renews
// Graph subscriptions; the other answers coverage from what the holder stored, leaves lifecycle notifications for it,
// and becomes the keeper when the holder stops, renewing on time. Graph (the emulator allows one presence
// subscription per user per application) never holds two for one owner.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { KeeperLease } from '../../../relay/src/keeper-lease.js';
import { LeasedKeeper } from '../../../relay/src/leased-keeper.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { MemoryStore } from '../../../relay/src/store.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { relayBroker, relaySubscriptions, relayToken, until, validationReceiver } from './support.js';

let cloud: Emulators;
let storage: Azurite;
let certificate: CertificateAndKey;
let receiver: { url: string; close(): void };
const store = new MemoryStore();
const keepers: LeasedKeeper[] = [];

before(async () => {
  [cloud, storage, certificate] = await Promise.all([
    startEmulators({ simulatorRate: 0, tenant: { seed: 'leased-keeper', userCount: 40, teamSizes: [5] } }),
    startAzurite(),
    makeCertificate('leased-keeper'),
  ]);
  receiver = await validationReceiver();
});
after(async () => {
  await Promise.all(keepers.map((k) => k.stopLease()));
  receiver.close();
  await Promise.all([cloud.stop(), storage.stop()]);
});

function keeper(): { keeper: LeasedKeeper; log: MemoryLogger } {
  const log = new MemoryLogger(10_000);
  const now = () => cloud.graph.clock.now();
  const made = new LeasedKeeper({
    graphBaseUrl: cloud.graph.url,
    broker: relayBroker(cloud, now),
    store,
    notificationUrl: `${receiver.url}/notifications`,
    lifecycleNotificationUrl: `${receiver.url}/lifecycle`,
    clientState: 'leased',
    certificate: { id: 'cert', base64: certificate.certBase64 },
    now,
    logger: log,
    lease: new KeeperLease({ connectionString: storage.connectionString, durationSeconds: 15, logger: log }),
    // Checks only when the test asks (or on taking over).
    checkMs: 3_600_000,
  });
  keepers.push(made);
  return { keeper: made, log };
}

const lines = (log: MemoryLogger, word: string) => log.lines.filter((l) => l.startsWith(word)).length;
const users = () => cloud.tenant.users.map((u) => u.id);

test('only the lease holder touches Graph; the other answers from what it stored, then takes over and renews on time', async () => {
  const a = keeper();
  const b = keeper();
  await a.keeper.load();
  await a.keeper.startLease();
  await b.keeper.load();
  await b.keeper.startLease();
  assert.equal(a.keeper.lease.holds(), true);
  assert.equal(b.keeper.lease.holds(), false);

  // Owners signed in through either instance; the ids watched through both (each instance learns the other's
  // sessions from the store, as shared-sessions.ts does).
  const [ownerA, ownerB] = [users()[0]!, users()[1]!];
  await b.keeper.addOwner(ownerB, relayToken(cloud, ownerB));
  await a.keeper.addOwner(ownerA, relayToken(cloud, ownerA));
  const watched = users().slice(10, 16);
  await Promise.all([b.keeper.reconcile(watched), a.keeper.reconcile(watched)]);
  assert.equal(relaySubscriptions(cloud).length, 1);
  assert.deepEqual(b.keeper.uncoveredOf(watched), [], 'the other instance answers covered from the store');
  assert.equal(lines(b.log, 'created'), 0, 'the other instance made nothing');

  // 45 minutes on: the keeper renews; the other does not.
  cloud.graph.clock.advance(45 * 60_000);
  await b.keeper.tick();
  assert.equal(lines(b.log, 'renewed'), 0);
  await a.keeper.tick();
  assert.equal(lines(a.log, 'renewed'), 1);
  const renewedUntil = relaySubscriptions(cloud)[0]!.expirationDateTime;
  assert.ok(renewedUntil > cloud.graph.clock.now() + 50 * 60_000);

  // A lifecycle notification reaching the other instance is left for the keeper, which acts on it.
  const id = relaySubscriptions(cloud)[0]!.id;
  await b.keeper.lifecycle({ subscriptionId: id, lifecycleEvent: 'reauthorizationRequired' });
  await until(() => lines(a.log, 'renewed') === 2, 'the keeper to renew what the other was told', 15_000);
  assert.equal(lines(b.log, 'renewed'), 0);

  // The keeper stops (a deployment, a scale-in): the other takes over at its next try and renews on time.
  await a.keeper.stopLease();
  assert.equal(await b.keeper.lease.beat(), true);
  cloud.graph.clock.advance(45 * 60_000);
  await until(() => lines(b.log, 'renewed') >= 1, 'the new keeper to renew', 15_000);
  const subscriptions = relaySubscriptions(cloud);
  assert.equal(subscriptions.length, 1, 'never two subscriptions');
  assert.equal(subscriptions[0]!.id, id, 'the same subscription, renewed, not made again');
  assert.ok(subscriptions[0]!.expirationDateTime > cloud.graph.clock.now() + 50 * 60_000);
  assert.equal(lines(b.log, 'created'), 0);
  assert.deepEqual(b.keeper.uncoveredOf(watched), []);
});

test('an instance that takes the lease before its relay says what is watched deletes nothing', async () => {
  // Every instance stopped (a deployment): the subscriptions made before stay at Graph, stored.
  await Promise.all(keepers.map((k) => k.stopLease()));
  const made = relaySubscriptions(cloud).map((s) => s.id);
  assert.equal(made.length, 1);
  const c = keeper();
  await c.keeper.load();
  // The first to start takes the lease at once, before its relay has read the sessions and reconciled.
  await c.keeper.startLease();
  assert.equal(c.keeper.lease.holds(), true);
  await until(() => lines(c.log, 'took over') === 1, 'the new keeper to take over');
  assert.deepEqual(
    relaySubscriptions(cloud).map((s) => s.id),
    made,
    'what was made for the watched people is kept',
  );
  assert.equal(lines(c.log, 'deleted'), 0);
  // Then told what is watched: the same subscription serves it.
  await c.keeper.reconcile(users().slice(10, 16));
  assert.deepEqual(
    relaySubscriptions(cloud).map((s) => s.id),
    made,
  );
});
