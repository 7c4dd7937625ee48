// A sequence number sent in a notification cannot freeze a person: one absurdly high, once accepted, does not stop
// the genuine changes that follow (the relay reads them back from Graph, whose number is the truth at read time);
// and one that is not a sequence number at all is refused.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, relaySubscriptions, until, watchAt } from './support.js';

const CLIENT_STATE = 'sequence-numbers-secret';
let cloud: Emulators;
let certificate: CertificateAndKey;
let relay: Relay;
let connection: HubConnection | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'sequence-numbers', userCount: 10, teamSizes: [5] },
    delivery: { batchWindowMs: 5 },
  });
  certificate = await makeCertificate('sequence-numbers');
  relay = await startLocalRelay(cloud, { certificate, clientState: CLIENT_STATE });
});
after(async () => {
  await connection?.stop();
  await relay.stop();
  await cloud.stop();
});

/** A rich notification for `presence`, as Graph would send it for the relay's subscription. */
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

async function post(payload: unknown): Promise<void> {
  const res = await fetch(`${relay.url}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  assert.equal(res.status, 202);
  await relay.idle();
}

test('an absurd sequence number does not block the changes after it; a malformed one is refused', async () => {
  const [watcher, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[6]!.id];
  const live = await connectAs(cloud, relay.url, watcher);
  connection = live.connection;
  assert.equal((await watchAt(cloud, relay.url, watcher, [watched])).body.covered, true);
  const subscription = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!;
  const shown = () =>
    live.received
      .flat()
      .filter((p) => p.id === watched)
      .map((p) => p.availability);

  const refused = relay.stats.refused;
  await post(
    notification(subscription.id, {
      id: watched,
      availability: 'DoNotDisturb',
      activity: 'Presenting',
      sequenceNumber: '0001 OR 1=1',
    }),
  );
  assert.equal(relay.stats.refused, refused + 1, 'a sequence number of the wrong form is refused');
  assert.ok(
    relay.refusals.some((r) => /sequenceNumber/.test(r.reason)),
    JSON.stringify(relay.refusals),
  );

  await post(
    notification(subscription.id, {
      id: watched,
      availability: 'Offline',
      activity: 'Offline',
      sequenceNumber: '9'.repeat(64),
    }),
  );
  // The person's next genuine change, read back from Graph, still reaches the watcher.
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await until(() => shown().includes('Busy'), 'the genuine change to reach the watcher');
  assert.ok(!shown().includes('DoNotDisturb'), 'the malformed notification was never pushed');
  cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'Away' });
  await until(() => shown().at(-1) === 'Away', 'the next change to reach the watcher');
});
