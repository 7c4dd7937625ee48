// A notification acknowledged (202) and not yet processed when the relay is killed: Graph never delivers it again,
// so the relay keeps it on disk before acknowledging it, and the relay started after processes it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { root } from '../support.js';
import { connectAs, freePort, relayEnv, relaySubscriptions, until, watchAt } from './support.js';

let cloud: Emulators;
let dir: string;
let child: ChildProcess | undefined;
let connection: HubConnection | undefined;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'relay-intake-journal', userCount: 20, teamSizes: [5] }, delivery: { batchWindowMs: 10 } });
  dir = mkdtempSync(join(tmpdir(), 'relay-journal-'));
  const certificate = await makeCertificate('relay-journal');
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
});

after(async () => {
  child?.kill('SIGKILL');
  await connection?.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `npm run relay` in its own process, its state (and journal) in `dir`. */
async function startRelay(port: number): Promise<ChildProcess> {
  const started = spawn(process.execPath, ['--import', 'tsx', join(root, 'relay/src/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...relayEnv(cloud, dir, `http://127.0.0.1:${port}`), HOST: '127.0.0.1', PORT: String(port), GRAPH_BASE_URL: cloud.graph.url, RELAY_STORE_PATH: join(dir, 'state.json') },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${output}`)), 30_000);
    started.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  });
  return started;
}

test('a notification acknowledged and then lost with the relay is processed by the next relay', { timeout: 90_000 }, async (t) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  child = await startRelay(port);
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[7]!.id;
  cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
  const { connection: c, received } = await connectAs(cloud, url, user);
  connection = c;
  assert.equal((await watchAt(cloud, url, user, [watched])).body.covered, true);
  const sub = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!.id;

  // Processing hangs where it hands the update to SignalR Service; Graph has its 202 by then.
  const hang = cloud.faults.add({ service: 'signalr', path: '/api/v1/hubs/presence/users/', kind: 'latency', latencyMs: 60_000 });
  const from = cloud.graph.subscriptions.deliveries.length;
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InAMeeting' });
  const acknowledged = () => cloud.graph.subscriptions.deliveries.slice(from).find((d) => d.subscriptionId === sub && d.kind === 'notification' && d.status === 202);
  await until(() => !!acknowledged(), 'Graph getting its 202');
  await until(() => hang.hits > 0, 'processing reaching SignalR Service');
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  cloud.faults.clear(hang.id);
  assert.ok(!received.flat().some((p) => p.id === watched && p.availability === 'Busy'), 'nothing pushed before the relay died');

  child = await startRelay(port);
  await until(() => received.flat().some((p) => p.id === watched && p.availability === 'Busy'), 'the update, from the relay started after', 15_000);
  const redelivered = cloud.graph.subscriptions.deliveries.slice(from).filter((d) => d.subscriptionId === sub && d.kind === 'notification').length;
  t.diagnostic(`acknowledged in ${acknowledged()!.ms} ms (journal written and synced first); deliveries by Graph: ${redelivered}`);
  assert.equal(redelivered, 1, 'Graph delivered it once: the relay alone kept it');
  assert.ok(existsSync(join(dir, 'intake-journal.log')), 'the journal lives beside the state file');
});
