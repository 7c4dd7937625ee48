// `npm run emulator`: starts the local cloud and prints where each service listens. Options come from flags or
// environment variables (flags win); see the README.
import { parseArgs } from 'node:util';
import { startEmulators } from './index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    'entra-port': { type: 'string' },
    'graph-port': { type: 'string' },
    'signalr-port': { type: 'string' },
    'control-port': { type: 'string' },
    seed: { type: 'string' },
    users: { type: 'string' },
    rate: { type: 'string' },
    'sign-in-as': { type: 'string' },
    picker: { type: 'boolean' },
    'signalr-key': { type: 'string' },
    'consent-required': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`npm run emulator -- [options]

  --host <ip>            listen address (EMULATOR_HOST, default 127.0.0.1)
  --entra-port <n>       Entra ID, HTTPS (EMULATOR_ENTRA_PORT, default 7001; 0 = any free port)
  --graph-port <n>       Microsoft Graph (EMULATOR_GRAPH_PORT, default 7002)
  --signalr-port <n>     Azure SignalR Service (EMULATOR_SIGNALR_PORT, default 7003)
  --control-port <n>     control API (EMULATOR_CONTROL_PORT, default 7004)
  --seed <text>          fake tenant seed (EMULATOR_SEED, default presence-elements)
  --users <n>            number of users (EMULATOR_USERS, default 10000)
  --rate <n>             simulated presence changes per second (EMULATOR_RATE, default 2)
  --sign-in-as <id|upn>  user signed in without asking (EMULATOR_SIGN_IN_AS, default the first user)
  --picker               show an account picker instead of signing in automatically
  --signalr-key <key>    SignalR access key (EMULATOR_SIGNALR_KEY, default random)
  --consent-required <scopes>
                         scopes users must consent to in a popup before silent requests get them, e.g.
                         TeamMember.Read.All (EMULATOR_CONSENT_REQUIRED, comma or space separated; default none)
  --json                 print the settings as JSON`);
  process.exit(0);
}

const env = process.env;
const port = (flag: string | undefined, name: string, fallback: number) => {
  const text = flag ?? env[name];
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name}: ${text} is not a port number`);
    process.exit(2);
  }
  return n;
};

const emulators = await startEmulators({
  host: values.host ?? env.EMULATOR_HOST ?? '127.0.0.1',
  ports: {
    entra: port(values['entra-port'], 'EMULATOR_ENTRA_PORT', 7001),
    graph: port(values['graph-port'], 'EMULATOR_GRAPH_PORT', 7002),
    signalr: port(values['signalr-port'], 'EMULATOR_SIGNALR_PORT', 7003),
    control: port(values['control-port'], 'EMULATOR_CONTROL_PORT', 7004),
  },
  tenant: {
    seed: values.seed ?? env.EMULATOR_SEED ?? 'presence-elements',
    ...((values.users ?? env.EMULATOR_USERS) ? { userCount: Number(values.users ?? env.EMULATOR_USERS) } : {}),
  },
  signInAs: values.picker ? null : (values['sign-in-as'] ?? env.EMULATOR_SIGN_IN_AS),
  simulatorRate: Number(values.rate ?? env.EMULATOR_RATE ?? 2),
  ...((values['signalr-key'] ?? env.EMULATOR_SIGNALR_KEY)
    ? { signalrAccessKey: values['signalr-key'] ?? env.EMULATOR_SIGNALR_KEY }
    : {}),
  ...((values['consent-required'] ?? env.EMULATOR_CONSENT_REQUIRED)
    ? {
        consentRequired: (values['consent-required'] ?? env.EMULATOR_CONSENT_REQUIRED)!.split(/[\s,]+/).filter(Boolean),
      }
    : {}),
});

const d = emulators.describe() as Record<string, any>;
if (values.json) {
  console.log(JSON.stringify(d, null, 2));
} else {
  console.log(`Local cloud for Presence Elements (no account needed)
  Entra ID        ${d.entra.url}   authority ${d.entra.authority}
  Microsoft Graph ${d.graph.baseUrl}
  SignalR Service ${d.signalr.url}
                  ${d.signalr.connectionString}
  Control API     ${d.control.url}/status
  Tenant          ${d.tenant.id}: ${d.tenant.users} users, teams ${d.tenant.teams.map((t: any) => t.members).join(' / ')}
  Signed in as    ${d.entra.signInAs ?? 'account picker'}
  Consent needed  ${d.entra.consentRequired.join(', ') || 'none'}
  Simulator       ${d.simulator.rate} changes/s
Press Ctrl+C to stop.`);
}

const stop = async () => {
  await emulators.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
