// `npm run relay`: the relay as a plain Node server, configured by environment variables.
import { createPrivateKey } from 'node:crypto';
import { settingsFromEnv } from './config.js';
import { Relay } from './relay.js';
import { FileStore } from './store.js';
import { SubscriptionKeeper } from './subscriptions.js';
import { TokenBroker } from './tokens.js';

let settings;
try {
  settings = settingsFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const graphBaseUrl = process.env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com';
const issuers = [`https://login.microsoftonline.com/${settings.tenantId}/v2.0`, `https://sts.windows.net/${settings.tenantId}/`, ...(process.env.RELAY_ISSUER ? [process.env.RELAY_ISSUER] : [])];
const keeper = new SubscriptionKeeper({
  graphBaseUrl,
  broker: new TokenBroker({ authority: settings.authority, clientId: settings.clientId, clientSecret: settings.clientSecret, ...(settings.tlsCa ? { ca: settings.tlsCa } : {}) }),
  store: new FileStore(settings.storePath),
  notificationUrl: `${settings.publicUrl}/api/notifications`,
  lifecycleNotificationUrl: `${settings.publicUrl}/api/lifecycle`,
  clientState: settings.clientState,
  certificate: { id: settings.certificate.id, base64: settings.certificate.base64 },
});
const relay = new Relay({
  host: settings.host,
  port: settings.port,
  clientId: settings.clientId,
  issuers,
  jwksUri: `${settings.authority}/discovery/v2.0/keys`,
  ...(settings.tlsCa ? { tlsCa: settings.tlsCa } : {}),
  signalrConnectionString: settings.signalrConnectionString,
  hub: settings.hub,
  clientState: settings.clientState,
  encryptionKeys: [{ id: settings.certificate.id, privateKey: createPrivateKey(settings.certificate.privateKeyPem) }],
  keeper,
  ...(settings.allowedOrigins ? { allowedOrigins: settings.allowedOrigins } : {}),
});
await relay.start();
console.log(`Presence relay listening on ${relay.url} (public ${settings.publicUrl}); Graph at ${graphBaseUrl}`);
const stop = async () => {
  await relay.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
