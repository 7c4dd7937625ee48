// What the signed-in user's own presence takes and needs (own-presence.ts, own-presence-calls.ts).
import type { TokenProvider } from '../auth/token-provider.js';
import type { GraphPresence } from '../presence/types.js';
import type { PersonSnapshot, PresenceSource } from './types.js';

/** A preferred presence: one of the pairs `setUserPreferredPresence` takes (`PREFERRED_PRESENCES`). */
export interface PreferredPresence {
  /** `Available`, `Busy`, `DoNotDisturb`, `BeRightBack`, `Away` or `Offline`. */
  availability: string;
  /** The activity that goes with it: the same value, or `OffWork` with `Offline`. */
  activity: string;
  /** When it ends, in milliseconds from now: 5 minutes to 7 days. Default Graph's (1 day for Busy and DND, else 7). */
  expiresInMs?: number;
  /** The same as an ISO 8601 duration (`PT1H`); give one or the other. */
  expirationDuration?: string;
}

/** A status message for the signed-in user. */
export interface StatusMessage {
  /** The text (or HTML, with `contentType: 'html'`) shown with the presence. Not empty: `clearStatusMessage()`. */
  message: string;
  contentType?: 'text' | 'html';
  /** When it ends (a Date, or milliseconds since the epoch); it stays until cleared when absent. */
  expiresAt?: Date | number;
}

/** What the user's own presence needs from its client (a `PresenceClient` has all of it). */
export interface OwnPresenceHost {
  readonly source: PresenceSource;
  readonly auth: TokenProvider | undefined;
  peek(key: string): PersonSnapshot;
  refresh(ids?: string[]): Promise<void>;
  applyPresences(presences: GraphPresence[], receivedAt?: number, readAt?: number): number;
}
