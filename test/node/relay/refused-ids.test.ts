// Ids Graph will not subscribe to: the watch API refuses them by name, and should one reach Graph anyway, it never
// costs anyone else their subscription.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import { Relay } from '../../../relay/src/relay.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { MemoryStore } from '../../../relay/src/store.js';
import { SubscriptionKeeper } from '../../../relay/src/subscriptions.js';
import { localRelayOptions, relayBroker, relaySubscriptions, relayToken, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
const relays: Relay[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'refused-ids', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  certificate = await makeCertificate('refused-ids');
});
after(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await cloud.stop();
});

const user = (n: number) => cloud.tenant.users[n]!.id;

/** What the keeper said, most recent last. */
const logOf = (keeper: SubscriptionKeeper) => (keeper.logger as MemoryLogger).lines;

/** A keeper and a relay serving its webhook (Graph validates it), with the given users as owners. */
async function keeperWith(owners: string[]): Promise<SubscriptionKeeper> {
  const relay = new Relay({ ...localRelayOptions(cloud, certificate, 'refused-ids-secret') });
  await relay.start();
  relays.push(relay);
  const keeper = new SubscriptionKeeper({
    graphBaseUrl: cloud.graph.url,
    broker: relayBroker(cloud),
    store: new MemoryStore(),
    notificationUrl: `${relay.url}/api/notifications`,
    lifecycleNotificationUrl: `${relay.url}/api/lifecycle`,
    clientState: 'refused-ids-secret',
    certificate: { id: 'cert', base64: certificate.certBase64 },
    logger: new MemoryLogger(10_000),
  });
  await keeper.load();
  for (const owner of owners) await keeper.addOwner(owner, relayToken(cloud, owner));
  return keeper;
}

const covering = (id: string) => relaySubscriptions(cloud).filter((s) => s.ids.has(id));

test('the watch API refuses ids that are not user object ids, naming them, and changes nothing', async () => {
  const relay = await startLocalRelay(cloud);
  relays.push(relay);
  const [a, b, x] = [user(0), user(1), user(10)];
  const first = await watchAt(cloud, relay.url, a, [x]);
  assert.equal(first.status, 200);
  assert.equal(first.body.covered, true);
  const bad = await watchAt(cloud, relay.url, b, [user(11), 'not-a-guid', 'alice@contoso.com']);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /"not-a-guid", "alice@contoso\.com"/);
  assert.deepEqual(bad.body.invalid, ['not-a-guid', 'alice@contoso.com']);
  assert.deepEqual(relay.watchers.ids(), [x], 'nothing of the refused list is watched');
  assert.equal(covering(x).length, 1, "the other user's subscription is untouched");
  assert.equal((await watchAt(cloud, relay.url, a, [])).status, 200);
});

test('an id Graph refuses never costs another subscription its coverage (a free owner tries it)', async () => {
  const [a, b, x, y] = [user(2), user(3), user(12), user(13)];
  const keeper = await keeperWith([a, b]);
  await keeper.reconcile([x]);
  const [before] = covering(x);
  assert.ok(before, 'x covered');
  await keeper.reconcile([x, 'not-a-guid', y]);
  assert.equal(covering(x).length, 1, `x still covered: ${logOf(keeper).join(' | ')}`);
  assert.equal(covering(y).length, 1, 'the good id added with the refused one is covered too');
  assert.deepEqual(keeper.uncovered, ['not-a-guid'], 'the refused id is reported as uncovered');
  assert.ok(
    logOf(keeper).some((line) => line.includes('refuses to subscribe to not-a-guid')),
    'and logged',
  );
  assert.deepEqual(keeper.uncoveredOf([x, y, 'not-a-guid']), ['not-a-guid']);
  await keeper.reconcile([]);
  assert.equal(relaySubscriptions(cloud).length, 0);
});

test("with no free owner, a refused id leaves the owner's subscription covering what it covered", async () => {
  const [a, x, y] = [user(4), user(14), user(15)];
  const keeper = await keeperWith([a]);
  await keeper.reconcile([x]);
  assert.equal(covering(x).length, 1);
  await keeper.reconcile([x, 'not-a-guid']);
  assert.equal(covering(x).length, 1, `x covered again at once: ${logOf(keeper).join(' | ')}`);
  assert.deepEqual(keeper.uncovered, ['not-a-guid']);
  // Growing the subscription later leaves out the id Graph refused, rather than losing everything again.
  await keeper.reconcile([x, 'not-a-guid', y]);
  assert.equal(covering(x).length, 1);
  assert.equal(covering(y).length, 1, `y added: ${logOf(keeper).join(' | ')}`);
  assert.deepEqual(keeper.uncovered, ['not-a-guid']);
  await keeper.reconcile([]);
  assert.equal(relaySubscriptions(cloud).length, 0);
});
