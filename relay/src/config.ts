// The relay's settings, from environment variables, with a clear message for each one missing or wrong.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface RelaySettings {
  host: string;
  port: number;
  publicUrl: string;
  tenantId: string;
  authority: string;
  clientId: string;
  clientSecret: string;
  signalrConnectionString: string;
  hub: string;
  /** The secret Graph echoes; when not set, the one kept in the store (made once, shared by every instance). */
  clientState?: string;
  /** Where Graph delivers change notifications: `<publicUrl>/api/notifications`, or an Event Hub. */
  notificationUrl: string;
  /** Where Graph delivers lifecycle notifications: `<publicUrl>/api/lifecycle`, or the same Event Hub. */
  lifecycleNotificationUrl: string;
  certificate: { id: string; base64: string; privateKeyPem: string };
  storePath: string;
  allowedOrigins?: string[];
  tlsCa?: string;
  /** Worker threads decrypting notifications (default: one per core). */
  decryptWorkers?: number;
  /** How long a page's watch lasts unless renewed (default 30 minutes). */
  watchLeaseSeconds?: number;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RelaySettings {
  const missing: string[] = [];
  const need = (name: string) => {
    const value = env[name]?.trim();
    if (!value) missing.push(name);
    return value ?? '';
  };
  const tenantId = need('RELAY_TENANT_ID');
  const clientId = need('RELAY_CLIENT_ID');
  const clientSecret = need('RELAY_CLIENT_SECRET');
  const signalrConnectionString = need('AZURE_SIGNALR_CONNECTION_STRING');
  const publicUrl = need('RELAY_PUBLIC_URL');
  const certPath = need('RELAY_CERTIFICATE_PATH');
  const keyPath = need('RELAY_PRIVATE_KEY_PATH');
  if (missing.length) throw new Error(`The relay needs these environment variables: ${missing.join(', ')} (see the README, "Deploying").`);
  let certificate: RelaySettings['certificate'];
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    const privateKeyPem = readFileSync(keyPath, 'utf8');
    createPrivateKey(privateKeyPem);
    certificate = { id: env.RELAY_CERTIFICATE_ID ?? cert.fingerprint.replace(/:/g, '').slice(0, 16), base64: cert.raw.toString('base64'), privateKeyPem };
  } catch (error) {
    throw new Error(`RELAY_CERTIFICATE_PATH / RELAY_PRIVATE_KEY_PATH: ${(error as Error).message}`);
  }
  const workers = env.RELAY_DECRYPT_WORKERS?.trim() ? Number(env.RELAY_DECRYPT_WORKERS) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
    throw new Error(`RELAY_DECRYPT_WORKERS=${env.RELAY_DECRYPT_WORKERS} is not a whole number from 0 to 64`);
  }
  const lease = env.RELAY_WATCH_LEASE_SECONDS?.trim() ? Number(env.RELAY_WATCH_LEASE_SECONDS) : undefined;
  if (lease !== undefined && !(Number.isInteger(lease) && lease >= 10 && lease <= 7 * 24 * 3600)) {
    throw new Error(`RELAY_WATCH_LEASE_SECONDS=${env.RELAY_WATCH_LEASE_SECONDS} is not a whole number of seconds from 10 to 604800 (a week)`);
  }
  const clientState = env.RELAY_CLIENT_STATE?.trim() || undefined;
  if (clientState !== undefined && clientState.length > 128) throw new Error('RELAY_CLIENT_STATE is longer than the 128 characters Graph accepts');
  const eventHub = eventHubUrl(env, tenantId);
  const base = publicUrl.replace(/\/+$/, '');
  const port = Number(env.PORT ?? 7071);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port`);
  return {
    host: env.HOST ?? '0.0.0.0',
    port,
    publicUrl: base,
    tenantId,
    authority: env.RELAY_AUTHORITY ?? `https://login.microsoftonline.com/${tenantId}`,
    clientId,
    clientSecret,
    signalrConnectionString,
    hub: env.RELAY_HUB ?? 'presence',
    ...(clientState !== undefined ? { clientState } : {}),
    notificationUrl: eventHub ?? `${base}/api/notifications`,
    lifecycleNotificationUrl: eventHub ?? `${base}/api/lifecycle`,
    certificate,
    storePath: env.RELAY_STORE_PATH ?? '.relay/state.json',
    ...(env.RELAY_ALLOWED_ORIGINS ? { allowedOrigins: env.RELAY_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) } : {}),
    ...(env.RELAY_TLS_CA_PATH ? { tlsCa: readFileSync(env.RELAY_TLS_CA_PATH, 'utf8') } : {}),
    ...(workers !== undefined ? { decryptWorkers: workers } : {}),
    ...(lease !== undefined ? { watchLeaseSeconds: lease } : {}),
  };
}

/**
 * Event Hubs delivery, in the form Graph takes for a hub that lets Graph's change-tracking app send
 * (`EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<tenant>`). The hub is the one
 * the Functions trigger reads (`GRAPH_EVENT_HUB_NAME`); the namespace is `GRAPH_EVENT_HUB_NAMESPACE`, or else the
 * one the trigger's connection names. Lifecycle notifications go to the same hub.
 */
function eventHubUrl(env: NodeJS.ProcessEnv, tenantId: string): string | undefined {
  const hub = env.GRAPH_EVENT_HUB_NAME?.trim();
  if (!hub) return undefined;
  const fromConnection = /Endpoint=sb:\/\/([^/;]+)/i.exec(env.GRAPH_EVENT_HUB_CONNECTION ?? '')?.[1];
  const namespace = (env.GRAPH_EVENT_HUB_NAMESPACE?.trim() || env.GRAPH_EVENT_HUB_CONNECTION__fullyQualifiedNamespace?.trim() || fromConnection || '').replace(/^https?:\/\/|\/+$/g, '');
  if (!namespace) {
    throw new Error('GRAPH_EVENT_HUB_NAME is set, so Graph delivers to that Event Hub: give its namespace in GRAPH_EVENT_HUB_NAMESPACE (contoso, or contoso.servicebus.windows.net)');
  }
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(namespace) || !/^[\w.-]+$/.test(hub)) throw new Error(`GRAPH_EVENT_HUB_NAMESPACE=${namespace} / GRAPH_EVENT_HUB_NAME=${hub} is not an Event Hubs namespace and hub name`);
  const host = namespace.includes('.') ? namespace : `${namespace}.servicebus.windows.net`;
  return `EventHub:https://${host}/eventhubname/${hub}?tenantId=${encodeURIComponent(tenantId)}`;
}
