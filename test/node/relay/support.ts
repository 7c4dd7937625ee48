import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { join } from 'node:path';
import { DEMO_RELAY_CLIENT_ID, DEMO_RELAY_CLIENT_SECRET, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Subscription } from '../../../emulator/graph/subscriptions.js';
import type { Emulators } from '../../../emulator/index.js';
import type { CertificateAndKey } from '../../../emulator/shared/tls.js';
import type { RelayOptions } from '../../../relay/src/relay.js';
import { TokenBroker } from '../../../relay/src/tokens.js';

/** The relay app's own tokens from the local Entra ID (its client credentials), on the clock `now` if given. */
export function relayBroker(cloud: Emulators, now?: () => number): TokenBroker {
  return new TokenBroker({
    authority: cloud.entra.authority,
    clientId: DEMO_RELAY_CLIENT_ID,
    clientSecret: DEMO_RELAY_CLIENT_SECRET,
    ca: cloud.entra.tlsCertificate,
    ...(now ? { now } : {}),
  });
}

/** A relay's options for the local cloud: its Entra ID, its SignalR Service, one encryption certificate. */
export function localRelayOptions(
  cloud: Emulators,
  certificate: CertificateAndKey,
  clientState: string,
  certificateId = 'cert',
): RelayOptions {
  return {
    clientId: DEMO_RELAY_CLIENT_ID,
    issuers: cloud.entra.issuers,
    // The local cloud's clock, which tokens follow.
    now: () => cloud.entra.clock.now(),
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    clientState,
    encryptionKeys: [{ id: certificateId, privateKey: certificate.privateKey }],
  };
}

/** A token a signed-in user's browser would send the relay. */
export function relayToken(cloud: Emulators, userId: string): string {
  return cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });
}

/** POSTs a watch list to a relay's API root, for one session of the user (or, without one, the user's default). */
export async function watchAt(
  cloud: Emulators,
  relayUrl: string,
  userId: string,
  ids: unknown[],
  session?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${relayUrl}/api/watch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relayToken(cloud, userId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(session === undefined ? { ids } : { ids, session }),
  });
  return { status: res.status, body: await res.json() };
}

export { until } from '../until.js';

/** A port free now, for a relay that must come back on the same one (Graph's subscriptions point at it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** The relay's subscriptions in the Graph emulator. */
export function relaySubscriptions(cloud: Emulators): Subscription[] {
  return cloud.graph.subscriptions.all().filter((s) => s.applicationId === DEMO_RELAY_CLIENT_ID);
}

/** A SignalR connection for a user, through the relay's negotiate, and what it receives. */
export async function connectAs(
  cloud: Emulators,
  relayUrl: string,
  userId: string,
): Promise<{
  connection: HubConnection;
  received: Array<Array<{ id: string; availability: string; sequenceNumber?: string }>>;
}> {
  const connection = new HubConnectionBuilder()
    .withUrl(`${relayUrl}/api`, {
      accessTokenFactory: () => relayToken(cloud, userId),
      transport: HttpTransportType.WebSockets,
    })
    .configureLogging(LogLevel.None)
    .build();
  const received: Array<Array<{ id: string; availability: string; sequenceNumber?: string }>> = [];
  connection.on('presence', (list) => received.push(list));
  await connection.start();
  return { connection, received };
}

/**
 * The relay's settings for the local cloud, as the environment gives them: `dir` holds the Entra emulator's TLS
 * certificate (`ca.pem`) and the relay's notification certificate and key (`cert.pem`, `key.pem`).
 */
export function relayEnv(cloud: Emulators, dir: string, publicUrl: string): Record<string, string> {
  return {
    RELAY_TENANT_ID: cloud.tenant.id,
    RELAY_CLIENT_ID: DEMO_RELAY_CLIENT_ID,
    RELAY_CLIENT_SECRET: DEMO_RELAY_CLIENT_SECRET,
    RELAY_AUTHORITY: cloud.entra.authority,
    RELAY_TLS_CA_PATH: join(dir, 'ca.pem'),
    AZURE_SIGNALR_CONNECTION_STRING: cloud.signalr.connectionString,
    RELAY_PUBLIC_URL: publicUrl,
    RELAY_CERTIFICATE_PATH: join(dir, 'cert.pem'),
    RELAY_PRIVATE_KEY_PATH: join(dir, 'key.pem'),
  };
}

/**
 * A webhook that passes Graph's validation handshake and accepts whatever else is posted (202): enough for a
 * keeper whose notifications are not what a test looks at. `url` is its base, for `<url>/notifications`.
 */
export async function validationReceiver(): Promise<{ url: string; close(): void }> {
  const server = createHttpServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
    res.writeHead(token ? 200 : 202, { 'content-type': 'text/plain' }).end(token ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, close: () => server.close() };
}
