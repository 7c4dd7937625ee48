// SignalR Service answering slowly while changes keep coming: what waits in the relay is bounded by what its users
// watch (one presence per user and id, the newest), not by how many changes arrive, the connections stay within
// their bound, and each user still ends with the newest presence of everyone watched.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, until } from './support.js';

let cloud: Emulators;
let relay: Relay;
let connection: HubConnection | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-fanout-slow', userCount: 40, teamSizes: [5] },
  });
  relay = await startLocalRelay(cloud, { fanout: { maxSockets: 8 } });
});

after(async () => {
  cloud.faults.clear();
  await connection?.stop();
  await relay.stop();
  await cloud.stop();
});

test(
  '3,000 changes while every send takes 100 ms: at most one waiting presence per user and id watched',
  { timeout: 60_000 },
  async (t) => {
    const people = cloud.tenant.users.slice(10, 30).map((u) => u.id);
    const listener = cloud.tenant.users[0]!.id;
    const users = [...Array.from({ length: 100 }, () => randomUUID()), listener];
    const WATCHED = 5;
    users.forEach((user, i) =>
      relay.watchers.set(
        user,
        Array.from({ length: WATCHED }, (_, k) => people[(i + k * 3) % people.length]!),
      ),
    );
    const listening = await connectAs(cloud, relay.url, listener);
    connection = listening.connection;
    cloud.faults.add({ service: 'signalr', path: '/api/', kind: 'latency', latencyMs: 100 });

    const states = ['Busy', 'Away', 'DoNotDisturb', 'Available'];
    const last = new Map<string, string>();
    const sends: Array<Promise<unknown>> = [];
    let backlog = 0;
    let queued = 0;
    let pushes = 0;
    for (let wave = 0; wave < 60; wave++) {
      const batch = Array.from({ length: 50 }, (_, k) => {
        const n = wave * 50 + k;
        const id = people[n % people.length]!;
        const availability = states[(wave + k) % states.length]!;
        last.set(id, availability);
        pushes += [...relay.watchers.watchersOf(id)].length;
        return { id, availability, activity: availability, sequenceNumber: String(1_000_000 + n) };
      });
      sends.push(relay.fanout.publish(batch, relay.watchers));
      backlog = Math.max(backlog, relay.fanout.backlog);
      queued = Math.max(queued, relay.fanout.connections.queued);
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(sends);
    const { messages, superseded } = relay.fanout.counts;
    t.diagnostic(
      `${pushes} presences for users, ${messages} messages; most waiting at once: ${backlog} presences, ${queued} requests; connections: ${cloud.signalr.restSockets.peak}`,
    );
    assert.ok(
      backlog <= users.length * WATCHED,
      `at most one waiting presence per user and id (${backlog} > ${users.length * WATCHED})`,
    );
    assert.ok(queued <= users.length, `at most one request per user waits for a connection (${queued})`);
    assert.ok(cloud.signalr.restSockets.peak <= 8, `at most 8 connections (${cloud.signalr.restSockets.peak})`);
    assert.ok(
      superseded > 0 && messages < pushes / 4,
      `merged while the service was slow: ${messages} messages for ${pushes} presences`,
    );
    assert.equal(relay.fanout.backlog, 0, 'nothing left waiting once everything is sent');
    const latest = (id: string) =>
      listening.received
        .flat()
        .filter((p) => p.id === id)
        .at(-1)?.availability;
    for (const id of relay.watchers.sessionsOf(listener)['']!.ids)
      await until(() => latest(id) === last.get(id), `the newest presence of ${id}`);
  },
);
