import { tabKeyOf, type TokenProvider } from '../auth/token-provider.js';
import { GraphSource } from '../graph/graph-source.js';
import { DemoSource, DemoTransport } from '../sources/demo.js';
import { PollingTransport } from '../transports/polling.js';
import { SignalRTransport } from '../transports/signalr.js';
import type { PresenceTransport } from '../transports/transport.js';
import { PresenceClient } from './presence-client.js';
import type { Scheduler } from './scheduler.js';
import type { PresenceSource } from './types.js';

export interface CreatePresenceClientOptions {
  /** Where tokens come from: `msalTokenProvider(...)`, `bringYourOwnToken(...)`. Not needed for `demo`. */
  auth?: TokenProvider;
  /**
   * `polling` (default with auth), `signalr` (pushed by the relay, polling while it is unreachable), `demo` (a
   * simulated tenant, no account), `none`, or a transport of your own.
   */
  transport?: 'polling' | 'signalr' | 'demo' | 'none' | PresenceTransport;
  /** For `signalr`: the relay's API root (its `/negotiate` and `/watch`). */
  relayUrl?: string;
  /** For `signalr`: the relay API's scope, e.g. `api://<relay client id>/access_as_user`. */
  relayScopes?: string[];
  /** Graph's root; default `https://graph.microsoft.com`. */
  graphBaseUrl?: string;
  /** The scopes other people's profiles are read with (see `GraphSourceOptions.profileScopes`). */
  profileScopes?: string[];
  /** Between polls. Default 30 s; kept between 1 s and 1 hour (a value outside is reported through `onError`). */
  pollingIntervalMs?: number;
  /**
   * Tabs share one poller under this key: the visible tab holding it polls every tab's ids with its own source and
   * the others listen. Name what the presences come from (the app's client id, the tenant, Graph's root), so that
   * other apps and tenants on the same origin keep their own poller. By default, the token provider's `tabKey`
   * with Graph's root (`msalTokenProvider` has one: its client id and authority); `false`, or a provider without
   * a `tabKey`, polls in every tab. `<presence-provider>` sets it for you.
   */
  shareAcrossTabs?: string | false;
  /** Changes per second of the demo transport. Default 1. */
  demoRate?: number;
  /** A source of your own (replaces Graph). */
  source?: PresenceSource;
  /** A presence older than this is shown as stale. Default 5 minutes. */
  staleAfterMs?: number;
  /** The clock and timers the client and its transport run on; default the page's. Tests move time with it. */
  scheduler?: Scheduler;
}

/** Tabs share a poller when they poll for the same app, tenant and Graph: what the token provider names. */
function defaultTabKey(options: CreatePresenceClientOptions): string | false {
  const key = options.auth?.tabKey;
  if (!key || options.source) return false;
  return `${key} ${tabKeyOf([options.graphBaseUrl ?? 'https://graph.microsoft.com'])}`;
}

/** Makes a presence client from plain options. */
export function createPresenceClient(options: CreatePresenceClientOptions = {}): PresenceClient {
  const demo = options.transport === 'demo';
  let source = options.source;
  if (!source) {
    if (demo) source = new DemoSource();
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
  const polling = () =>
    new PollingTransport({
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
    transport = new SignalRTransport({
      relayUrl: options.relayUrl,
      auth: options.auth,
      relayScopes: options.relayScopes ?? [],
      fallback: polling,
      ...clock,
    });
  } else if (demo) {
    transport = new DemoTransport(options.demoRate ?? 1);
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
