import { tabKeyOf } from '../auth/token-provider.js';
import { GraphSource } from '../graph/graph-source.js';
import type { SignalRTransportOptions } from '../transports/signalr-options.js';
import { PollingTransport } from '../transports/polling.js';
import type { PresenceTransport } from '../transports/transport.js';
import type { CreatePresenceClientOptions } from './create-options.js';
import { PresenceClient } from './presence-client.js';
import type { PresenceSource } from './types.js';

/** The pieces only some pages use, made by whoever assembles the client. */
export interface ClientParts {
  demoSource(): PresenceSource;
  demoTransport(rate: number): PresenceTransport;
  signalr(options: SignalRTransportOptions): PresenceTransport;
}

/** Tabs share a poller when they poll for the same app, tenant and Graph: what the token provider names. */
function defaultTabKey(options: CreatePresenceClientOptions): string | false {
  const key = options.auth?.tabKey;
  if (!key || options.source) return false;
  return `${key} ${tabKeyOf([options.graphBaseUrl ?? 'https://graph.microsoft.com'])}`;
}

/**
 * Makes a presence client from plain options, with the demo tenant's and the relay transport's code from `parts`:
 * imported statically (`createPresenceClient`) or on demand (`<presence-provider>`).
 */
export function assembleClient(options: CreatePresenceClientOptions, parts: ClientParts): PresenceClient {
  const demo = options.transport === 'demo';
  let source = options.source;
  if (!source) {
    if (demo) source = parts.demoSource();
    else if (options.auth)
      source = new GraphSource({
        auth: options.auth,
        ...(options.graphBaseUrl ? { baseUrl: options.graphBaseUrl } : {}),
        ...(options.profileScopes ? { profileScopes: options.profileScopes } : {}),
      });
    else throw new Error('createPresenceClient needs `auth` (a token provider), a `source`, or `transport: "demo"`.');
  }
  let transport: PresenceTransport | undefined;
  const from = source;
  const clock = options.scheduler ? { scheduler: options.scheduler } : {};
  const polling = (followNetwork = true) =>
    new PollingTransport({
      followNetwork,
      fetch: (ids, signal) => from.presences(ids, signal),
      // Passed as given, 0 and NaN included: the transport keeps it in range and says so.
      ...(options.pollingIntervalMs !== undefined ? { intervalMs: options.pollingIntervalMs } : {}),
      // No shared default: clients of different tenants or apps under one key would poll each other's ids with the
      // wrong source, and never their own.
      shareAcrossTabs: options.shareAcrossTabs ?? defaultTabKey(options),
      ...clock,
    });
  if (options.transport === undefined || options.transport === 'polling') {
    transport = polling();
  } else if (options.transport === 'signalr') {
    if (!options.relayUrl || !options.auth) throw new Error('The signalr transport needs `relayUrl` and `auth`.');
    transport = parts.signalr({
      relayUrl: options.relayUrl,
      auth: options.auth,
      relayScopes: options.relayScopes ?? [],
      // The SignalR transport follows the network itself.
      fallback: () => polling(false),
      ...clock,
    });
  } else if (demo) {
    transport = parts.demoTransport(options.demoRate ?? 1);
  } else if (typeof options.transport === 'object') {
    transport = options.transport;
  }
  return new PresenceClient({
    source,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(transport ? { transport } : {}),
    ...(options.staleAfterMs ? { staleAfterMs: options.staleAfterMs } : {}),
    ...clock,
  });
}
