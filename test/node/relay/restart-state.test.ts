// What a restarted relay must still know: the clientState its subscriptions were made with (kept in the store when
// none is configured) and the last sequenceNumber sent per id (so Graph's replays are still dropped).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { settingsFromEnv } from '../../../relay/src/config.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { relayFromSettings } from '../../../relay/src/from-settings.js';
import { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { freePort, localRelayOptions, relayEnv, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
const running: Relay[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-restart-state', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-restart-state');
  dir = mkdtempSync(join(tmpdir(), 'relay-restart-state-'));
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
});
after(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a restarted relay with default settings still accepts notifications for its stored subscriptions', async () => {
  const port = await freePort();
  // No RELAY_CLIENT_STATE: the default.
  const env = {
    ...relayEnv(cloud, dir, `http://127.0.0.1:${port}`),
    HOST: '127.0.0.1',
    PORT: String(port),
    RELAY_STORE_PATH: join(dir, 'default-settings', 'state.json'),
    RELAY_DECRYPT_WORKERS: '0',
  };
  const start = async () => {
    const { relay } = relayFromSettings(settingsFromEnv(env), {
      graphBaseUrl: cloud.graph.url,
      logger: new MemoryLogger(),
    });
    await relay.start();
    running.push(relay);
    return relay;
  };
  const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[20]!.id];
  let relay = await start();
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const [sub] = relaySubscriptions(cloud);
  assert.ok(sub?.clientState && sub.clientState.length >= 32, 'a random clientState, made by the relay');
  await relay.stop();
  relay = await start();
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await until(() => relay.stats.received + relay.stats.refused > 0, 'the notification at the restarted relay');
  assert.deepEqual(relay.refusals, [], 'nothing refused');
  assert.equal(relay.stats.received, 1);
  assert.deepEqual(
    relaySubscriptions(cloud).map((s) => s.id),
    [sub.id],
    'the stored subscription kept',
  );
  assert.equal((await watchAt(cloud, relay.url, user, [])).status, 200);
  await relay.stop();
});

test('the clientState is made once and kept: another instance on the same store agrees, and writing state keeps it', async () => {
  const path = join(dir, 'shared', 'state.json');
  const first = new FileStore(path);
  const made = await first.clientState('made-by-the-first');
  assert.equal(made, 'made-by-the-first');
  await first.writeOwner('u', 'r');
  const second = new FileStore(path);
  await second.writeOwner('u', undefined);
  assert.equal(await second.clientState('made-by-the-second'), 'made-by-the-first');
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).clientState, 'made-by-the-first');
  assert.deepEqual(
    await new FileStore(path).load(),
    { owners: {}, subscriptions: [] },
    'the state holds no clientState of its own',
  );
});

test('a notification replayed after a restart is dropped; sequence numbers are stored in batches', async () => {
  const watched = cloud.tenant.users[21]!.id;
  const x509 = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
  const notification = (sequenceNumber: string, availability = 'Busy') => ({
    value: [
      {
        subscriptionId: 'replayed',
        changeType: 'updated',
        clientState: 'replay-secret',
        resourceData: { id: watched },
        encryptedContent: encryptResource(
          { id: watched, availability, activity: availability, sequenceNumber },
          x509,
          'cert',
        ),
      },
    ],
    validationTokens: [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)],
  });
  const path = join(dir, 'sequences', 'state.json');
  let saves = 0;
  class CountingStore extends FileStore {
    override async saveSequences(latest: Record<string, string>): Promise<void> {
      saves++;
      await super.saveSequences(latest);
    }
  }
  const start = async () => {
    // A long interval: only stop() stores what came in.
    const relay = new Relay({
      ...localRelayOptions(cloud, certificate, 'replay-secret'),
      store: new CountingStore(path),
      sequenceSaveMs: 60_000,
      decryptWorkers: 0,
    });
    await relay.start();
    running.push(relay);
    return relay;
  };
  const post = async (relay: Relay, payload: unknown) => {
    const res = await fetch(`${relay.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    assert.equal(res.status, 202);
    await relay.idle();
  };
  let relay = await start();
  for (let n = 1; n <= 5; n++) await post(relay, notification(`000000000000000000000${n}`));
  assert.equal(relay.stats.received, 5);
  assert.equal(saves, 0, 'nothing stored per notification');
  await relay.stop();
  assert.equal(saves, 1, 'five sequence numbers stored in one write');
  relay = await start();
  await post(relay, notification('0000000000000000000005'));
  await post(relay, notification('0000000000000000000003', 'Away'));
  assert.equal(relay.stats.stale, 2, 'the replay and an older one dropped');
  assert.equal(relay.stats.received, 0);
  await post(relay, notification('0000000000000000000006', 'Away'));
  assert.equal(relay.stats.received, 1, 'a newer one goes through');
  await relay.stop();
});
