import type { TokenProvider } from '../auth/token-provider.js';
import type { PresenceTransport } from '../transports/transport.js';
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
