// A lifecycle notification is acted on only when it carries the relay's clientState and names a subscription the
// relay keeps: a forged `subscriptionRemoved` or `reauthorizationRequired` (through the webhook, the Functions
// webhook or Event Hubs) leaves every subscription as it was, and a genuine one still makes the relay act.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { createHandlers } from '../../../relay/functions/src/handlers.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { relaySubscriptions, until, watchAt } from './support.js';

const { HttpRequest } = functions;
const CLIENT_STATE = 'the-relay-lifecycle-secret';
let cloud: Emulators;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'forged-lifecycle', userCount: 10, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  relay = await startLocalRelay(cloud, {
    certificate: await makeCertificate('forged-lifecycle'),
    clientState: CLIENT_STATE,
    renewalCheckMs: 3_600_000,
  });
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

const event = (subscriptionId: string, lifecycleEvent: string, clientState: string | undefined) => ({
  value: [
    {
      subscriptionId,
      subscriptionExpirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      tenantId: cloud.tenant.id,
      lifecycleEvent,
      ...(clientState !== undefined ? { clientState } : {}),
    },
  ],
});

test('forged lifecycle notifications change no subscription, on any path; a genuine one is acted on', async () => {
  const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[6]!.id];
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const [kept] = relaySubscriptions(cloud);
  assert.ok(kept);
  // What Graph holds: which subscriptions, until when, authorised until when (a renewal would move these).
  const state = () =>
    JSON.stringify(relaySubscriptions(cloud).map((s) => [s.id, s.expirationDateTime, s.authorizedUntil]));
  const before = state();
  const handlers = createHandlers(relay);
  const forgeries = [
    event(kept.id, 'subscriptionRemoved', 'a-guess'),
    event(kept.id, 'reauthorizationRequired', 'a-guess'),
    event(kept.id, 'subscriptionRemoved', undefined),
    event('8f3ec3a6-0000-4000-8000-000000000000', 'subscriptionRemoved', CLIENT_STATE),
  ];
  for (const forged of forgeries) {
    const res = await fetch(`${relay.url}/api/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    assert.equal(res.status, 202);
    await handlers.lifecycle(
      new HttpRequest({ method: 'POST', url: 'http://func/api/lifecycle', body: { string: JSON.stringify(forged) } }),
    );
    await handlers.eventHub([JSON.stringify(forged)]);
  }
  await relay.idle();
  assert.equal(state(), before, 'nothing deleted, made or renewed in Graph');
  assert.ok(relay.stats.refused >= 9, 'the forgeries were counted as refused');
  // Graph's own removal, with the relay's clientState, is acted on: the subscription is made again.
  assert.equal((await fetch(`${cloud.control.url}/subscriptions/${kept.id}/remove`, { method: 'POST' })).status, 200);
  await until(
    () => relaySubscriptions(cloud).some((s) => s.id !== kept.id && s.ids.has(watched)),
    'the subscription made again',
  );
});

test('malformed items in a lifecycle collection are refused one by one; a genuine one among them is acted on', async () => {
  const [user, watched] = [cloud.tenant.users[1]!.id, cloud.tenant.users[7]!.id];
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const kept = relaySubscriptions(cloud).find((s) => s.ids.has(watched));
  assert.ok(kept);
  const calls = () => cloud.graph.log.filter((e) => e.path.includes(kept.id) && e.method !== 'GET').length;
  const before = calls();
  const genuine = event(kept.id, 'reauthorizationRequired', CLIENT_STATE).value[0]!;
  const res = await fetch(`${relay.url}/api/lifecycle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ value: [null, 5, 'reauthorizationRequired', [], { clientState: null }, genuine] }),
  });
  assert.equal(res.status, 202);
  await relay.idle();
  assert.ok(calls() > before, 'the genuine reauthorizationRequired renewed the subscription');
});
