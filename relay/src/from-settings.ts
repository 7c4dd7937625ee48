// A relay and its subscription keeper from settings (environment variables), for every host.
import { createPrivateKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RelaySettings } from './config.js';
import { KeeperLease } from './keeper-lease.js';
import type { KeeperOptions } from './kept-subscriptions.js';
import { LeasedKeeper } from './leased-keeper.js';
import { consoleLogger, type RelayLogger } from './logger.js';
import { Relay } from './relay.js';
import { FileStore, type RelayStore } from './store.js';
import { SubscriptionKeeper } from './subscriptions.js';
import { TableStore } from './table-store.js';
import { TokenBroker } from './tokens.js';
import { userDirectory } from './user-directory.js';

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The issuers of the tokens the relay accepts: v1.0 (`https://sts.windows.net/<tenant>/`) and v2.0, at Microsoft's
 * sign-in host and at the authority's own (a national cloud, the local emulator).
 */
function issuersFor(settings: RelaySettings): string[] {
  const v2 = (host: string) => `${host}/${settings.tenantId}/v2.0`;
  return [
    ...new Set([
      v2('https://login.microsoftonline.com'),
      v2(new URL(settings.authority).origin),
      `https://sts.windows.net/${settings.tenantId}/`,
    ]),
  ];
}

export function relayFromSettings(
  settings: RelaySettings,
  options: {
    graphBaseUrl?: string;
    store?: RelayStore;
    logger?: RelayLogger;
    /** The clock of tokens, watch leases and subscription expiries (milliseconds since the epoch); default `Date.now`. */
    now?: () => number;
  } = {},
): { relay: Relay; keeper: SubscriptionKeeper } {
  const graphBaseUrl = options.graphBaseUrl ?? 'https://graph.microsoft.com';
  // What the relay and its keeper do goes to the console by default (a host's log: Functions collect it).
  const logger = options.logger ?? consoleLogger();
  const broker = new TokenBroker({
    authority: settings.authority,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    ...(settings.tlsCa ? { ca: settings.tlsCa } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const shared = !options.store && settings.store.kind === 'table' ? settings.store : undefined;
  const keeperOptions: KeeperOptions = {
    graphBaseUrl,
    broker,
    store:
      options.store ??
      (shared
        ? new TableStore({
            connectionString: shared.connectionString,
            ...(shared.prefix ? { prefix: shared.prefix } : {}),
          })
        : new FileStore(settings.storePath, (message) => logger.warn(message))),
    notificationUrl: settings.notificationUrl,
    lifecycleNotificationUrl: settings.lifecycleNotificationUrl,
    ...(settings.clientState !== undefined ? { clientState: settings.clientState } : {}),
    certificate: { id: settings.certificate.id, base64: settings.certificate.base64 },
    logger,
    ...(options.now ? { now: options.now } : {}),
  };
  // Several instances share the table store: one of them at a time, the keeper lease's holder, keeps the subscriptions.
  const keeper = shared
    ? new LeasedKeeper({
        ...keeperOptions,
        lease: new KeeperLease({
          connectionString: shared.connectionString,
          blob: `${shared.prefix ?? ''}keeper.lease`,
          ...(settings.keeperLeaseSeconds !== undefined ? { durationSeconds: settings.keeperLeaseSeconds } : {}),
          logger,
        }),
        ...(settings.checkSeconds !== undefined ? { checkMs: settings.checkSeconds * 1000 } : {}),
      })
    : new SubscriptionKeeper(keeperOptions);
  // Beside the state file unless set; a caller bringing its own store brings its own journal too.
  const journalPath =
    settings.journalPath ?? (options.store ? undefined : join(dirname(settings.storePath), 'intake-journal.log'));
  const relay = new Relay({
    host: settings.host,
    port: settings.port,
    clientId: settings.clientId,
    // `tid` is the tenant's id: a tenant given by domain name (contoso.onmicrosoft.com) is checked by issuer only.
    ...(TENANT_ID.test(settings.tenantId) ? { tenantId: settings.tenantId } : {}),
    ...(settings.requiredScope ? { requiredScope: settings.requiredScope } : {}),
    issuers: issuersFor(settings),
    jwksUri: `${settings.authority}/discovery/v2.0/keys`,
    ...(settings.tlsCa ? { tlsCa: settings.tlsCa } : {}),
    signalrConnectionString: settings.signalrConnectionString,
    hub: settings.hub,
    ...(settings.clientState !== undefined ? { clientState: settings.clientState } : {}),
    // The previous certificate's key, during a key roll, decrypts what Graph still encrypts with it.
    encryptionKeys: [settings.certificate, ...settings.previousCertificates].map(({ id, privateKeyPem }) => ({
      id,
      privateKey: createPrivateKey(privateKeyPem),
    })),
    keeper,
    ...(settings.allowedOrigins ? { allowedOrigins: settings.allowedOrigins } : {}),
    ...(settings.decryptWorkers !== undefined ? { decryptWorkers: settings.decryptWorkers } : {}),
    ...(settings.watchLeaseSeconds !== undefined ? { watchLeaseSeconds: settings.watchLeaseSeconds } : {}),
    ...(settings.quotas ? { quotas: settings.quotas } : {}),
    ...(settings.checkSeconds !== undefined ? { renewalCheckMs: settings.checkSeconds * 1000 } : {}),
    ...(settings.heartbeatSeconds !== undefined ? { heartbeatMs: settings.heartbeatSeconds * 1000 } : {}),
    ...(settings.checkUsers ? { userDirectory: userDirectory(graphBaseUrl, broker) } : {}),
    ...(settings.fanoutGroups ? { fanout: { groups: true } } : {}),
    ...(journalPath ? { journalPath } : {}),
  });
  return { relay, keeper };
}
