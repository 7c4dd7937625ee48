// How the relay decides a subscription's silence is worth asking Graph about (each subscription's own pace of
// deliveries), how paced sends batch and retry, and what a delivery from a subscription the relay does not keep
// makes it do: check Graph at once, not at the next full check an hour later.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import { DeliveryWatch } from '../../../relay/src/delivery-watch.js';
import { PacedSends } from '../../../relay/src/paced-sends.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { relaySubscriptions, until, watchAt } from './support.js';

test('a subscription is checked once silent for ten of its usual gaps (at least 10 s), then less and less often', () => {
  let now = 0;
  const watch = new DeliveryWatch({ now: () => now, ceilingMs: 60_000 });
  const due = () => watch.overdue(['s']);
  for (let i = 0; i < 3; i++, now += 500) watch.heard('q');
  now += 120_000;
  assert.deepEqual(watch.overdue(['q']), [], 'three deliveries tell no pace yet: left to the full check');
  for (let i = 0; i < 6; i++, now += 500) watch.heard('s');
  const last = now - 500;
  now = last + 9_999;
  assert.deepEqual(due(), [], 'ten gaps of 0.5 s is under the 10 s floor');
  now = last + 10_000;
  assert.deepEqual(due(), ['s']);
  assert.deepEqual(due(), [], 'asked once, until answered');
  watch.checked('s');
  now += 19_999;
  assert.deepEqual(due(), []);
  now += 1;
  assert.deepEqual(due(), ['s'], 'next after twice as long');
  watch.checked('s');
  now += 40_000;
  assert.deepEqual(due(), ['s']);
  watch.checked('s');
  now += 600_000;
  assert.deepEqual(due(), [], "a silence as long as the full check's period is left to it");
  watch.heard('s');
  now += 10_000;
  assert.deepEqual(due(), [], 'its pace counts the long silence: one delivery does not make it busy again');
  for (let i = 0; i < 30; i++, now += 500) watch.heard('s');
  now += 10_000 - 500;
  assert.deepEqual(due(), ['s'], 'steady deliveries bring back its pace');
  watch.forget('s');
  now += 60_000;
  assert.deepEqual(due(), []);
});

test('a slow subscription may be silent for ten of its gaps', () => {
  let now = 0;
  const watch = new DeliveryWatch({ now: () => now, ceilingMs: 600_000 });
  for (let i = 0; i < 5; i++, now += 4_000) watch.heard('s');
  now += 39_000 - 4_000;
  assert.deepEqual(watch.overdue(['s']), []);
  now += 1_000;
  assert.deepEqual(watch.overdue(['s']), ['s']);
});

test('paced sends: a batch at a time, ids for one user merged while waiting, failures retried', async () => {
  const posts: Array<{ user: string; argument: unknown }> = [];
  let failing = 1;
  const sends = new PacedSends(
    async (user, _target, argument) => {
      posts.push({ user, argument: structuredClone(argument) });
      if (user === 'flaky' && failing-- > 0) return { status: 503 };
      return { status: user === 'refused' ? 400 : 202 };
    },
    { usersPerBatch: 2, intervalMs: 1 },
    [1],
  );
  const results = await Promise.all([
    sends.sendIds('a', 'resync', ['1']),
    sends.sendIds('b', 'resync', ['2']),
    sends.sendIds('c', 'resync', ['3']),
    sends.sendIds('c', 'resync', ['4', '3']),
    sends.send('flaky', 'coverage', { covered: ['5'] }),
    sends.send('refused', 'coverage', { covered: ['6'] }),
  ]);
  assert.deepEqual(results, [true, true, true, true, true, false]);
  assert.deepEqual(
    posts.filter((p) => p.user === 'c').map((p) => p.argument),
    [['3', '4']],
    'one message for c',
  );
  assert.equal(posts.filter((p) => p.user === 'flaky').length, 2, 'retried after a 503');
  assert.equal(posts.filter((p) => p.user === 'refused').length, 1, 'a 400 is not retried');
  assert.deepEqual(sends.counts, { sent: 4, failed: 1, batches: 3 });
});

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
let relay: Relay | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-silent-subscriptions', userCount: 20, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  certificate = await makeCertificate('relay-silent-subscriptions');
  dir = mkdtempSync(join(tmpdir(), 'relay-silent-'));
});

after(async () => {
  await relay?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a delivery from a subscription the relay does not keep has Graph checked at once', async () => {
  relay = await startLocalRelay(cloud, {
    store: new FileStore(join(dir, 'state.json')),
    certificate,
    clientState: 'silent-subscriptions',
    renewalCheckMs: 3_600_000,
  });
  const [owner, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[10]!.id];
  assert.equal((await watchAt(cloud, relay.url, owner, [watched])).body.covered, true);
  const [kept] = relaySubscriptions(cloud);
  assert.ok(kept);
  // At Graph, the one the relay keeps is gone and another of the same owner's serves the same person (made by a
  // relay run whose record this one never saw), delivering to this relay.
  cloud.graph.subscriptions.all().find((s) => s.id === kept.id)!.expirationDateTime = cloud.graph.clock.now();
  const token = cloud.entra.issueToken({
    userId: owner,
    clientId: DEMO_RELAY_CLIENT_ID,
    audience: 'https://graph.microsoft.com',
    scopes: ['Presence.Read.All'],
  });
  const made = await fetch(`${cloud.graph.url}/v1.0/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: 'updated',
      resource: `/communications/presences?$filter=id in ('${watched}')`,
      notificationUrl: `${relay.url}/api/notifications`,
      lifecycleNotificationUrl: `${relay.url}/api/lifecycle`,
      expirationDateTime: new Date(cloud.graph.clock.now() + 30 * 60_000).toISOString(),
      clientState: 'silent-subscriptions',
      includeResourceData: true,
      encryptionCertificate: certificate.certBase64,
      encryptionCertificateId: 'local-relay',
    }),
  });
  assert.equal(made.status, 201);
  const other = ((await made.json()) as { id: string }).id;

  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  const live = () => relaySubscriptions(cloud).filter((s) => s.expirationDateTime > cloud.graph.clock.now());
  await until(
    () => (live().find((s) => s.id === other)?.expirationDateTime ?? 0) > cloud.graph.clock.now() + 45 * 60_000,
    'the relay taking in and renewing the subscription that delivers',
  );
  assert.deepEqual(
    live().map((s) => s.id),
    [other],
    'nothing made in its place',
  );
  assert.equal((await watchAt(cloud, relay.url, owner, [watched])).body.covered, true);
});
