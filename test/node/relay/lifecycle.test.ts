// Lifecycle notifications, sent by Graph (through the emulator's control API): after `subscriptionRemoved` the
// relay makes the subscription again, after `reauthorizationRequired` it renews it with a fresh token, so
// notifications flow again; the same after a restart, with what the relay stored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { freePort, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
let relay: Relay | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-lifecycle', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-lifecycle');
  dir = mkdtempSync(join(tmpdir(), 'relay-lifecycle-'));
});
after(async () => {
  await relay?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A relay on a fixed port with a file store; no clientState given, so the store keeps one. */
const startRelay = (name: string, port: number) =>
  startLocalRelay(cloud, {
    port,
    store: new FileStore(join(dir, `${name}.json`)),
    certificate,
    renewalCheckMs: 3_600_000,
  });

async function control(path: string): Promise<void> {
  const res = await fetch(`${cloud.control.url}${path}`, { method: 'POST' });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
}

/** A presence change made now reaches the relay. */
async function flows(relay: Relay, id: string, availability: string): Promise<void> {
  const received = relay.stats.received;
  cloud.tenant.setPresence(id, { availability, activity: availability });
  await until(() => relay.stats.received > received, `the ${availability} change at the relay`);
}

/** Watches `watched` as `user`, optionally restarts, sends the lifecycle event and checks coverage comes back. */
async function scenario(
  name: string,
  userIndex: number,
  restart: boolean,
  event: 'remove' | 'reauthorization-required',
): Promise<void> {
  try {
    await steps(name, userIndex, restart, event);
  } finally {
    // A failed step must not leave its relay running into the next test.
    await relay?.stop();
    relay = undefined;
  }
}

async function steps(
  name: string,
  userIndex: number,
  restart: boolean,
  event: 'remove' | 'reauthorization-required',
): Promise<void> {
  const port = await freePort();
  relay = await startRelay(name, port);
  const [user, watched] = [cloud.tenant.users[userIndex]!.id, cloud.tenant.users[userIndex + 20]!.id];
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const mine = () => relaySubscriptions(cloud).filter((s) => s.ids.has(watched));
  const [before] = mine();
  assert.ok(before);
  if (restart) {
    await relay.stop();
    relay = await startRelay(name, port);
  }
  await flows(relay, watched, 'Busy');
  await control(`/subscriptions/${before.id}/${event}`);
  if (event === 'remove') {
    await until(() => mine().length === 1 && mine()[0]!.id !== before.id, 'the subscription made again');
  } else {
    // Until it is renewed with a fresh token, Graph holds its notifications.
    await until(() => mine()[0]!.authorizedUntil > cloud.graph.clock.now(), 'the subscription reauthorised');
    assert.equal(mine()[0]!.id, before.id, 'renewed, not re-made');
  }
  await flows(relay, watched, 'Away');
  assert.equal(relay.stats.refused, 0, JSON.stringify(relay.refusals));
  assert.equal((await watchAt(cloud, relay.url, user, [])).status, 200);
  await until(() => mine().length === 0, 'the subscription deleted');
}

test('subscriptionRemoved: the relay makes the subscription again', () => scenario('removed', 0, false, 'remove'));
test('reauthorizationRequired: the relay renews the subscription and notifications flow again', () =>
  scenario('reauthorize', 1, false, 'reauthorization-required'));
test('after a restart, subscriptionRemoved: the relay makes the subscription again', () =>
  scenario('removed-restart', 2, true, 'remove'));
test('after a restart, reauthorizationRequired: the relay renews the subscription', () =>
  scenario('reauthorize-restart', 3, true, 'reauthorization-required'));
