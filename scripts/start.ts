// `npm start`: the whole system on this machine, no account needed: builds the library when needed, starts the
// emulators of Entra ID, Graph and SignalR Service, the relay, and serves the live demo and the gallery of states.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../emulator/entra/clients.js';
import { startEmulators } from '../emulator/index.js';
import { startLocalRelay } from './local-relay.js';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist/cdn/presence-elements.js');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest(join(root, 'src'))) {
  console.log('Building (the bundle is missing or older than src/)...');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const host = process.env.HOST ?? '127.0.0.1';
const env = process.env;
// With a real tenant (PRESENCE_CLIENT_ID and friends), the same demo signs in with MSAL and uses your relay;
// otherwise everything runs here, emulated.
const real = Boolean(env.PRESENCE_CLIENT_ID);
let settings: Record<string, unknown> | undefined;
let stopServices: () => Promise<void> = async () => undefined;
const lines: string[] = [];
// The page's server listens first: the relay is told its origin.
const files = createStaticServer(root);
const serveFile = files.listeners('request')[0] as (req: unknown, res: unknown) => void;
files.removeAllListeners('request');
files.on('request', (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  if (req.url?.startsWith('/demo/local-cloud.json')) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(settings ?? {}));
    return;
  }
  serveFile(req, res);
});
const port = await listenOnFreePort(files, Number(process.env.PORT ?? 8080), host);
const page = `http://${host}:${port}`;
// The relay answers cross-origin calls from the demo page's origin only (as the page may be opened by either name).
const pageOrigins = [...new Set([page, `http://localhost:${port}`, `http://127.0.0.1:${port}`])].filter(
  (o) => !o.includes('0.0.0.0'),
);
if (real) {
  const missing = ['PRESENCE_CLIENT_ID', 'PRESENCE_RELAY_URL', 'PRESENCE_RELAY_SCOPE', 'PRESENCE_TEAM_ID'].filter(
    (name) => !env[name],
  );
  if (missing.length || (!env.PRESENCE_TENANT && !env.PRESENCE_AUTHORITY)) {
    console.error(
      `For a real tenant, set ${[...missing, ...(!env.PRESENCE_TENANT && !env.PRESENCE_AUTHORITY ? ['PRESENCE_TENANT (or PRESENCE_AUTHORITY)'] : [])].join(', ')}.`,
    );
    process.exit(2);
  }
  settings = {
    mode: 'real',
    clientId: env.PRESENCE_CLIENT_ID,
    authority: env.PRESENCE_AUTHORITY ?? `https://login.microsoftonline.com/${env.PRESENCE_TENANT}`,
    relay: env.PRESENCE_RELAY_URL,
    relayScope: env.PRESENCE_RELAY_SCOPE,
    team: { id: env.PRESENCE_TEAM_ID, displayName: env.PRESENCE_TEAM_NAME ?? 'Your team' },
    ...(env.PRESENCE_GRAPH_URL ? { graph: env.PRESENCE_GRAPH_URL } : {}),
  };
  lines.push(
    `  Tenant             ${settings.authority} (sign in with MSAL; redirect URI /dist/cdn/redirect.html)`,
    `  Relay              ${env.PRESENCE_RELAY_URL}`,
  );
} else {
  const cloud = await startEmulators({ host, simulatorRate: Number(env.SIMULATOR_RATE ?? 1) });
  const team = cloud.tenant.teams.find((t) => t.memberIds.length === 50)!;
  // The simulator moves the people the demo shows, so something happens every second.
  cloud.simulator.configure({ userIds: team.memberIds });
  const relay = await startLocalRelay(cloud, { host, allowedOrigins: pageOrigins });
  settings = {
    mode: 'local',
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relay.url}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    spaClientId: DEMO_SPA_CLIENT_ID,
    authority: cloud.entra.authority,
    team: { id: team.id, displayName: team.displayName },
    // Members of the team the page shows (and the simulator moves): who signs in in one tab is seen in the others.
    people: team.memberIds
      .slice(0, 18)
      .map((id) => cloud.tenant.user(id)!)
      .map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName })),
  };
  lines.push(
    `  Relay              ${relay.url}`,
    `  Microsoft Graph    ${cloud.graph.url}/v1.0   (emulator)`,
    `  Entra ID           ${cloud.entra.url}   (emulator)`,
    `  SignalR Service    ${cloud.signalr.url}   (emulator)`,
    `  Control API        ${cloud.control.url}/status`,
  );
  stopServices = async () => {
    await relay.stop();
    await cloud.stop();
  };
}

console.log(`
Presence Elements, ${real ? 'on your tenant' : 'running locally (no account needed)'}
  Live demo          ${page}/demo/live.html
  Every state        ${page}/demo/index.html
${lines.join('\n')}
Press Ctrl+C to stop.`);

const stop = async () => {
  files.close();
  await stopServices();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
