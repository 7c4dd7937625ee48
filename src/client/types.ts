import type { GraphPresence, Presence } from '../presence/types.js';
import type { PresenceWrites } from './write-types.js';

/** What the directory says about a person. */
export interface Profile {
  id: string;
  displayName: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  jobTitle?: string | null;
}

/**
 * Where a client gets data on demand. The Graph source asks Microsoft Graph; the demo source makes it up.
 * Every call can be cancelled. A source may also write the signed-in user's own presence (`PresenceWrites`).
 */
export interface PresenceSource extends Partial<PresenceWrites> {
  /** Presences for object ids. */
  presences(ids: string[], signal?: AbortSignal): Promise<GraphPresence[]>;
  /** Profiles for object ids or userPrincipalNames; `me` is the signed-in user. Unknown ones are left out. */
  profiles?(keys: string[], signal?: AbortSignal): Promise<Array<Profile & { key: string }>>;
  /** Photos for object ids: a Blob, or null when the person has none. */
  photos?(ids: string[], signal?: AbortSignal): Promise<Map<string, Blob | null>>;
  /** The members of a team or group, page by page. */
  members?(
    kind: 'team' | 'group',
    id: string,
    onPage: (profiles: Profile[]) => void,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** Everything an element needs to show one person, as the client knows it now. */
export interface PersonSnapshot {
  /** The key the element asked for (id, userPrincipalName or `me`). */
  key: string;
  /** The object id, once known. */
  id?: string;
  presence?: Presence;
  /** When the presence was received (ms since the epoch). */
  receivedAt?: number;
  /** True when the presence is older than the client's `staleAfterMs`, or the last refresh failed. */
  stale: boolean;
  profile?: Profile;
  /**
   * True while the profile (the display name) is being read: the name is not known yet. Absent once it was read, or
   * when it could not be (then the person is shown as unknown).
   */
  profilePending?: boolean;
  /** An object URL for the photo; `null` when the person has none; absent while unknown. */
  photoUrl?: string | null;
  /** The last error for this person, as a message. */
  error?: string;
  /** What `error` is about: the presence (`presence`, `transport`), or only the `profile` or `photo`. */
  errorKind?: 'presence' | 'profile' | 'photo' | 'transport';
}

export type SnapshotListener = (snapshot: PersonSnapshot) => void;

export interface WatchOptions {
  /** Also load the profile (display name). Default true. */
  profile?: boolean;
  /** Also load the photo. Default true. */
  photo?: boolean;
}

export type { GraphPresence };
