// What a SignalRTransport is made with.
import type { TokenProvider } from '../auth/token-provider.js';
import type { Scheduler } from '../client/scheduler.js';
import type { PresenceTransport } from './transport.js';

export interface SignalRTransportOptions {
  /** The relay's API root, e.g. `https://relay.contoso.com/api` (its `/negotiate` and `/watch` live there). */
  relayUrl: string;
  /** Tokens for the relay's API. */
  auth: TokenProvider;
  /** The relay API's scope, e.g. `api://<relay client id>/access_as_user`. */
  relayScopes: string[];
  /** Makes a transport to use while the relay is unreachable (polling); none by default. */
  fallback?: () => PresenceTransport;
  /** The hub method the relay sends presence with. Default `presence`. */
  target?: string;
  /** The clock and timers the transport's own waits run on (not the SignalR client's). Default the page's own. */
  scheduler?: Scheduler;
}
