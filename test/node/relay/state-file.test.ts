// The relay's state file after a crash or a bad disk: a torn file is read from the copy kept before its last write,
// so a restarted relay still accepts the notifications of its live subscriptions; with no readable copy, the relay
// refuses to start (saying why) instead of starting blank with a new clientState that would refuse them all.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const running: Relay[] = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-state-file', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-state-file');
  dir = mkdtempSync(join(tmpdir(), 'relay-state-file-'));
});
after(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A relay on a fixed port with a file store and no clientState given: the store keeps it. */
async function start(path: string, port: number, store = new FileStore(path)): Promise<Relay> {
  const relay = await startLocalRelay(cloud, { port, store, certificate, renewalCheckMs: 3_600_000 });
  running.push(relay);
  return relay;
}

/** Cuts a file in half, as a crash in the middle of writing it in place would. */
function tear(path: string): void {
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
}

test("a torn state file: the restarted relay recovers the last good copy and accepts its subscriptions' notifications", async () => {
  const path = join(dir, 'torn', 'state.json');
  const port = await freePort();
  const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[20]!.id];
  let relay = await start(path, port);
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  const [sub] = relaySubscriptions(cloud).filter((s) => s.ids.has(watched));
  assert.ok(sub);
  await relay.stop();
  tear(path);

  const store = new FileStore(path);
  relay = await start(path, port, store);
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await until(() => relay.stats.received + relay.stats.refused > 0, 'the notification at the restarted relay');
  assert.deepEqual(relay.refusals, [], 'nothing refused');
  assert.equal(relay.stats.received, 1);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).clientState, sub.clientState, 'the clientState kept');
  assert.match(store.notes.join('\n'), /cannot be read .*previous copy was used/, 'the recovery said');
  assert.equal((await watchAt(cloud, relay.url, user, [])).status, 200);
  await relay.stop();
});

test('a torn state file without a readable copy: the relay does not start, and says why', async () => {
  const path = join(dir, 'lost', 'state.json');
  const port = await freePort();
  const [user, watched] = [cloud.tenant.users[1]!.id, cloud.tenant.users[21]!.id];
  const relay = await start(path, port);
  assert.equal((await watchAt(cloud, relay.url, user, [watched])).body.covered, true);
  await relay.stop();
  tear(path);
  tear(`${path}.previous`);
  const torn = readFileSync(path, 'utf8');

  await assert.rejects(start(path, port), (error: Error) => {
    assert.match(error.message, /state file .* cannot be read/);
    assert.match(error.message, /clientState/);
    return true;
  });
  assert.equal(readFileSync(path, 'utf8'), torn, 'no new clientState written over it');
});
