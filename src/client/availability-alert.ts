// An alert of "notify me when available", and when a presence makes one: shared by `client.alerts` and its waits.
import type { TokenProvider } from '../auth/token-provider.js';
import type { Activity, Availability } from '../presence/values.js';
import type { PersonSnapshot, SnapshotListener, WatchOptions } from './types.js';

/** A person the user waited for has just become Available. */
export interface AvailabilityAlert {
  userId: string;
  displayName: string | null;
  availability: Availability;
  activity: Activity;
  /** What they were before, when the client knew. */
  previousAvailability?: Availability;
}

/** What the alerts need from their client (a `PresenceClient` has all of it). */
export interface AlertsHost {
  readonly auth: TokenProvider | undefined;
  watch(key: string, listener: SnapshotListener, options?: WatchOptions): () => void;
  peek(key: string): PersonSnapshot;
  onReload(listener: () => void): () => void;
  onError(listener: () => void): () => void;
}

/** Whether a snapshot tells, fresh and without a presence error, that the person is Available. */
export function showsAvailable(snapshot: PersonSnapshot): boolean {
  const presenceError = !!snapshot.error && snapshot.errorKind !== 'profile' && snapshot.errorKind !== 'photo';
  return !snapshot.stale && !presenceError && snapshot.presence?.availability === 'Available';
}

/** The account key of a client without sign-in (the demo source, a token of the app's own). */
export const NO_ACCOUNT = '*';
