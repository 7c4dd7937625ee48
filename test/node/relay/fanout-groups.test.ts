// The fan-out through SignalR Service groups (one group per watched person, its members the users watching): every
// watcher gets each change once and in order, no one else gets it, the group follows who watches, and a failing
// service loses nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import { GroupMembers } from '../../../relay/src/group-members.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, until, watchAt } from './support.js';

let cloud: Emulators;
let relay: Relay;
const connections: HubConnection[] = [];
/** The path of the group of a watched person (its name ends with the relay run's own suffix). */
const groupOf = (id: string) => `/api/v1/hubs/presence/groups/presence.${id}.`;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-fanout-groups', userCount: 160, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  relay = await startLocalRelay(cloud, { fanout: { groups: true }, fanoutRetryDelaysMs: [100, 200, 400] });
});

after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await relay.stop();
  await cloud.stop();
});

const user = (i: number) => cloud.tenant.users[i]!.id;

/** A user connected and watching `ids`; what they have received of each id, in order of arrival. */
async function watching(userIndex: number, ids: string[]) {
  const id = user(userIndex);
  const { connection, received } = await connectAs(cloud, relay.url, id);
  connections.push(connection);
  assert.equal((await watchAt(cloud, relay.url, id, ids)).body.covered, true);
  const of = (watched: string) => received.flat().filter((p) => p.id === watched);
  return { id, of };
}

test('one change watched by three users: each gets it once, in order, and a user watching someone else does not', async () => {
  const person = user(10);
  const watchers = await Promise.all([0, 1, 2].map((i) => watching(i, [person])));
  const other = await watching(3, [user(11)]);
  const states = ['Busy', 'Away', 'DoNotDisturb', 'Available'] as const;
  for (const availability of states) {
    cloud.tenant.setPresence(person, { availability, activity: availability });
    await until(
      () => watchers.every((w) => w.of(person).at(-1)?.availability === availability),
      `${availability} at every watcher`,
    );
  }
  await relay.idle();
  for (const w of watchers) {
    const seen = w.of(person);
    assert.deepEqual(
      seen.map((p) => p.availability),
      [...states],
      'every change once, in the order made',
    );
    const numbers = seen.map((p) => BigInt(p.sequenceNumber!));
    assert.ok(
      numbers.every((n, i) => i === 0 || n > numbers[i - 1]!),
      'sequence numbers only go up',
    );
  }
  assert.deepEqual(other.of(person), [], 'nothing of a person the user does not watch');
});

test('the group follows who watches: a user who stops watching gets no more, one who starts gets the next change', async () => {
  const person = user(12);
  const leaving = await watching(4, [person]);
  const staying = await watching(5, [person]);
  cloud.tenant.setPresence(person, { availability: 'Busy', activity: 'InACall' });
  await until(() => leaving.of(person).length === 1 && staying.of(person).length === 1, 'the first change at both');
  // One stops watching the person, another starts.
  assert.equal((await watchAt(cloud, relay.url, leaving.id, [user(13)])).status, 200);
  const joining = await watching(6, [person]);
  cloud.tenant.setPresence(person, { availability: 'Away', activity: 'Away' });
  await until(
    () => staying.of(person).length === 2 && joining.of(person).length === 1,
    'the second change at the watchers',
  );
  await relay.idle();
  assert.deepEqual(
    leaving.of(person).map((p) => p.availability),
    ['Busy'],
    'nothing after the user stopped watching',
  );
  assert.deepEqual(
    joining.of(person).map((p) => p.availability),
    ['Away'],
  );
});

test('the service failing to add a watcher to the group: the change still reaches them, once', async () => {
  const person = user(14);
  const w = await watching(7, [person]);
  cloud.faults.add({
    service: 'signalr',
    method: 'PUT',
    path: groupOf(person),
    kind: 'status',
    status: 503,
    times: 1,
  });
  cloud.tenant.setPresence(person, { availability: 'Busy', activity: 'Presenting' });
  await until(() => w.of(person).length === 1, 'the change, sent to the user alone');
  assert.deepEqual(cloud.faults.list(), [], 'the refused addition was asked for');
  // Added to the group at the next change, which arrives once too.
  cloud.tenant.setPresence(person, { availability: 'Available', activity: 'Available' });
  await until(() => w.of(person).length === 2, 'the next change, through the group');
  await relay.idle();
  assert.deepEqual(
    w.of(person).map((p) => p.availability),
    ['Busy', 'Available'],
  );
});

test('a send to the group failing with 503: tried again, and every watcher gets the change once', async () => {
  const person = user(15);
  const watchers = await Promise.all([8, 9].map((i) => watching(i, [person])));
  const before = { ...relay.stats };
  cloud.faults.add({
    service: 'signalr',
    method: 'POST',
    path: groupOf(person),
    kind: 'status',
    status: 503,
    times: 2,
  });
  cloud.tenant.setPresence(person, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await until(() => watchers.every((w) => w.of(person).length === 1), 'the change at both watchers');
  await relay.idle();
  assert.equal(relay.stats.retried - before.retried, 2);
  assert.equal(relay.stats.failed, before.failed, 'nothing given up');
  for (const w of watchers)
    assert.deepEqual(
      w.of(person).map((p) => p.availability),
      ['DoNotDisturb'],
    );
});

test('sends to the group given up while the service fails: once it answers, the watchers are told to re-read', async () => {
  const person = user(16);
  const { id } = await watching(10, [person]);
  const connection = connections.at(-1)!;
  const resyncs: string[][] = [];
  connection.on('resync', (ids: string[]) => resyncs.push(ids));
  const fault = cloud.faults.add({
    service: 'signalr',
    method: 'POST',
    path: groupOf(person),
    kind: 'status',
    status: 503,
  });
  cloud.tenant.setPresence(person, { availability: 'Away', activity: 'Away' });
  await until(() => relay.fanout.undelivered.users > 0, 'the send given up', 15_000);
  cloud.faults.clear(fault.id);
  await until(() => resyncs.some((ids) => ids.includes(person)), `${id} told to re-read the person`, 15_000);
});

test('a user watching more than 100 people gets the changes of every one of them', async () => {
  // Without a ttl the service keeps only a user's 100 newest group memberships (see group-members.ts).
  const people = Array.from({ length: 120 }, (_, i) => user(30 + i));
  const w = await watching(11, people);
  for (const person of people) cloud.tenant.setPresence(person, { availability: 'Busy', activity: 'InACall' });
  await until(() => people.every((person) => w.of(person).length === 1), 'the first change of each', 20_000);
  // The first person's group was joined first, before the 100 newest.
  cloud.tenant.setPresence(people[0]!, { availability: 'Away', activity: 'Away' });
  await until(() => w.of(people[0]!).length === 2, 'the next change of the first person watched');
});

test('a group of hundreds of watchers is made with a bounded number of calls at once, and every watcher is in it', async () => {
  let now = 0;
  let most = 0;
  const made: string[] = [];
  const members = new GroupMembers(
    async (method, _group, user) => {
      most = Math.max(most, ++now);
      await new Promise((r) => setImmediate(r));
      now--;
      if (method === 'PUT') made.push(user);
      return { status: 202 };
    },
    { atOnce: 8 },
  );
  const wanted = Array.from({ length: 300 }, (_, i) => `user-${i}`);
  const { members: inGroup, notAdded } = await members.sync('presence.someone', wanted);
  assert.equal(most, 8);
  assert.deepEqual(notAdded, []);
  assert.deepEqual([...inGroup].sort(), [...wanted].sort());
  assert.deepEqual(made.sort(), [...wanted].sort());
});

test('memberships are made with a ttl, and made again before a send once half of it has passed', async () => {
  let clock = 0;
  const calls: Array<[string, string, number | undefined]> = [];
  const members = new GroupMembers(
    async (method, _group, user, ttlSeconds) => {
      calls.push([method, user, ttlSeconds]);
      return { status: 202 };
    },
    { ttlSeconds: 100, now: () => clock },
  );
  await members.sync('presence.someone', ['ana']);
  clock = 49_000;
  await members.sync('presence.someone', ['ana']);
  assert.deepEqual(calls, [['PUT', 'ana', 100]], 'not made again within half its ttl');
  clock = 51_000;
  assert.deepEqual((await members.sync('presence.someone', ['ana'])).members, ['ana']);
  assert.deepEqual(calls, [
    ['PUT', 'ana', 100],
    ['PUT', 'ana', 100],
  ]);
});
