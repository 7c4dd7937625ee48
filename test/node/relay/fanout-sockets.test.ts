// A burst of changes for many watchers: the relay keeps a bounded number of connections to SignalR Service, and what
// waits for a connection is merged per user, so each user still ends with the newest presence of everyone watched.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs } from './support.js';

let cloud: Emulators;
let relay: Relay;
let connection: HubConnection | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-fanout-sockets', userCount: 40, teamSizes: [5] },
  });
  relay = await startLocalRelay(cloud, { fanout: { maxSockets: 16 } });
});

after(async () => {
  await connection?.stop();
  await relay.stop();
  await cloud.stop();
});

test(
  '500 users, 2,000 changes at once: at most 16 connections to SignalR Service, and the newest presence arrives',
  { timeout: 60_000 },
  async (t) => {
    const people = cloud.tenant.users.slice(10, 30).map((u) => u.id);
    const users: string[] = Array.from({ length: 499 }, () => randomUUID());
    const listener = cloud.tenant.users[0]!.id;
    users.push(listener);
    users.forEach((user, i) =>
      relay.watchers.set(user, [
        people[i % people.length]!,
        people[(i + 1) % people.length]!,
        people[(i + 7) % people.length]!,
      ]),
    );
    const listening = await connectAs(cloud, relay.url, listener);
    connection = listening.connection;

    const states = ['Busy', 'Away', 'DoNotDisturb', 'Available'];
    const last = new Map<string, string>();
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 2_000; i++) {
      const id = people[i % people.length]!;
      const availability = states[Math.floor(i / people.length) % states.length]!;
      last.set(id, availability);
      sends.push(
        relay.fanout.publish(
          [{ id, availability, activity: availability, sequenceNumber: String(1_000_000 + i) }],
          relay.watchers,
        ),
      );
    }
    await Promise.all(sends);
    const messages = relay.fanout.counts.messages;
    t.diagnostic(
      `peak connections to SignalR Service: ${cloud.signalr.restSockets.peak}; messages: ${messages} for ${sends.length} changes to ${users.length} users; merged away: ${relay.fanout.counts.superseded}`,
    );
    assert.ok(cloud.signalr.restSockets.peak <= 16, `at most 16 connections (${cloud.signalr.restSockets.peak})`);
    // The listener's page ends showing the newest presence of each person it watches.
    const latest = (id: string) =>
      listening.received
        .flat()
        .filter((p) => p.id === id)
        .at(-1)?.availability;
    for (const id of relay.watchers.sessionsOf(listener)['']!.ids)
      await waitFor(() => latest(id) === last.get(id), `the newest presence of ${id}`);
  },
);

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 5_000; !check();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
