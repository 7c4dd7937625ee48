// The Functions app's notification queue on a real Storage queue service (Azurite): what the webhook function puts
// in its queue output is sent, received by the `processNotifications` trigger, processed and deleted, as the Functions
// host does it (queue-host.ts); what keeps failing ends in the poison queue, and what is not a collection is dropped
// without failing.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { createHandlers, type RelayHandlers } from '../../../relay/functions/src/handlers.js';
import { Relay } from '../../../relay/src/relay.js';
import { MAX_DEQUEUE_COUNT, queueHost, type QueueHost } from './queue-host.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { connectAs, localRelayOptions, until, watchAt } from './support.js';

const { HttpRequest, InvocationContext } = functions;
const QUEUE = 'graph-notifications';
const queueOutput = functions.output.storageQueue({ queueName: QUEUE, connection: 'AzureWebJobsStorage' });

let cloud: Emulators;
let storage: Azurite;
let certificate: CertificateAndKey;
let relay: Relay;
let handlers: RelayHandlers;
let host: QueueHost;

before(async () => {
  [cloud, storage, certificate] = await Promise.all([
    startEmulators({ simulatorRate: 0, tenant: { seed: 'functions-queue', userCount: 30, teamSizes: [5] } }),
    startAzurite(),
    makeCertificate('functions-queue-relay'),
  ]);
  relay = new Relay({ ...localRelayOptions(cloud, certificate, 'queue-secret', 'cert'), decryptWorkers: 0 });
  await relay.start();
  handlers = createHandlers(relay, undefined, { queue: queueOutput });
  host = await queueHost(storage.connectionString, QUEUE);
});
after(async () => {
  await relay.stop();
  await Promise.all([cloud.stop(), storage.stop()]);
});

const notification = (id: string, availability: string, sequence: number) => ({
  subscriptionId: 'queued-subscription',
  changeType: 'updated',
  clientState: 'queue-secret',
  resourceData: { id },
  encryptedContent: encryptResource(
    { id, availability, activity: availability, sequenceNumber: String(sequence).padStart(22, '0') },
    new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
    'cert',
  ),
});

/** Graph POSTs a collection to the webhook function; what it puts in its queue output goes to the queue. */
async function graphPosts(value: unknown[]): Promise<number> {
  const context = new InvocationContext();
  const reply = await handlers.notifications(
    new HttpRequest({
      method: 'POST',
      url: 'https://relay.example/api/notifications',
      body: {
        string: JSON.stringify({
          value,
          validationTokens: [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)],
        }),
      },
    }),
    context,
  );
  assert.equal(reply.status, 202);
  await host.enqueue(context.extraOutputs.get(queueOutput));
  return reply.status;
}

const trigger = (message: unknown) => handlers.queued(message, new InvocationContext());

test('what the webhook queues is received from the queue, processed, and deleted; watchers get each change in order', async () => {
  const [user, a, b] = [cloud.tenant.users[0]!.id, cloud.tenant.users[10]!.id, cloud.tenant.users[11]!.id];
  const page = await connectAs(cloud, relay.url, user);
  try {
    assert.equal((await watchAt(cloud, relay.url, user, [a, b])).status, 200);
    await graphPosts([notification(a, 'Busy', 1), notification(b, 'Away', 1)]);
    await graphPosts([notification(a, 'Available', 2)]);
    // A large collection is cut into several messages, each processed on its own.
    await graphPosts(Array.from({ length: 40 }, (_, i) => notification(b, i % 2 ? 'Busy' : 'Away', i + 2)));
    assert.ok((await host.peek(host.queue)).length >= 3, 'the collections are in the queue, not yet processed');
    const { succeeded, failed } = await host.drain(trigger);
    assert.ok(succeeded >= 3);
    assert.equal(failed, 0);
    assert.deepEqual(await host.peek(host.queue), [], 'every message deleted once processed');
    assert.deepEqual(await host.peek(host.poison), []);
    await relay.idle();
    const seen = () => page.received.flat();
    await until(
      () => seen().some((p) => p.id === b && p.sequenceNumber === String(41).padStart(22, '0')),
      'the last change',
    );
    for (const id of [a, b]) {
      const sequence = seen()
        .filter((p) => p.id === id)
        .map((p) => p.sequenceNumber!);
      assert.deepEqual(sequence, [...sequence].sort(), `${id}'s changes in order`);
      assert.equal(new Set(sequence).size, sequence.length, `${id}'s changes once each`);
    }
    assert.equal(
      seen()
        .filter((p) => p.id === a)
        .at(-1)?.availability,
      'Available',
    );
  } finally {
    await page.connection.stop();
  }
});

test(`a message whose processing fails ${MAX_DEQUEUE_COUNT} times ends in the poison queue; the others are processed`, async () => {
  const watched = cloud.tenant.users[12]!.id;
  await graphPosts([notification(watched, 'DoNotDisturb', 7)]);
  await graphPosts([notification(cloud.tenant.users[13]!.id, 'Busy', 7)]);
  const [failing] = await host.peek(host.queue);
  let tries = 0;
  // As when the store or SignalR Service cannot be reached while this one message is processed.
  const flaky = async (message: unknown) => {
    if (JSON.stringify(message) === failing) {
      tries++;
      throw new Error('unreachable');
    }
    await trigger(message);
  };
  const { failed, succeeded } = await host.drain(flaky);
  assert.equal(tries, MAX_DEQUEUE_COUNT);
  assert.equal(failed, MAX_DEQUEUE_COUNT);
  assert.equal(succeeded, 1);
  assert.deepEqual(await host.peek(host.queue), []);
  const poisoned = await host.peek(host.poison);
  assert.equal(poisoned.length, 1);
  assert.equal(poisoned[0], failing, 'kept whole for an operator to look at or replay');
  await host.poison.clearMessages();
});

test('messages that are not notification collections are taken off the queue without failing or crashing', async () => {
  const [user, watched] = [cloud.tenant.users[1]!.id, cloud.tenant.users[14]!.id];
  const page = await connectAs(cloud, relay.url, user);
  try {
    await watchAt(cloud, relay.url, user, [watched]);
    for (const junk of [
      'not json',
      '{"kind":"other","payload":{}}',
      'null',
      '[1,2,3]',
      '{"kind":"notifications"}',
      '"x"'.repeat(10_000),
    ])
      await host.queue.sendMessage(Buffer.from(junk).toString('base64'));
    await graphPosts([notification(watched, 'BeRightBack', 3)]);
    const { failed, succeeded } = await host.drain(trigger);
    assert.equal(failed, 0);
    assert.equal(succeeded, 7);
    assert.deepEqual(await host.peek(host.queue), []);
    assert.deepEqual(await host.peek(host.poison), []);
    await until(
      () => page.received.flat().some((p) => p.id === watched && p.availability === 'BeRightBack'),
      'the real collection after the junk',
    );
  } finally {
    await page.connection.stop();
  }
});
