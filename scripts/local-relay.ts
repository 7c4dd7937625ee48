// The relay wired to the local cloud: what `npm start` runs, and what the end-to-end tests and the bench start.
import { makeCertificate, type CertificateAndKey } from '../emulator/shared/tls.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_RELAY_CLIENT_SECRET } from '../emulator/entra/clients.js';
import type { Emulators } from '../emulator/index.js';
import { consoleLogger, type RelayLogger } from '../relay/src/logger.js';
import { Relay, type RelayOptions } from '../relay/src/relay.js';
import { MemoryStore, type RelayStore } from '../relay/src/store.js';
import { SubscriptionKeeper } from '../relay/src/subscriptions.js';
import { TokenBroker } from '../relay/src/tokens.js';
import { userDirectory } from '../relay/src/user-directory.js';
import { createServer } from 'node:net';

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface LocalRelayOptions {
  host?: string;
  port?: number;
  store?: RelayStore;
  renewalCheckMs?: number;
  /** Give the same certificate to a restarted relay: its subscriptions were made with it (the store keeps the clientState). */
  certificate?: CertificateAndKey;
  clientState?: string;
  /** How long a watch session lasts unless renewed; its clock is the Graph emulator's (`POST /clock/advance`). */
  watchLeaseSeconds?: number;
  /** The waits before each retry of a failed send to SignalR Service. */
  fanoutRetryDelaysMs?: number[];
  /** Origins of the pages that call the relay (the demo's, the tests'): none unless given. */
  allowedOrigins?: string[];
  /** Watch only ids the directory knows as users (the relay's app token, User.Read.All). */
  checkUsers?: boolean;
  /** Bounds and recovery of the sends to SignalR Service. */
  fanout?: RelayOptions['fanout'];
  /** With a shared store (the table store): how often the sessions made through other instances are read. */
  sessionsRefreshMs?: number;
  /** The intake journal's file (none by default: tests that need one give it, with the store beside it). */
  journalPath?: string;
  /**
   * Where the relay and its keeper say what they do. Default: failures only, on the console, so `npm start`'s banner
   * and the tests' output stay readable.
   */
  logger?: RelayLogger;
}

export async function startLocalRelay(cloud: Emulators, options: LocalRelayOptions = {}): Promise<Relay> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  const certificate = options.certificate ?? (await makeCertificate('presence-relay-notifications'));
  // The relay lives on the local cloud's clock (POST /clock/advance): watch leases, tokens' lifetimes.
  const now = () => cloud.graph.clock.now();
  const broker = new TokenBroker({
    authority: cloud.entra.authority,
    clientId: DEMO_RELAY_CLIENT_ID,
    clientSecret: DEMO_RELAY_CLIENT_SECRET,
    ca: cloud.entra.tlsCertificate,
    now,
  });
  const keeper = new SubscriptionKeeper({
    graphBaseUrl: cloud.graph.url,
    broker,
    store: options.store ?? new MemoryStore(),
    notificationUrl: `http://${host}:${port}/api/notifications`,
    lifecycleNotificationUrl: `http://${host}:${port}/api/lifecycle`,
    ...(options.clientState !== undefined ? { clientState: options.clientState } : {}),
    certificate: { id: 'local-relay', base64: certificate.certBase64 },
    now,
    logger: options.logger ?? consoleLogger({ level: 'error' }),
  });
  const relay = new Relay({
    host,
    port,
    clientId: DEMO_RELAY_CLIENT_ID,
    tenantId: cloud.tenant.id,
    // Tokens of both versions: the relay's API registration decides which one Entra issues.
    issuers: cloud.entra.issuers,
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    ...(options.clientState !== undefined ? { clientState: options.clientState } : {}),
    encryptionKeys: [{ id: 'local-relay', privateKey: certificate.privateKey }],
    keeper,
    renewalCheckMs: options.renewalCheckMs ?? 60_000,
    ...(options.watchLeaseSeconds !== undefined ? { watchLeaseSeconds: options.watchLeaseSeconds } : {}),
    ...(options.fanoutRetryDelaysMs ? { fanoutRetryDelaysMs: options.fanoutRetryDelaysMs } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.checkUsers ? { userDirectory: userDirectory(cloud.graph.url, broker, now) } : {}),
    ...(options.fanout ? { fanout: options.fanout } : {}),
    ...(options.journalPath ? { journalPath: options.journalPath } : {}),
    ...(options.sessionsRefreshMs !== undefined ? { sessionsRefreshMs: options.sessionsRefreshMs } : {}),
  });
  await relay.start();
  return relay;
}
