// What a PresenceClient is made with.
import type { TokenProvider } from '../auth/token-provider.js';
import type { PresenceTransport } from '../transports/transport.js';
import type { ObjectUrls } from './person-details.js';
import type { Scheduler } from './scheduler.js';
import type { PresenceSource } from './types.js';

export interface PresenceClientOptions {
  source: PresenceSource;
  /** Where tokens come from, when the source needs them; `<presence-sign-in>` uses it to sign in and out. */
  auth?: TokenProvider;
  transport?: PresenceTransport;
  /** A presence older than this is shown as stale. Default 5 minutes. */
  staleAfterMs?: number;
  /** How long an unwatched person stays cached (a quick re-watch costs nothing). Default 60 s. */
  keepMs?: number;
  /** Creates object URLs for photos (replaceable in tests and non-browser hosts). */
  objectUrls?: ObjectUrls;
  /** The clock and timers the client runs on. Default the page's own. */
  scheduler?: Scheduler;
}
