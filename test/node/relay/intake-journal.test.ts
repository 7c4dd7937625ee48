// A notification acknowledged (202) and not yet processed when the relay is killed: Graph never delivers it again,
// so the relay keeps it on disk before acknowledging it, and the relay started after processes it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { startRelayProcess, writeRelayFiles, type RelayProcess } from './relay-process.js';
import { connectAs, freePort, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let dir: string;
let relay: RelayProcess | undefined;
let connection: HubConnection | undefined;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-intake-journal', userCount: 20, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-journal-'));
  const certificate = await makeCertificate('relay-journal');
  writeRelayFiles(cloud, dir, certificate);
});

after(async () => {
  await relay?.kill();
  await connection?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'a notification acknowledged and then lost with the relay is processed by the next relay',
  { timeout: 90_000 },
  async (t) => {
    const port = await freePort();
    relay = await startRelayProcess(cloud, dir, port);
    const url = relay.url;
    const user = cloud.tenant.users[0]!.id;
    const watched = cloud.tenant.users[7]!.id;
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    const { connection: c, received } = await connectAs(cloud, url, user);
    connection = c;
    assert.equal((await watchAt(cloud, url, user, [watched])).body.covered, true);
    const sub = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!.id;

    // Processing hangs where it hands the update to SignalR Service; Graph has its 202 by then.
    const hang = cloud.faults.add({
      service: 'signalr',
      path: '/api/v1/hubs/presence/users/',
      kind: 'latency',
      latencyMs: 20_000,
    });
    const from = cloud.graph.subscriptions.deliveries.length;
    cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InAMeeting' });
    const acknowledged = () =>
      cloud.graph.subscriptions.deliveries
        .slice(from)
        .find((d) => d.subscriptionId === sub && d.kind === 'notification' && d.status === 202);
    await until(() => !!acknowledged(), 'Graph getting its 202');
    await until(() => hang.hits > 0, 'processing reaching SignalR Service');
    await relay.kill();
    cloud.faults.clear(hang.id);
    assert.ok(
      !received.flat().some((p) => p.id === watched && p.availability === 'Busy'),
      'nothing pushed before the relay died',
    );

    relay = await startRelayProcess(cloud, dir, port);
    await until(
      () => received.flat().some((p) => p.id === watched && p.availability === 'Busy'),
      'the update, from the relay started after',
      15_000,
    );
    const redelivered = cloud.graph.subscriptions.deliveries
      .slice(from)
      .filter((d) => d.subscriptionId === sub && d.kind === 'notification').length;
    t.diagnostic(
      `acknowledged in ${acknowledged()!.ms} ms (journal written and synced first); deliveries by Graph: ${redelivered}`,
    );
    assert.equal(redelivered, 1, 'Graph delivered it once: the relay alone kept it');
    assert.ok(existsSync(join(dir, 'intake-journal.log')), 'the journal lives beside the state file');
  },
);
