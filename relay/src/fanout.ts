// Who watches whom, and sending each user exactly the presences they watch through Azure SignalR Service's REST API,
// several updates per message.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseConnectionString, serverToken, type SignalRConnection } from '../../common/signalr-connection.js';
import { isHubName, isUserId } from '../../common/signalr-names.js';
import { retryAfterMs } from '../../src/graph/retry.js';
import type { RelayPresence } from './notifications.js';
import type { StoredSession } from './store.js';

/** The most ids one session (a page, a tab) may watch through the relay. */
export const MAX_WATCHED_PER_USER = 10_000;
/** The most sessions one user may keep; a new one beyond that ends the one whose lease ends first. */
export const MAX_SESSIONS_PER_USER = 20;
/** The session of a watch request that names none: one per user. */
export const DEFAULT_SESSION = '';

interface Session { ids: Set<string>; expiresAt: number }

/** Which ids became watched (by anyone) and which are watched by no one any more. */
export interface WatchChange { added: string[]; removed: string[] }

/**
 * What each user watches, per session (each page or tab says what it shows, under an id of its own, and renews
 * it before its lease ends). A user watches the union of their sessions; fan-out goes to users.
 */
export class Watchers {
  private readonly byUser = new Map<string, Map<string, Session>>();
  /** id -> user -> how many of the user's sessions watch it. */
  private readonly byId = new Map<string, Map<string, number>>();

  /**
   * Replaces what one session of a user watches (an empty list ends the session) and sets when its lease ends.
   * Returns the ids no one watched before and the ids no one watches any more.
   */
  set(userId: string, ids: string[], options: { session?: string; expiresAt?: number } = {}): WatchChange {
    const session = options.session ?? DEFAULT_SESSION;
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
      }
    }
    // Taken before anything is let go, so an id moving between sessions is never reported as removed.
    for (const id of next) if (!previous?.ids.has(id)) this.take(userId, id, change);
    for (const id of previous?.ids ?? []) if (!next.has(id)) this.drop(userId, id, change);
    for (const old of evicted) for (const id of old.ids) this.drop(userId, id, change);
    sessions.set(session, { ids: next, expiresAt: options.expiresAt ?? Number.POSITIVE_INFINITY });
    return change;
  }

  /** Ends every session whose lease ended at or before `now`. */
  expire(now: number): WatchChange & { sessions: number } {
    const change = { added: [], removed: [], sessions: 0 };
    for (const [userId, sessions] of [...this.byUser]) {
      for (const [session, { expiresAt }] of [...sessions]) {
        if (expiresAt > now) continue;
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
    return Object.fromEntries([...(this.byUser.get(userId) ?? [])].map(([session, s]) => [session, { ids: [...s.ids], expiresAt: s.expiresAt }]));
  }

  /** Every session, to store. */
  snapshot(): Record<string, Record<string, StoredSession>> {
    return Object.fromEntries(this.users().map((userId) => [userId, this.sessionsOf(userId)]));
  }
}

/** The hub method that asks pages to read ids again from Graph. */
export const RESYNC_TARGET = 'resync';

/** How one send to SignalR Service went. */
interface Sent { status: number; retryAfterMs?: number }

function post(url: string, token: string, body: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          const wait = retryAfterMs(res.headers['retry-after']);
          resolve({ status: res.statusCode ?? 0, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('SignalR Service timed out')));
    req.end(body);
  });
}

/** Worth sending again: the service was unreachable, throttled (429) or failing (5xx). */
const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

export interface FanOutOptions {
  hub?: string;
  target?: string;
  /**
   * The waits before each retry of a failed send (network error, 429, 5xx); their count bounds the retries.
   * Default 0.5 s, 1.5 s, 4 s, each with up to 25% jitter. A Retry-After longer than the wait is honoured.
   */
  retryDelaysMs?: number[];
  /** A send is given up once this long has passed since its first attempt. Default 10 s. */
  retryBudgetMs?: number;
}

/** What one `publish` did. */
export interface Published { messages: number; presences: number; failures: number; retries: number; superseded: number }

export class FanOut {
  private readonly connection: SignalRConnection;
  private readonly hub: string;
  private readonly target: string;
  private readonly retryDelaysMs: number[];
  private readonly retryBudgetMs: number;
  /** Messages sent and presences delivered, sends given up, retries made and stale retries dropped, for the bench. */
  readonly counts = { messages: 0, presences: 0, failures: 0, retries: 0, superseded: 0 };
  /** Publications, numbered, so a retry can tell whether a newer update for an id went out since. */
  private serial = 0;
  /** Ids some publication is still sending (or retrying): the newest publication naming them, and how many do. */
  private readonly inFlight = new Map<string, { newest: number; sending: number }>();

  constructor(connectionString: string, options: FanOutOptions = {}) {
    this.connection = parseConnectionString(connectionString);
    this.hub = options.hub ?? 'presence';
    // The service refuses every call to a hub it cannot name (400): better said once, at start.
    if (!isHubName(this.hub)) throw new Error(`"${this.hub}" is not a hub name Azure SignalR Service takes: a letter, then up to 127 letters, digits or _\`,.[]`);
    this.target = options.target ?? 'presence';
    this.retryDelaysMs = options.retryDelaysMs ?? [500, 1500, 4000];
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
  }

  /**
   * Sends every watcher the presences they watch, in one message per user. Each user's send is retried on its own
   * (the others are not held up); a retry leaves out the presences a newer publication has sent since.
   */
  publish(presences: RelayPresence[], watchers: Watchers): Promise<Published> {
    return this.fan(presences, watchers, this.target);
  }

  /**
   * Tells every watcher of these ids to read them again from Graph (target `resync`, argument: the ids), for
   * changes the relay could not read itself: a page never gets a guess, it gets the truth from Graph.
   */
  resync(ids: string[], watchers: Watchers): Promise<Published> {
    return this.fan(ids.map((id) => ({ id })), watchers, RESYNC_TARGET);
  }

  private async fan(presences: Array<{ id: string }>, watchers: Watchers, target: string): Promise<Published> {
    const serial = ++this.serial;
    const perUser = new Map<string, Array<{ id: string }>>();
    for (const presence of presences) {
      for (const user of watchers.watchersOf(presence.id)) {
        let list = perUser.get(user);
        if (!list) perUser.set(user, (list = []));
        list.push(presence);
      }
    }
    const done: Published = { messages: 0, presences: 0, failures: 0, retries: 0, superseded: 0 };
    if (!perUser.size) return done;
    const ids = [...new Set(presences.map((p) => p.id))];
    this.hold(ids, serial);
    try {
      await Promise.all([...perUser].map(([user, list]) => this.send(user, list, serial, done, target)));
    } finally {
      this.release(ids);
    }
    for (const key of Object.keys(done) as Array<keyof Published>) this.counts[key] += done[key];
    return done;
  }

  private async send(user: string, list: Array<{ id: string }>, serial: number, done: Published, target: string): Promise<void> {
    // A user id the service would refuse (it takes 1 to 1,024 characters) is not sent at all. The relay's users are
    // Entra object ids, so this is only a guard.
    if (!isUserId(user)) {
      done.failures++;
      return;
    }
    const url = `${this.connection.endpoint}/api/v1/hubs/${encodeURIComponent(this.hub)}/users/${encodeURIComponent(user)}`;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let sent: Sent;
      try {
        sent = await post(url, serverToken({ accessKey: this.connection.accessKey, audience: url }), JSON.stringify({ target, arguments: [target === RESYNC_TARGET ? list.map((p) => p.id) : list] }));
      } catch {
        sent = { status: 0 };
      }
      if (sent.status >= 200 && sent.status < 300) {
        done.messages++;
        done.presences += list.length;
        return;
      }
      const delay = this.retryDelaysMs[attempt];
      if (!retryable(sent.status) || delay === undefined) break;
      const wait = Math.max(delay * (1 + Math.random() / 4), sent.retryAfterMs ?? 0);
      if (Date.now() + wait - started > this.retryBudgetMs) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      // What a newer publication sent meanwhile is not sent again in its older form.
      const current = list.filter((p) => (this.inFlight.get(p.id)?.newest ?? serial) <= serial);
      done.superseded += list.length - current.length;
      if (!current.length) return;
      list = current;
      done.retries++;
    }
    done.failures++;
  }

  /** Marks ids as being sent by publication `serial` (the newest for them). */
  private hold(ids: string[], serial: number): void {
    for (const id of ids) {
      const entry = this.inFlight.get(id);
      if (entry) {
        entry.newest = Math.max(entry.newest, serial);
        entry.sending++;
      } else this.inFlight.set(id, { newest: serial, sending: 1 });
    }
  }

  private release(ids: string[]): void {
    for (const id of ids) {
      const entry = this.inFlight.get(id);
      if (entry && --entry.sending === 0) this.inFlight.delete(id);
    }
  }
}
