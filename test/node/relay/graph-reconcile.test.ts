// The relay trusts Graph, not its own record: a subscription Graph ended without a word reaching the relay is made
// again at the next maintenance tick, and a subscription Graph holds that the relay did not store (it stopped
// between making it and saving it) is adopted when it serves watched people, or deleted so the owner's one slot can
// be used.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { FileStore } from '../../../relay/src/store.js';
import { freePort, relaySubscriptions, relayToken, until, watchAt } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let dir: string;
let relay: Relay | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-graph-reconcile', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10, retryDelaysMs: [200], timeoutMs: 1000 },
  });
  certificate = await makeCertificate('relay-graph-reconcile');
  dir = mkdtempSync(join(tmpdir(), 'relay-graph-reconcile-'));
});
after(async () => {
  await relay?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A relay whose maintenance tick comes every 200 ms, with a file store on a fixed port. */
async function start(name: string, port: number): Promise<Relay> {
  relay = await startLocalRelay(cloud, {
    port,
    store: new FileStore(join(dir, `${name}.json`)),
    certificate,
    renewalCheckMs: 200,
  });
  return relay;
}

/**
 * A watch on a connection of its own: the restarted relay listens on the port of the one before, whose kept-alive
 * connections the test's fetch could otherwise pick up as they close.
 */
function watchOnce(relay: Relay, userId: string, ids: string[]): Promise<{ status: number; body: any }> {
  const text = JSON.stringify({ ids });
  return new Promise((resolve, reject) => {
    const req = request(
      `${relay.url}/api/watch`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${relayToken(cloud, userId)}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** A presence change made now reaches the relay. */
async function flows(relay: Relay, id: string, availability: string): Promise<void> {
  const received = relay.stats.received;
  cloud.tenant.setPresence(id, { availability, activity: availability });
  await until(() => relay.stats.received > received, `the ${availability} change at the relay`);
}

test('a subscription Graph ended silently is made again at the next tick', async (t) => {
  const relay = await start('silent', await freePort());
  try {
    const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users.slice(20, 25).map((u) => u.id)];
    assert.equal((await watchAt(cloud, relay.url, user, watched)).body.covered, true);
    const mine = () => relaySubscriptions(cloud).filter((s) => s.ids.has(watched[0]!));
    const [first] = mine();
    assert.ok(first);
    // Graph lets it lapse (a renewal it never applied, a clock ahead of the relay's), with no lifecycle notification.
    const lapsedAt = Date.now();
    first.expirationDateTime = cloud.graph.clock.now() - 1;
    await until(() => mine().length === 1 && mine()[0]!.id !== first.id, 'a new subscription at Graph');
    t.diagnostic(`covered again ${Date.now() - lapsedAt} ms after Graph ended it (maintenance tick: 200 ms)`);
    assert.deepEqual([...mine()[0]!.ids].sort(), [...watched].sort());
    await flows(relay, watched[1]!, 'Busy');
    assert.equal((await watchAt(cloud, relay.url, user, watched)).body.covered, true);
    assert.equal(relay.stats.refused, 0);
  } finally {
    await relay.stop();
  }
});

test('a subscription Graph holds that the stopped relay never stored is adopted, not left blocking the owner', async () => {
  const port = await freePort();
  let relay = await start('adopt', port);
  const [user, watched] = [cloud.tenant.users[1]!.id, cloud.tenant.users.slice(26, 30).map((u) => u.id)];
  assert.equal((await watchAt(cloud, relay.url, user, watched)).body.covered, true);
  const [made] = relaySubscriptions(cloud).filter((s) => s.ids.has(watched[0]!));
  assert.ok(made);
  await relay.stop();
  // The relay stopped after Graph made the subscription and before the state was saved.
  const path = join(dir, 'adopt.json');
  const stored = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...stored, subscriptions: [] }));

  relay = await start('adopt', port);
  try {
    const answer = await watchOnce(relay, user, watched);
    assert.equal(answer.body.covered, true, JSON.stringify(answer.body));
    assert.deepEqual(
      relaySubscriptions(cloud)
        .filter((s) => s.creatorId === user)
        .map((s) => s.id),
      [made.id],
      'the one at Graph taken in',
    );
    await flows(relay, watched[2]!, 'Away');
    assert.equal(relay.stats.refused, 0);
  } finally {
    await relay.stop();
  }
});

test('a subscription Graph holds for people nobody watches any more is deleted, freeing the owner for others', async () => {
  const port = await freePort();
  let relay = await start('orphan', port);
  const [user, before, now] = [cloud.tenant.users[2]!.id, cloud.tenant.users[31]!.id, cloud.tenant.users[32]!.id];
  assert.equal((await watchAt(cloud, relay.url, user, [before])).body.covered, true);
  const [made] = relaySubscriptions(cloud).filter((s) => s.creatorId === user);
  assert.ok(made);
  await relay.stop();
  // Neither the subscription nor the watch list was saved.
  const path = join(dir, 'orphan.json');
  const stored = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...stored, subscriptions: [], sessions: {} }));

  relay = await start('orphan', port);
  try {
    const answer = await watchOnce(relay, user, [now]);
    assert.equal(answer.body.covered, true, JSON.stringify(answer.body));
    const held = relaySubscriptions(cloud).filter((s) => s.creatorId === user);
    assert.equal(held.length, 1);
    assert.notEqual(held[0]!.id, made.id, 'the old one deleted');
    assert.deepEqual([...held[0]!.ids], [now]);
    await flows(relay, now, 'DoNotDisturb');
  } finally {
    await relay.stop();
  }
});
