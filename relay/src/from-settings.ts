// A relay and its subscription keeper from settings (environment variables), for every host.
import { createPrivateKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RelaySettings } from './config.js';
import { Relay } from './relay.js';
import { FileStore, type RelayStore } from './store.js';
import { SubscriptionKeeper } from './subscriptions.js';
import { TokenBroker } from './tokens.js';

/**
 * The issuers of the tokens the relay accepts: v1.0 (`https://sts.windows.net/<tenant>/`) and v2.0, at Microsoft's
 * sign-in host and at the authority's own (a national cloud, the local emulator).
 */
function issuersFor(settings: RelaySettings): string[] {
  const v2 = (host: string) => `${host}/${settings.tenantId}/v2.0`;
  return [...new Set([v2('https://login.microsoftonline.com'), v2(new URL(settings.authority).origin), `https://sts.windows.net/${settings.tenantId}/`])];
}

export function relayFromSettings(settings: RelaySettings, options: { graphBaseUrl?: string; store?: RelayStore } = {}): { relay: Relay; keeper: SubscriptionKeeper } {
  const graphBaseUrl = options.graphBaseUrl ?? 'https://graph.microsoft.com';
  const keeper = new SubscriptionKeeper({
    graphBaseUrl,
    broker: new TokenBroker({ authority: settings.authority, clientId: settings.clientId, clientSecret: settings.clientSecret, ...(settings.tlsCa ? { ca: settings.tlsCa } : {}) }),
    store: options.store ?? new FileStore(settings.storePath),
    notificationUrl: settings.notificationUrl,
    lifecycleNotificationUrl: settings.lifecycleNotificationUrl,
    ...(settings.clientState !== undefined ? { clientState: settings.clientState } : {}),
    certificate: { id: settings.certificate.id, base64: settings.certificate.base64 },
  });
  // Beside the state file unless set; a caller bringing its own store brings its own journal too.
  const journalPath = settings.journalPath ?? (options.store ? undefined : join(dirname(settings.storePath), 'intake-journal.log'));
  const relay = new Relay({
    host: settings.host,
    port: settings.port,
    clientId: settings.clientId,
    issuers: issuersFor(settings),
    jwksUri: `${settings.authority}/discovery/v2.0/keys`,
    ...(settings.tlsCa ? { tlsCa: settings.tlsCa } : {}),
    signalrConnectionString: settings.signalrConnectionString,
    hub: settings.hub,
    ...(settings.clientState !== undefined ? { clientState: settings.clientState } : {}),
    // The previous certificate's key, during a key roll, decrypts what Graph still encrypts with it.
    encryptionKeys: [settings.certificate, ...settings.previousCertificates].map(({ id, privateKeyPem }) => ({ id, privateKey: createPrivateKey(privateKeyPem) })),
    keeper,
    ...(settings.allowedOrigins ? { allowedOrigins: settings.allowedOrigins } : {}),
    ...(settings.decryptWorkers !== undefined ? { decryptWorkers: settings.decryptWorkers } : {}),
    ...(settings.watchLeaseSeconds !== undefined ? { watchLeaseSeconds: settings.watchLeaseSeconds } : {}),
    ...(journalPath ? { journalPath } : {}),
  });
  return { relay, keeper };
}
