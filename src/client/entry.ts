import { isStale } from '../presence/stale.js';
import type { Presence } from '../presence/types.js';
import type { PersonSnapshot, Profile } from './types.js';

/** What the client knows about one person, and who listens. */
export interface Entry {
  id: string;
  watchers: number;
  presence?: Presence;
  /** The presence fields as last received, merged: a partial update is laid over them. */
  raw?: Record<string, unknown>;
  receivedAt?: number;
  /** The `receivedAt` listeners were last told about. */
  toldAt?: number;
  failed?: boolean;
  /** A presence read is on its way (queued, held for a full chunk, or sent): watching again asks nothing more. */
  reading?: boolean;
  error?: string;
  errorKind?: PersonSnapshot['errorKind'];
  profile?: Profile;
  /** The profile was asked for and the answer is in: found, not found, or failed. */
  profileRead?: boolean;
  wantsProfile: boolean;
  wantsPhoto: boolean;
  photo?: Blob | null;
  photoUrl?: string | null;
  listeners: Set<() => void>;
}

export function newEntry(id: string): Entry {
  return { id, watchers: 0, listeners: new Set(), wantsProfile: false, wantsPhoto: false };
}

const textOnly = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * The directory fields the client keeps from a profile: text only, since a source of the page's own may send any
 * type (a field of another type is no value, as the Graph source reads it).
 */
export function keptProfile(profile: Profile): Profile {
  return {
    id: profile.id,
    displayName: textOnly(profile.displayName),
    userPrincipalName: textOnly(profile.userPrincipalName),
    mail: textOnly(profile.mail),
    jobTitle: textOnly(profile.jobTitle),
  };
}

/** Tells the entry's listeners, remembering which `receivedAt` they were told. */
export function tell(entry: Entry): void {
  entry.toldAt = entry.receivedAt;
  for (const listener of entry.listeners) listener();
}

/** The person as an element sees them: what is known under `key`, and whether it may be out of date at `now`. */
export function snapshotOf(key: string, entry: Entry | undefined, staleAfterMs: number, now: number): PersonSnapshot {
  if (!entry) return { key, stale: false };
  const snapshot: PersonSnapshot = { key, id: entry.id, stale: isStale(entry, staleAfterMs, now) };
  if (entry.presence) snapshot.presence = entry.presence;
  if (entry.receivedAt !== undefined) snapshot.receivedAt = entry.receivedAt;
  if (entry.profile) snapshot.profile = entry.profile;
  else if (entry.wantsProfile && !entry.profileRead) snapshot.profilePending = true;
  if (entry.photo === null) snapshot.photoUrl = null;
  else if (entry.photoUrl) snapshot.photoUrl = entry.photoUrl;
  if (entry.error) snapshot.error = entry.error;
  if (entry.error && entry.errorKind) snapshot.errorKind = entry.errorKind;
  return snapshot;
}
