// Part of `npm run bench` (alone: `node scripts/bench.mjs --only=scale`): the relay scaled out. One, then three relay
// processes (`npm run relay`, RELAY_STORE=table) sharing one table store on Azurite, behind a round-robin proxy as a
// load balancer would be; one instance at a time holds the keeper lease. Watch requests per second (each user renewing
// a session of 20 people through the proxy), then notifications per second: collections of 10 encrypted
// notifications posted to the proxy as Graph posts them, counted once a page watching all the people has received
// every person's last change (each instance checks the person's sequence number in the store before sending).
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { presenceNotification } from './presence-notification.js';
import { DEMO_RELAY_CLIENT_ID } from '../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../emulator/shared/tls.js';
import { startRelayProcess, writeRelayFiles, type RelayProcess } from '../test/node/relay/relay-process.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../test/node/relay/round-robin-proxy.js';
import { connectAs, freePort, relaySubscriptions, relayToken, until } from '../test/node/relay/support.js';
import { startAzurite, type Azurite } from '../test/node/support/azurite.js';

const json = process.argv.includes('--json');
/** Users renewing their watch, each with one session of 20 people. */
const USERS = Number(process.env.BENCH_SCALE_USERS ?? 150);
/** Timed rounds of renewals. */
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
/** Notifications posted (in collections of 10). */
const NOTIFICATIONS = Number(process.env.BENCH_SCALE_NOTIFICATIONS ?? 3_000);
const PEOPLE = 200;
const CONCURRENCY = 8;
const CLIENT_STATE = 'scale-bench-secret';
const CERTIFICATE_ID = 'scale-bench';

interface Row {
  instances: number;
  watchesPerSecond: number;
  notificationsPerSecond: number;
}

async function pool(jobs: Array<() => Promise<unknown>>, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

async function run(instances: number, certificate: CertificateAndKey): Promise<Row> {
  const base = mkdtempSync(join(tmpdir(), 'scale-bench-'));
  const started: RelayProcess[] = [];
  let cloud: Emulators | undefined;
  let azurite: Azurite | undefined;
  let proxy: RoundRobinProxy | undefined;
  try {
    [cloud, azurite] = await Promise.all([
      startEmulators({ simulatorRate: 0, tenant: { seed: 'scale-bench', userCount: USERS + PEOPLE, teamSizes: [5] } }),
      startAzurite(),
    ]);
    const homes = [];
    for (let i = 0; i < instances; i++) {
      const dir = join(base, `instance-${i}`);
      mkdirSync(dir);
      writeRelayFiles(cloud, dir, certificate);
      homes.push({ dir, port: await freePort() });
    }
    proxy = await startRoundRobinProxy(homes.map((h) => `http://127.0.0.1:${h.port}`));
    const env = {
      RELAY_STORE: 'table',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      RELAY_PUBLIC_URL: proxy.url,
      RELAY_CLIENT_STATE: CLIENT_STATE,
      RELAY_CERTIFICATE_ID: CERTIFICATE_ID,
      RELAY_HEARTBEAT_SECONDS: '0',
    };
    const local = cloud;
    started.push(...(await Promise.all(homes.map((h) => startRelayProcess(local, h.dir, h.port, env)))));
    const users = cloud.tenant.users.slice(0, USERS).map((u) => u.id);
    const people = cloud.tenant.users.slice(USERS, USERS + PEOPLE).map((u) => u.id);
    const tokens = new Map(users.map((u) => [u, `Bearer ${relayToken(local, u)}`]));
    const watch = (user: string, ids: string[], session: string) =>
      fetch(`${proxy!.url}/api/watch`, {
        method: 'POST',
        headers: { authorization: tokens.get(user)!, 'content-type': 'application/json' },
        body: JSON.stringify({ ids, session }),
      }).then(async (res) => {
        if (res.status !== 200) throw new Error(`watch answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      });
    const renewal = (user: string, i: number) => () =>
      watch(
        user,
        Array.from({ length: 20 }, (_, k) => people[(i * 7 + k) % people.length]!),
        `page-${i}`,
      );
    // Every user's first watch (owners, subscriptions made), untimed.
    await pool(
      users.map((u, i) => renewal(u, i)),
      CONCURRENCY,
    );
    let startedAt = performance.now();
    for (let round = 0; round < ROUNDS; round++)
      await pool(
        users.map((u, i) => renewal(u, i)),
        CONCURRENCY,
      );
    const watchesPerSecond = Math.round((USERS * ROUNDS) / ((performance.now() - startedAt) / 1000));

    // One page watching every person; Graph's deliveries spread over the instances by the proxy.
    const page = await connectAs(local, proxy.url, users[0]!);
    try {
      await watch(users[0]!, people, 'everyone');
      await until(() => people.every((id) => relaySubscriptions(local).some((s) => s.ids.has(id))), 'coverage', 30_000);
      const subscriptionId = relaySubscriptions(local).find((s) => s.ids.has(people[0]!))!.id;
      const key = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
      const collections = Array.from({ length: Math.ceil(NOTIFICATIONS / 10) }, (_, c) =>
        JSON.stringify({
          value: Array.from({ length: 10 }, (_, k) => {
            const id = people[(c * 10 + k) % PEOPLE]!;
            const sequenceNumber = String(1 + Math.floor((c * 10 + k) / PEOPLE)).padStart(12, '0');
            const availability = ['Busy', 'Away', 'Available'][c % 3]!;
            return presenceNotification(
              { id, availability, activity: availability, sequenceNumber },
              { id: subscriptionId, clientState: CLIENT_STATE },
              { x509: key, id: CERTIFICATE_ID },
            );
          }),
          validationTokens: [local.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)],
        }),
      );
      const total = collections.length * 10;
      // Each person's last change: what came before it may be dropped as older if it arrives after (8 posts at once).
      const last = new Map<string, string>();
      for (let n = 0; n < total; n++)
        last.set(people[n % PEOPLE]!, String(1 + Math.floor(n / PEOPLE)).padStart(12, '0'));
      const shown = new Map<string, string>();
      page.connection.on('presence', (list: Array<{ id: string; sequenceNumber?: string }>) => {
        for (const p of list)
          if (p.sequenceNumber && p.sequenceNumber > (shown.get(p.id) ?? '')) shown.set(p.id, p.sequenceNumber);
      });
      startedAt = performance.now();
      await pool(
        collections.map((body) => async () => {
          const res = await fetch(`${proxy!.url}/api/notifications`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await res.arrayBuffer();
          if (res.status !== 202) throw new Error(`the webhook answered ${res.status}`);
        }),
        CONCURRENCY,
      );
      await until(
        () => [...last].every(([id, seq]) => shown.get(id) === seq),
        'every last change at the page',
        120_000,
        20,
      );
      const notificationsPerSecond = Math.round(total / ((performance.now() - startedAt) / 1000));
      return { instances, watchesPerSecond, notificationsPerSecond };
    } finally {
      await page.connection.stop();
    }
  } finally {
    await Promise.all(started.map((r) => r.stop()));
    await proxy?.close();
    await Promise.all([cloud?.stop(), azurite?.stop()]);
    rmSync(base, { recursive: true, force: true });
  }
}

const certificate = await makeCertificate('scale-bench');
const rows: Row[] = [];
for (const instances of [1, 3]) rows.push(await run(instances, certificate));

if (json) console.log(JSON.stringify({ rows }, null, 2));
else {
  console.log(
    `\nscale-out: relay processes on one table store (Azurite) behind a round-robin proxy, one keeper lease ` +
      `(${USERS} users renewing a session of 20 people, ${NOTIFICATIONS} notifications in collections of 10, ${CONCURRENCY} requests at once)`,
  );
  console.log('| instances | watch requests/s | notifications/s |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.instances} | ${r.watchesPerSecond} | ${r.notificationsPerSecond} |`);
}
