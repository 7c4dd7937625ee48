// `npm run relay`: the Node host configured by environment variables, against the local cloud.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { root } from '../support.js';
import { relayEnv } from './support.js';

let cloud: Emulators;
let dir: string;
let child: ChildProcess | undefined;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'relay-main', userCount: 40, teamSizes: [5] } });
  dir = mkdtempSync(join(tmpdir(), 'relay-main-'));
});
after(async () => {
  child?.kill('SIGTERM');
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('without its settings, the relay says which are missing', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'relay/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /RELAY_CLIENT_ID.*RELAY_PUBLIC_URL/);
});

test(
  "configured by environment variables, it negotiates and subscribes on a user's behalf",
  { timeout: 60_000 },
  async () => {
    const certificate = await makeCertificate('relay-main');
    writeFileSync(join(dir, 'cert.pem'), certificate.cert);
    writeFileSync(join(dir, 'key.pem'), certificate.key);
    writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', join(root, 'relay/src/main.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        ...relayEnv(cloud, dir, `http://127.0.0.1:${port}`),
        HOST: '127.0.0.1',
        PORT: String(port),
        GRAPH_BASE_URL: cloud.graph.url,
        RELAY_STORE_PATH: join(dir, 'state.json'),
      },
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${output}`)), 30_000);
      child!.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        if (output.includes('listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    });
    const user = cloud.tenant.users[0]!.id;
    const token = cloud.entra.issueToken({
      userId: user,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const negotiate = await fetch(`http://127.0.0.1:${port}/api/negotiate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(negotiate.status, 200);
    const watch = await fetch(`http://127.0.0.1:${port}/api/watch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [cloud.tenant.users[3]!.id] }),
    });
    assert.equal(watch.status, 200);
    for (
      const end = Date.now() + 10_000;
      !cloud.graph.subscriptions.describe().some((s) => s.creatorId === user) && Date.now() < end;
    )
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      cloud.graph.subscriptions.describe().some((s) => s.creatorId === user && s.includeResourceData),
      `a subscription on the user's behalf\n${output}`,
    );
  },
);
