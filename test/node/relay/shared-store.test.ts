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
let b: Relay;
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
  b = await startLocalRelay(cloud, { certificate, clientState: CLIENT_STATE, store: store(), sessionsRefreshMs: 3_600_000 });
  a = await startLocalRelay(cloud, { certificate, clientState: CLIENT_STATE, store: store(), sessionsRefreshMs: 3_600_000 });
});
after(async () => {
  await connection?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
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

test('a watch made through one instance is served by the other; each change reaches the watcher once, in order', async () => {
  const [watcher, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[6]!.id];
  const live = await connectAs(cloud, a.url, watcher);
  connection = live.connection;
  assert.equal((await watchAt(cloud, a.url, watcher, [watched])).body.covered, true);
  const subscription = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!;
  assert.ok(subscription, 'a subscription covers the watched person');
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
  const shown = () =>
    live.received
      .flat()
      .filter((p) => p.id === watched)
      .map((p) => `${p.sequenceNumber} ${p.availability}`);
  await until(() => shown().includes('0004 Available'), 'the last change');
  assert.deepEqual(shown(), ['0002 Busy', '0003 DoNotDisturb', '0004 Available']);
  assert.deepEqual([...b.watchers.watchersOf(watched)], [watcher], 'B knows the watcher');
  assert.equal(a.stats.stale + b.stats.stale, 3, 'the repeat and the two older changes dropped');
});
