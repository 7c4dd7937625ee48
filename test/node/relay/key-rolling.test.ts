// Rolling the relay's encryption key: a new certificate is configured while the old key stays for decrypting; the
// keeper moves Graph's subscriptions to the new certificate; what Graph still encrypts with the old one (in flight
// or shortly after the move) is read with the old key; then the old key goes. No presence change is lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { settingsFromEnv } from '../../../relay/src/config.js';
import { relayFromSettings } from '../../../relay/src/from-settings.js';
import type { Relay } from '../../../relay/src/relay.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { MemoryStore } from '../../../relay/src/store.js';
import type { SubscriptionKeeper } from '../../../relay/src/subscriptions.js';
import { connectAs, freePort, relayEnv, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
/** How long Graph goes on using a replaced certificate here (real time: Entra's tokens follow the same clock). */
const ROLLOVER_MS = 3_000;
let dir: string;
let port: number;
const connections: HubConnection[] = [];
const running: Relay[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'key-rolling', userCount: 60, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [300], timeoutMs: 1_000, certificateRolloverMs: ROLLOVER_MS },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-key-roll-'));
  const [oldKey, newKey] = await Promise.all([
    makeCertificate('relay-key-2026-05'),
    makeCertificate('relay-key-2026-11'),
  ]);
  writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
  writeFileSync(join(dir, 'old-cert.pem'), oldKey.cert);
  writeFileSync(join(dir, 'old-key.pem'), oldKey.key);
  writeFileSync(join(dir, 'new-cert.pem'), newKey.cert);
  writeFileSync(join(dir, 'new-key.pem'), newKey.key);
});

after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  for (const relay of running) await relay.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What a keeper said, most recent last. */
const logOf = (keeper: SubscriptionKeeper) => (keeper.logger as MemoryLogger).lines;

/** A relay configured as an operator would: the current certificate, and during a roll the previous one's key. */
async function startRelay(
  store: MemoryStore,
  current: 'old' | 'new',
  previous?: 'old',
): Promise<{ relay: Relay; keeper: SubscriptionKeeper }> {
  const env = {
    ...relayEnv(cloud, dir, `http://127.0.0.1:${port}`),
    HOST: '127.0.0.1',
    PORT: String(port),
    RELAY_CERTIFICATE_PATH: join(dir, `${current}-cert.pem`),
    RELAY_PRIVATE_KEY_PATH: join(dir, `${current}-key.pem`),
    ...(previous
      ? {
          RELAY_PREVIOUS_CERTIFICATE_PATH: join(dir, `${previous}-cert.pem`),
          RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, `${previous}-key.pem`),
        }
      : {}),
  };
  const settings = settingsFromEnv(env);
  const started = relayFromSettings(settings, {
    graphBaseUrl: cloud.graph.url,
    store,
    logger: new MemoryLogger(10_000),
  });
  await started.relay.start();
  running.push(started.relay);
  return started;
}

/** The id a certificate gets from its settings (derived from the certificate, as no id is configured). */
function idOf(which: 'old' | 'new'): string {
  return settingsFromEnv({
    ...relayEnv(cloud, dir, 'http://127.0.0.1'),
    RELAY_CERTIFICATE_PATH: join(dir, `${which}-cert.pem`),
    RELAY_PRIVATE_KEY_PATH: join(dir, `${which}-key.pem`),
  }).certificate.id;
}

async function stopRelay(relay: Relay): Promise<void> {
  await relay.stop();
  running.splice(running.indexOf(relay), 1);
}

test(
  'presence changes made before, during and after the roll all arrive; none is refused',
  { timeout: 120_000 },
  async () => {
    const users = cloud.tenant.users;
    const watcher = users[0]!.id;
    const watched = users.slice(10, 15).map((u) => u.id);
    const [oldId, newId] = [idOf('old'), idOf('new')];
    const store = new MemoryStore();
    // Graph's subscriptions point at this port, across the relay's restarts.
    port = await freePort();

    const first = await startRelay(store, 'old');
    const { connection, received } = await connectAs(cloud, first.relay.url, watcher);
    connections.push(connection);
    const watch = await watchAt(cloud, first.relay.url, watcher, watched);
    assert.equal(watch.status, 200);
    assert.equal(watch.body.covered, true);
    const [subscription] = relaySubscriptions(cloud);
    assert.equal(subscription!.encryptionCertificateId, oldId);

    const arrived = (id: string, availability: string) =>
      received.some((list) => list.some((p) => p.id === id && p.availability === availability));
    const change = (id: string, availability: string) =>
      cloud.tenant.setPresence(id, { availability, activity: availability });

    // Before the roll.
    change(watched[0]!, 'Busy');
    await until(() => arrived(watched[0]!, 'Busy'), 'a change before the roll');

    // The relay restarts with the new certificate; a change made while it is down is redelivered by Graph afterwards,
    // still encrypted with the old certificate.
    await stopRelay(first.relay);
    change(watched[1]!, 'Away');
    await until(
      () => cloud.graph.subscriptions.deliveries.some((d) => d.kind === 'notification' && d.status === 'error'),
      'Graph to fail to deliver while the relay is down',
    );
    const second = await startRelay(store, 'new', 'old');
    await until(() => arrived(watched[1]!, 'Away'), 'the change made while the relay was down');

    // The keeper moves the subscription to the new certificate at once.
    await until(
      () => relaySubscriptions(cloud)[0]?.encryptionCertificateId === newId,
      'the subscription to move to the new certificate',
    );
    assert.equal(relaySubscriptions(cloud)[0]!.id, subscription!.id, 'moved, not re-made');
    await until(() => second.keeper.certificatesInUse()[newId] === 1, 'the keeper to record the move');
    const movedAt = Date.now();

    // Right after the move, Graph may still encrypt with the old certificate.
    change(watched[2]!, 'DoNotDisturb');
    await until(() => arrived(watched[2]!, 'DoNotDisturb'), 'a change right after the move');

    // Later, only with the new one.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, movedAt + ROLLOVER_MS + 200 - Date.now())));
    change(watched[3]!, 'BeRightBack');
    await until(() => arrived(watched[3]!, 'BeRightBack'), 'a change once Graph uses the new certificate');
    await second.relay.idle();
    assert.equal(second.relay.stats.refused, 0, JSON.stringify(second.relay.refusals));
    assert.ok(
      (second.relay.certificatesSeen.get(oldId)?.notifications ?? 0) >= 2,
      'the old key read what was still encrypted with it',
    );
    assert.ok(
      (second.relay.certificatesSeen.get(newId)?.notifications ?? 0) >= 1,
      'the new key reads what comes after',
    );

    // The old key goes.
    await stopRelay(second.relay);
    const third = await startRelay(store, 'new');
    change(watched[4]!, 'Offline');
    await until(() => arrived(watched[4]!, 'Offline'), 'a change after the old key is gone');
    await third.relay.idle();
    assert.equal(third.relay.stats.refused, 0, JSON.stringify(third.relay.refusals));
    assert.deepEqual(third.keeper.certificatesInUse(), { [newId]: 1 });
    // Nobody watches any more: the subscription goes.
    assert.equal((await watchAt(cloud, third.relay.url, watcher, [])).status, 200);
    await until(() => relaySubscriptions(cloud).length === 0, 'the subscription to be deleted');
    await stopRelay(third.relay);
  },
);

test(
  'when Graph refuses the new certificate, the subscription is still renewed, stays on the old one, and moves later',
  { timeout: 60_000 },
  async () => {
    const users = cloud.tenant.users;
    const watcher = users[1]!.id;
    const [oldId, newId] = [idOf('old'), idOf('new')];
    const store = new MemoryStore();
    port = await freePort();
    const first = await startRelay(store, 'old');
    assert.equal((await watchAt(cloud, first.relay.url, watcher, [users[20]!.id])).status, 200);
    await stopRelay(first.relay);

    const refusal = cloud.faults.add({
      service: 'graph',
      method: 'PATCH',
      path: '/v1.0/subscriptions/',
      kind: 'status',
      status: 400,
      times: 1,
    });
    const second = await startRelay(store, 'new', 'old');
    await until(
      () => logOf(second.keeper).some((line) => line.startsWith('Graph refused certificate')),
      'Graph to refuse the new certificate',
    );
    await until(() => logOf(second.keeper).some((line) => line.startsWith('renewed')), 'the renewal without it');
    assert.equal(refusal.hits, 1);
    assert.equal(second.keeper.certificatesInUse()[oldId], 1, 'still on the old certificate: its key must stay');
    const mine = () => relaySubscriptions(cloud).find((s) => s.creatorId === watcher);
    assert.equal(mine()?.encryptionCertificateId, oldId);

    // The next maintenance tries again, and Graph takes it.
    await second.keeper.tick();
    assert.equal(mine()?.encryptionCertificateId, newId);
    assert.equal(second.keeper.certificatesInUse()[oldId], undefined);
    await stopRelay(second.relay);
  },
);
