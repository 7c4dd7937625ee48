// Two relay instances sharing one table store (Azurite): a watch made through one, notifications processed by
// either, the watcher gets each change once and in order, whichever instance processed it.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import type { Relay } from '../../../relay/src/relay.js';
import { TableStore } from '../../../relay/src/table-store.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { connectAs, relaySubscriptions, until, watchAt } from './support.js';

const CLIENT_STATE = 'shared-store-secret';
let cloud: Emulators;
let azurite: Azurite;
let certificate: CertificateAndKey;
let a: Relay;
let storeOfA: TableStore;
let b: Relay;
let c: Relay | undefined;
let connection: HubConnection | undefined;

before(async () => {
  [cloud, azurite, certificate] = await Promise.all([
    startEmulators({ simulatorRate: 0, tenant: { seed: 'shared-store', userCount: 10, teamSizes: [5] } }),
    startAzurite(),
    makeCertificate('shared-store'),
  ]);
  const store = () => new TableStore({ connectionString: azurite.connectionString, prefix: 'shared' });
  // B reads the sessions only when a notification needs them (its periodic read is an hour apart): what it fans
  // out shows that it looked them up then.
  b = await startLocalRelay(cloud, {
    certificate,
    clientState: CLIENT_STATE,
    store: store(),
    sessionsRefreshMs: 3_600_000,
  });
  storeOfA = store();
  a = await startLocalRelay(cloud, {
    certificate,
    clientState: CLIENT_STATE,
    store: storeOfA,
    sessionsRefreshMs: 3_600_000,
  });
});
after(async () => {
  await connection?.stop();
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  await Promise.all([cloud?.stop(), azurite?.stop()]);
});

function notification(subscriptionId: string, presence: Record<string, unknown>): unknown {
  return {
    value: [
      {
        subscriptionId,
        clientState: CLIENT_STATE,
        changeType: 'updated',
        resource: `communications/presences('${presence.id}')`,
        encryptedContent: encryptResource(
          presence,
          new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
          'local-relay',
        ),
      },
    ],
    validationTokens: [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)],
  };
}

async function post(relay: Relay, payload: unknown): Promise<void> {
  const res = await fetch(`${relay.url}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  assert.equal(res.status, 202);
  await relay.idle();
}

let watcher: string;
let watched: string;
let subscriptionId: string;
let shown: () => string[];

test('a watch made through one instance is served by the other; each change reaches the watcher once, in order', async () => {
  [watcher, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[6]!.id];
  const live = await connectAs(cloud, a.url, watcher);
  connection = live.connection;
  assert.equal((await watchAt(cloud, a.url, watcher, [watched])).body.covered, true);
  const subscription = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!;
  assert.ok(subscription, 'a subscription covers the watched person');
  subscriptionId = subscription.id;
  assert.equal([...b.watchers.watchersOf(watched)].length, 0, 'B has not read the sessions yet');
  const change = (seq: string, availability: string) =>
    notification(subscription.id, { id: watched, availability, activity: availability, sequenceNumber: seq });

  // Processed by B, which learns of the watch from the store before fanning out.
  await post(b, change('0002', 'Busy'));
  // Delivered again, to A this time (Graph retries; a notification reaches any instance): not sent twice.
  await post(a, change('0002', 'Busy'));
  // An older change processed after the newer one, by either instance: dropped.
  await post(a, change('0001', 'Away'));
  await post(b, change('0001', 'Away'));
  // The next change, by A, then the last one, by B.
  await post(a, change('0003', 'DoNotDisturb'));
  await post(b, change('0004', 'Available'));
  shown = () =>
    live.received
      .flat()
      .filter((p) => p.id === watched)
      .map((p) => `${p.sequenceNumber} ${p.availability}`);
  await until(() => shown().includes('0004 Available'), 'the last change');
  assert.deepEqual(shown(), ['0002 Busy', '0003 DoNotDisturb', '0004 Available']);
  assert.deepEqual([...b.watchers.watchersOf(watched)], [watcher], 'B knows the watcher');
  assert.equal(a.stats.stale + b.stats.stale, 3, 'the repeat and the two older changes dropped');
});

test('a change Graph sends without a sequence number, delivered to two instances, is read back by both and pushed once', async () => {
  // An instance started now: it loads the owners (so it can read from Graph) and the sessions from the table.
  c = await startLocalRelay(cloud, {
    certificate,
    clientState: CLIENT_STATE,
    store: new TableStore({ connectionString: azurite.connectionString, prefix: 'shared' }),
  });
  const availabilities = () => shown().map((line) => line.split(' ')[1]);
  const pushes = (availability: string) => availabilities().filter((a) => a === availability).length;
  const withoutSequence = (availability: string) =>
    notification(subscriptionId, { id: watched, availability, activity: availability });
  const readsBefore = a.reader!.stats.reads + c.reader!.stats.reads;
  // Graph's own delivery goes to A (whose keeper made the subscription); the same change reaches C too.
  cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'Away' });
  await post(c, withoutSequence('Away'));
  await until(() => pushes('Away') > 0, 'the change pushed');
  await until(() => a.reader!.stats.reads + c!.reader!.stats.reads >= readsBefore + 2, 'both instances read it back');
  await a.idle();
  // The next change marks the end: whatever was to come of the first has come.
  cloud.tenant.setPresence(watched, { availability: 'BeRightBack', activity: 'BeRightBack' });
  await until(() => pushes('BeRightBack') > 0, 'the next change');
  assert.equal(pushes('Away'), 1, `pushed once: ${shown().join(', ')}`);
});

test('renewing a watch writes its session and nothing else: one entity, not the whole state', async () => {
  const before = { ...storeOfA.written };
  assert.equal((await watchAt(cloud, a.url, watcher, [watched])).status, 200);
  assert.equal(storeOfA.written.writes - before.writes, 1, 'one write');
  assert.ok(storeOfA.written.bytes - before.bytes < 2_000, `${storeOfA.written.bytes - before.bytes} bytes`);
});
