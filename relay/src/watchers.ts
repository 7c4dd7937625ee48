// What each user watches, per session (a page, a tab), with leases: the union of a user's sessions is what the
// fan-out sends them, and the ids watched by anyone are what the keeper covers.
import type { SessionRecord, StoredSession } from './store.js';

/** The most ids one session (a page, a tab) may watch through the relay. */
export const MAX_WATCHED_PER_USER = 10_000;
/** The most sessions one user may keep; a new one beyond that ends the one whose lease ends first. */
export const MAX_SESSIONS_PER_USER = 20;
/** The session of a watch request that names none: one per user. */
export const DEFAULT_SESSION = '';

interface Session {
  ids: Set<string>;
  expiresAt: number;
  /** When the request that set it was made (see StoredSession). */
  updatedAt: number | undefined;
}

/** Which ids became watched (by anyone) and which are watched by no one any more. */
export interface WatchChange {
  added: string[];
  removed: string[];
}

/**
 * What each user watches, per session (each page or tab says what it shows, under an id of its own, and renews
 * it before its lease ends). A user watches the union of their sessions; fan-out goes to users.
 */
export class Watchers {
  private readonly byUser = new Map<string, Map<string, Session>>();
  /** id -> user -> how many of the user's sessions watch it. */
  private readonly byId = new Map<string, Map<string, number>>();
  /**
   * Sessions changed here and not yet stored (`takeChanged`), with the request time an ending is stored with: the
   * ending of a session is stored as of the write it ends, so a renewal made meanwhile elsewhere is not undone.
   */
  private readonly changed = new Map<string, { userId: string; session: string; endedAt: number | undefined }>();

  /**
   * Replaces what one session of a user watches (an empty list ends the session) and sets when its lease ends.
   * Returns the ids no one watched before and the ids no one watches any more.
   */
  set(
    userId: string,
    ids: string[],
    options: { session?: string; expiresAt?: number; updatedAt?: number; stored?: boolean } = {},
  ): WatchChange {
    const session = options.session ?? DEFAULT_SESSION;
    // What was read from the store is not written back to it.
    if (!options.stored) this.mark(userId, session, options.updatedAt);
    const change: WatchChange = { added: [], removed: [] };
    let sessions = this.byUser.get(userId);
    const previous = sessions?.get(session);
    const next = new Set(ids.slice(0, MAX_WATCHED_PER_USER));
    if (!next.size) {
      if (previous) this.end(userId, session, change);
      return change;
    }
    if (!sessions) this.byUser.set(userId, (sessions = new Map()));
    const evicted: Session[] = [];
    if (!previous) {
      while (sessions.size >= MAX_SESSIONS_PER_USER) {
        let oldest: [string, Session] | undefined;
        for (const entry of sessions) if (!oldest || entry[1].expiresAt < oldest[1].expiresAt) oldest = entry;
        sessions.delete(oldest![0]);
        evicted.push(oldest![1]);
        if (!options.stored) this.mark(userId, oldest![0], oldest![1].updatedAt);
      }
    }
    // Taken before anything is let go, so an id moving between sessions is never reported as removed.
    for (const id of next) if (!previous?.ids.has(id)) this.take(userId, id, change);
    for (const id of previous?.ids ?? []) if (!next.has(id)) this.drop(userId, id, change);
    for (const old of evicted) for (const id of old.ids) this.drop(userId, id, change);
    sessions.set(session, {
      ids: next,
      expiresAt: options.expiresAt ?? Number.POSITIVE_INFINITY,
      updatedAt: options.updatedAt,
    });
    return change;
  }

  private mark(userId: string, session: string, endedAt: number | undefined): void {
    this.changed.set(`${userId}\n${session}`, { userId, session, endedAt });
  }

  /** When the stored write of a session was made, if this instance holds it (see `updatedAt` of StoredSession). */
  updatedAt(userId: string, session: string): number | undefined {
    return this.byUser.get(userId)?.get(session)?.updatedAt;
  }

  /** The sessions changed since the last call, to store: each one as it is now, or ended (no ids). */
  takeChanged(): SessionRecord[] {
    const records: SessionRecord[] = [];
    for (const { userId, session, endedAt } of this.changed.values()) {
      const now = this.byUser.get(userId)?.get(session);
      const value: StoredSession = now
        ? { ids: [...now.ids], expiresAt: now.expiresAt }
        : { ids: [], expiresAt: endedAt ?? 0 };
      const updatedAt = now ? now.updatedAt : endedAt;
      if (updatedAt !== undefined) value.updatedAt = updatedAt;
      records.push({ userId, session, value });
    }
    this.changed.clear();
    return records;
  }

  /**
   * Ends every session whose lease ended at or before `now`. Each ending is stored as of the write it ends (its
   * `updatedAt`), so a renewal stored meanwhile by another instance wins.
   */
  expire(now: number): WatchChange & { sessions: number } {
    const change = { added: [], removed: [], sessions: 0 };
    for (const [userId, sessions] of [...this.byUser]) {
      for (const [session, { expiresAt, updatedAt }] of [...sessions]) {
        if (expiresAt > now) continue;
        this.mark(userId, session, updatedAt);
        this.end(userId, session, change);
        change.sessions++;
      }
    }
    return change;
  }

  private end(userId: string, session: string, change: WatchChange): void {
    const sessions = this.byUser.get(userId);
    const ended = sessions?.get(session);
    if (!sessions || !ended) return;
    sessions.delete(session);
    if (!sessions.size) this.byUser.delete(userId);
    for (const id of ended.ids) this.drop(userId, id, change);
  }

  private take(userId: string, id: string, change: WatchChange): void {
    let users = this.byId.get(id);
    if (!users) {
      this.byId.set(id, (users = new Map()));
      change.added.push(id);
    }
    users.set(userId, (users.get(userId) ?? 0) + 1);
  }

  private drop(userId: string, id: string, change: WatchChange): void {
    const users = this.byId.get(id);
    const count = users?.get(userId);
    if (!users || count === undefined) return;
    if (count > 1) users.set(userId, count - 1);
    else users.delete(userId);
    if (!users.size) {
      this.byId.delete(id);
      change.removed.push(id);
    }
  }

  /** Whether anyone watches an id. */
  isWatched(id: string): boolean {
    return this.byId.has(id);
  }

  /** The users watching an id (through any of their sessions). */
  watchersOf(id: string): Iterable<string> {
    return this.byId.get(id)?.keys() ?? [];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }

  /** A user's sessions, with their ids and when their leases end. */
  sessionsOf(userId: string): Record<string, StoredSession> {
    return Object.fromEntries(
      [...(this.byUser.get(userId) ?? [])].map(([session, s]) => [
        session,
        { ids: [...s.ids], expiresAt: s.expiresAt },
      ]),
    );
  }

  /** Every session, to store. */
  snapshot(): Record<string, Record<string, StoredSession>> {
    return Object.fromEntries(this.users().map((userId) => [userId, this.sessionsOf(userId)]));
  }
}
