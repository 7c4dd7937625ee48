// The relay's settings, from environment variables, with a clear message for each one missing or wrong.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isHubName } from '../../common/signalr-names.js';
import { isScopeName } from './user-token.js';
import { parseAllowedOrigins } from './cors.js';
import { storeFromEnv, type StoreSettings } from './store-settings.js';

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
  /**
   * During a key roll, the keys of the certificates used before (by certificate id): kept for decrypting what Graph
   * still encrypts with them, while the keeper moves every subscription to `certificate`.
   */
  previousCertificates: Array<{ id: string; privateKeyPem: string }>;
  /** The state file (the file store's; beside it, by default, the intake journal). */
  storePath: string;
  /** Where the state is kept: the file store (default), or the table store several instances share. */
  store: StoreSettings;
  /** The intake journal (`RELAY_JOURNAL_PATH`); by default `intake-journal.log` beside the state file. One per instance. */
  journalPath?: string;
  allowedOrigins?: string[];
  tlsCa?: string;
  /** Worker threads decrypting notifications (default: one per core). */
  decryptWorkers?: number;
  /** How long a page's watch lasts unless renewed (default 30 minutes). */
  watchLeaseSeconds?: number;
  /** The scope user tokens must grant (default `access_as_user`). */
  requiredScope?: string;
  /** Distinct ids one user's sessions, and the whole tenant, may watch (defaults 5,000 and 50,000). */
  quotas?: { idsPerUser?: number; idsPerTenant?: number };
  /** Watch only ids Graph's directory knows as users (needs the application permission User.Read.All). */
  checkUsers?: boolean;
  /**
   * Send each change once, to a SignalR Service group per watched person whose members are its watchers, instead of
   * once per watching user (RELAY_FANOUT_GROUPS; off by default).
   */
  fanoutGroups?: boolean;
  /** How often the relay checks its subscriptions against Graph and renews them (default 60 s). */
  checkSeconds?: number;
  /** How often the relay broadcasts a heartbeat to the pages (default 15 s; 0: none). */
  heartbeatSeconds?: number;
  /**
   * With the table store: how long the keeper lease lasts unless renewed (15 to 60 s, default 30). The instance holding
   * it is the only one that makes, renews or deletes Graph subscriptions (leased-keeper.ts).
   */
  keeperLeaseSeconds?: number;
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
  if (missing.length)
    throw new Error(
      `The relay needs these environment variables: ${missing.join(', ')} (see the README, "Deploying").`,
    );
  const explicitId = env.RELAY_CERTIFICATE_ID?.trim() || undefined;
  if (explicitId !== undefined && explicitId.length > MAX_CERTIFICATE_ID)
    throw new Error(`RELAY_CERTIFICATE_ID is longer than the ${MAX_CERTIFICATE_ID} characters Graph accepts`);
  let certificate: RelaySettings['certificate'];
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    const privateKeyPem = readFileSync(keyPath, 'utf8');
    if (!belongsTo(createPrivateKey(privateKeyPem), cert))
      throw new Error(`the private key in ${keyPath} does not belong to the certificate in ${certPath}`);
    certificate = { id: explicitId ?? certificateIdOf(cert), base64: cert.raw.toString('base64'), privateKeyPem };
  } catch (error) {
    throw new Error(`RELAY_CERTIFICATE_PATH / RELAY_PRIVATE_KEY_PATH: ${(error as Error).message}`, { cause: error });
  }
  const previousCertificates = previousCertificatesFrom(env, certificate.id);
  const workers = env.RELAY_DECRYPT_WORKERS?.trim() ? Number(env.RELAY_DECRYPT_WORKERS) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
    throw new Error(`RELAY_DECRYPT_WORKERS=${env.RELAY_DECRYPT_WORKERS} is not a whole number from 0 to 64`);
  }
  const lease = env.RELAY_WATCH_LEASE_SECONDS?.trim() ? Number(env.RELAY_WATCH_LEASE_SECONDS) : undefined;
  if (lease !== undefined && !(Number.isInteger(lease) && lease >= 10 && lease <= 7 * 24 * 3600)) {
    throw new Error(
      `RELAY_WATCH_LEASE_SECONDS=${env.RELAY_WATCH_LEASE_SECONDS} is not a whole number of seconds from 10 to 604800 (a week)`,
    );
  }
  const clientState = env.RELAY_CLIENT_STATE?.trim() || undefined;
  if (clientState !== undefined && clientState.length > 128)
    throw new Error('RELAY_CLIENT_STATE is longer than the 128 characters Graph accepts');
  const requiredScope = env.RELAY_REQUIRED_SCOPE?.trim() || undefined;
  if (requiredScope !== undefined && !isScopeName(requiredScope)) {
    throw new Error(
      `RELAY_REQUIRED_SCOPE=${requiredScope} is not a scope name as the API registration exposes it (access_as_user, not api://<id>/access_as_user)`,
    );
  }
  const idsPerUser = wholeNumber(env, 'RELAY_MAX_IDS_PER_USER', 1, 1_000_000);
  const idsPerTenant = wholeNumber(env, 'RELAY_MAX_IDS_PER_TENANT', 1, 10_000_000);
  const quotas = {
    ...(idsPerUser !== undefined ? { idsPerUser } : {}),
    ...(idsPerTenant !== undefined ? { idsPerTenant } : {}),
  };
  const check = env.RELAY_CHECK_USERS?.trim().toLowerCase();
  if (check && !['true', 'false', '1', '0'].includes(check))
    throw new Error(`RELAY_CHECK_USERS=${env.RELAY_CHECK_USERS} is not true or false`);
  const groups = env.RELAY_FANOUT_GROUPS?.trim().toLowerCase();
  if (groups && !['true', 'false', '1', '0'].includes(groups))
    throw new Error(`RELAY_FANOUT_GROUPS=${env.RELAY_FANOUT_GROUPS} is not true or false`);
  const checkSeconds = wholeNumber(env, 'RELAY_CHECK_SECONDS', 1, 3600);
  const heartbeatSeconds = wholeNumber(env, 'RELAY_HEARTBEAT_SECONDS', 0, 3600);
  const keeperLeaseSeconds = wholeNumber(env, 'RELAY_KEEPER_LEASE_SECONDS', 15, 60);
  const hub = env.RELAY_HUB?.trim() || 'presence';
  if (!isHubName(hub))
    throw new Error(
      `RELAY_HUB=${hub} is not a hub name Azure SignalR Service takes: a letter, then up to 127 letters, digits or _\`,.[]`,
    );
  const eventHub = eventHubUrl(env, tenantId);
  const store = storeFromEnv(env);
  // Each instance makes its own groups, and a user may be in 100 groups in all (group-members.ts): two instances
  // would end each other's memberships without a word.
  if ((groups === 'true' || groups === '1') && store.kind === 'table')
    throw new Error(
      'RELAY_FANOUT_GROUPS=true is for one instance, and RELAY_STORE=table is for several: use one or the other',
    );
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
    hub,
    ...(clientState !== undefined ? { clientState } : {}),
    notificationUrl: eventHub ?? `${base}/api/notifications`,
    lifecycleNotificationUrl: eventHub ?? `${base}/api/lifecycle`,
    certificate,
    previousCertificates,
    storePath: env.RELAY_STORE_PATH ?? '.relay/state.json',
    store,
    ...(env.RELAY_ALLOWED_ORIGINS?.trim() ? { allowedOrigins: parseAllowedOrigins(env.RELAY_ALLOWED_ORIGINS) } : {}),
    ...(env.RELAY_JOURNAL_PATH?.trim() ? { journalPath: env.RELAY_JOURNAL_PATH.trim() } : {}),
    ...(env.RELAY_TLS_CA_PATH ? { tlsCa: readFileSync(env.RELAY_TLS_CA_PATH, 'utf8') } : {}),
    ...(workers !== undefined ? { decryptWorkers: workers } : {}),
    ...(lease !== undefined ? { watchLeaseSeconds: lease } : {}),
    ...(requiredScope !== undefined ? { requiredScope } : {}),
    ...(Object.keys(quotas).length ? { quotas } : {}),
    ...(check === 'true' || check === '1' ? { checkUsers: true } : {}),
    ...(groups === 'true' || groups === '1' ? { fanoutGroups: true } : {}),
    ...(checkSeconds !== undefined ? { checkSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
    ...(keeperLeaseSeconds !== undefined ? { keeperLeaseSeconds } : {}),
  };
}

/** An optional whole-number setting within bounds, or a message naming it. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name}=${text} is not a whole number from ${min} to ${max}`);
  return value;
}

/** Graph's limit on encryptionCertificateId (Managing encryption keys, change-notifications-with-resource-data). */
const MAX_CERTIFICATE_ID = 128;

/** The id a certificate is given unless one is configured: from its fingerprint, so a new certificate gets a new id. */
function certificateIdOf(cert: X509Certificate): string {
  return cert.fingerprint.replace(/:/g, '').slice(0, 16);
}

function belongsTo(privateKey: KeyObject, cert: X509Certificate): boolean {
  const der = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  return der(createPublicKey(privateKey)).equals(der(cert.publicKey));
}

/**
 * The key of the certificate in use before a roll: `RELAY_PREVIOUS_PRIVATE_KEY_PATH`, with the id it had, given as
 * `RELAY_PREVIOUS_CERTIFICATE_ID` or read from its certificate (`RELAY_PREVIOUS_CERTIFICATE_PATH`, the same way
 * the current certificate's id is made). Notifications name the certificate by id, so the two ids must differ.
 */
function previousCertificatesFrom(env: NodeJS.ProcessEnv, currentId: string): RelaySettings['previousCertificates'] {
  const keyPath = env.RELAY_PREVIOUS_PRIVATE_KEY_PATH?.trim();
  const certPath = env.RELAY_PREVIOUS_CERTIFICATE_PATH?.trim();
  const givenId = env.RELAY_PREVIOUS_CERTIFICATE_ID?.trim();
  if (!keyPath) {
    if (certPath || givenId)
      throw new Error(
        'RELAY_PREVIOUS_CERTIFICATE_PATH / RELAY_PREVIOUS_CERTIFICATE_ID need RELAY_PREVIOUS_PRIVATE_KEY_PATH: the previous key is what decrypts',
      );
    return [];
  }
  if (!certPath && !givenId)
    throw new Error(
      'RELAY_PREVIOUS_PRIVATE_KEY_PATH needs RELAY_PREVIOUS_CERTIFICATE_PATH or RELAY_PREVIOUS_CERTIFICATE_ID: notifications name the certificate they were encrypted with by its id',
    );
  let id: string;
  let privateKeyPem: string;
  try {
    privateKeyPem = readFileSync(keyPath, 'utf8');
    const privateKey = createPrivateKey(privateKeyPem);
    const cert = certPath ? new X509Certificate(readFileSync(certPath)) : undefined;
    if (cert && !belongsTo(privateKey, cert))
      throw new Error(`the private key in ${keyPath} does not belong to the certificate in ${certPath}`);
    id = givenId || certificateIdOf(cert!);
  } catch (error) {
    throw new Error(`RELAY_PREVIOUS_CERTIFICATE_PATH / RELAY_PREVIOUS_PRIVATE_KEY_PATH: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (id.length > MAX_CERTIFICATE_ID)
    throw new Error(`RELAY_PREVIOUS_CERTIFICATE_ID is longer than the ${MAX_CERTIFICATE_ID} characters Graph accepts`);
  if (id === currentId) {
    throw new Error(
      `RELAY_PREVIOUS_CERTIFICATE_ID: the previous certificate has the same id as the current one (${id}); give the new certificate a new id (RELAY_CERTIFICATE_ID), or leave it unset to derive one from the certificate`,
    );
  }
  return [{ id, privateKeyPem }];
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
  const namespace = (
    env.GRAPH_EVENT_HUB_NAMESPACE?.trim() ||
    env.GRAPH_EVENT_HUB_CONNECTION__fullyQualifiedNamespace?.trim() ||
    fromConnection ||
    ''
  ).replace(/^https?:\/\/|\/+$/g, '');
  if (!namespace) {
    throw new Error(
      'GRAPH_EVENT_HUB_NAME is set, so Graph delivers to that Event Hub: give its namespace in GRAPH_EVENT_HUB_NAMESPACE (contoso, or contoso.servicebus.windows.net)',
    );
  }
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(namespace) || !/^[\w.-]+$/.test(hub))
    throw new Error(
      `GRAPH_EVENT_HUB_NAMESPACE=${namespace} / GRAPH_EVENT_HUB_NAME=${hub} is not an Event Hubs namespace and hub name`,
    );
  const host = namespace.includes('.') ? namespace : `${namespace}.servicebus.windows.net`;
  return `EventHub:https://${host}/eventhubname/${hub}?tenantId=${encodeURIComponent(tenantId)}`;
}
