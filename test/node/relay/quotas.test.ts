// How much one user, and the whole tenant, can have the relay watch: a user's sessions together watch at most so
// many distinct ids, the tenant at most so many; what is over is answered as uncovered (the page polls it) and never
// stored. A user flooding the relay with made-up ids leaves room for everybody else.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay, type RelayOptions } from '../../../relay/src/relay.js';
import { localRelayOptions, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
const relays: Relay[] = [];

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'quotas', userCount: 120, teamSizes: [5] } });
  certificate = await makeCertificate('quotas');
});
after(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await cloud.stop();
});

async function startRelay(extra: Partial<RelayOptions> = {}): Promise<Relay> {
  const relay = new Relay({ ...localRelayOptions(cloud, certificate, 'quotas-secret'), ...extra });
  relays.push(relay);
  await relay.start();
  return relay;
}

const made = (n: number) => Array.from({ length: n }, () => randomUUID());

test("a user's sessions together watch at most the per-user number of ids; the rest is uncovered", async () => {
  const relay = await startRelay({ quotas: { idsPerUser: 40, idsPerTenant: 1000 } });
  const user = cloud.tenant.users[0]!.id;
  const [first, second] = [made(30), made(30)];
  const one = await watchAt(cloud, relay.url, user, first, 'tab-1');
  assert.equal(one.body.watching, 30);
  const two = await watchAt(cloud, relay.url, user, second, 'tab-2');
  assert.equal(two.status, 200);
  assert.equal(two.body.watching, 10);
  assert.deepEqual(two.body.uncovered, second.slice(10));
  assert.equal(relay.watchers.ids().length, 40);
  // Ids the user already watches in another session cost nothing more.
  const three = await watchAt(cloud, relay.url, user, first.slice(0, 20), 'tab-3');
  assert.equal(three.body.watching, 20);
  assert.equal(three.body.uncovered, undefined);
});

test('the tenant watches at most the per-tenant number of ids; ids someone already watches cost nothing', async () => {
  const relay = await startRelay({ quotas: { idsPerUser: 40, idsPerTenant: 100 } });
  const [a, b, c] = [cloud.tenant.users[1]!.id, cloud.tenant.users[2]!.id, cloud.tenant.users[3]!.id];
  const [forA, forB] = [made(40), made(40)];
  assert.equal((await watchAt(cloud, relay.url, a, forA)).body.watching, 40);
  assert.equal((await watchAt(cloud, relay.url, b, forB)).body.watching, 40);
  const forC = made(40);
  const third = await watchAt(cloud, relay.url, c, [...forA.slice(0, 10), ...forC]);
  assert.equal(third.body.watching, 30, '10 already watched, 20 new fit');
  assert.deepEqual(third.body.uncovered, forC.slice(20));
  assert.equal(relay.watchers.ids().length, 100);
  // When A lets go, C's next watch fits.
  assert.equal((await watchAt(cloud, relay.url, a, [])).body.watching, 0);
  assert.equal((await watchAt(cloud, relay.url, c, forC)).body.watching, 40);
});

test("by default, one user watching 20 sessions of 10,000 made-up ids leaves a newcomer's 100 people watched", async () => {
  const relay = await startRelay();
  const flooder = cloud.tenant.users[4]!.id;
  for (let session = 0; session < 20; session++)
    assert.equal((await watchAt(cloud, relay.url, flooder, made(10_000), `s${session}`)).status, 200);
  const newcomer = cloud.tenant.users[5]!.id;
  const people = cloud.tenant.users.slice(10, 110).map((u) => u.id);
  const reply = await watchAt(cloud, relay.url, newcomer, people);
  assert.equal(reply.body.watching, 100);
  assert.equal(reply.body.uncovered, undefined);
  // What the relay keeps (and stores) for the flooder stays small.
  const kept = JSON.stringify(relay.watchers.sessionsOf(flooder));
  assert.ok(kept.length < 1024 * 1024, `${kept.length} characters kept for one user`);
});
