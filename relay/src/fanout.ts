// Who watches whom, and sending each user exactly the presences they watch through Azure SignalR Service's REST API,
// several updates per message.
import { parseConnectionString, ServerTokenCache, type ServerTokenCacheOptions, type SignalRConnection } from '../../common/signalr-connection.js';
import { isHubName, isUserId } from '../../common/signalr-names.js';
import type { RelayPresence } from './notifications.js';
import { SignalRRest, type RestReply } from './signalr-rest.js';
import type { StoredSession } from './store.js';
import { Undelivered } from './undelivered.js';

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
  /** Connections to SignalR Service at most (kept alive, shared by every send). Default 256. */
  maxSockets?: number;
  /**
   * While some sends are given up, the service's health (`GET /api/v1/health`) is checked this often; once it
   * answers, the users who missed them are told to re-read those ids. Default 2 s.
   */
  recoveryProbeMs?: number;
  /** The lifetime of the tokens of REST calls and how long before expiry a new one is signed (see ServerTokenCache). */
  tokens?: ServerTokenCacheOptions;
}

/** What one `publish` did. */
export interface Published { messages: number; presences: number; failures: number; retries: number; superseded: number }

/** Totals since start; `recovered`: ids re-sent as a resync after their push was given up. */
export type FanOutCounts = Published & { recovered: number };

/** One publication's share of a user's pending message; the publication resolves once all its shares are settled. */
interface Ticket { done: Published; left: number; resolve(): void }
/** One id's part of a message, serialized once however many users it goes to: the presence, or for a resync the id. */
interface Item { id: string; json: string }
interface Entry { item: Item; ticket: Ticket }

/**
 * One user's sends, one message at a time: what is published for the user while a send is under way waits, merged
 * (the newest presence of each id wins), and goes in the next message. So the requests to the service never
 * outnumber the users, and a burst of changes costs each user one message per round trip, not one per change.
 */
interface Lane { pending: Map<string, Map<string, Entry>>; running: boolean; url: string }

export class FanOut {
  private readonly connection: SignalRConnection;
  private readonly hub: string;
  private readonly target: string;
  private readonly retryDelaysMs: number[];
  private readonly retryBudgetMs: number;
  private readonly probeMs: number;
  private readonly rest: SignalRRest;
  /** One token per request URL, reused until shortly before it expires. */
  private readonly tokens: ServerTokenCache;
  /** Messages sent and presences delivered, sends given up, retries made and stale retries dropped, for the bench. */
  readonly counts: FanOutCounts = { messages: 0, presences: 0, failures: 0, retries: 0, superseded: 0, recovered: 0 };
  private readonly lanes = new Map<string, Lane>();
  /** Entries in the lanes' pending maps, over all users. */
  private waiting = 0;
  /** Per user, the ids whose send was given up: re-read by their pages once the service answers again. */
  readonly undelivered = new Undelivered();
  private watchers: Watchers | undefined;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private recovering = false;
  private closed = false;

  constructor(connectionString: string, options: FanOutOptions = {}) {
    this.connection = parseConnectionString(connectionString);
    this.hub = options.hub ?? 'presence';
    // The service refuses every call to a hub it cannot name (400): better said once, at start.
    if (!isHubName(this.hub)) throw new Error(`"${this.hub}" is not a hub name Azure SignalR Service takes: a letter, then up to 127 letters, digits or _\`,.[]`);
    this.target = options.target ?? 'presence';
    this.retryDelaysMs = options.retryDelaysMs ?? [500, 1500, 4000];
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
    this.probeMs = options.recoveryProbeMs ?? 2_000;
    this.rest = new SignalRRest(this.connection.endpoint, options.maxSockets);
    this.tokens = new ServerTokenCache(this.connection.accessKey, options.tokens);
  }

  /** Sockets open to SignalR Service now, and requests waiting for one. */
  get connections(): { sockets: number; queued: number } {
    return { sockets: this.rest.sockets, queued: this.rest.queued };
  }

  /** Presences waiting for their user's send to SignalR Service (at most one per id watched, per user and target). */
  get backlog(): number {
    return this.waiting;
  }

  /**
   * Sends every watcher the presences they watch, in one message per user. Each user's send is retried on its own
   * (the others are not held up); a retry carries the newest presence of each id, never an older one after a newer.
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

  /** Stops probing the service and lets go of the connections to it. */
  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.rest.close();
  }

  private fan(presences: Array<{ id: string }>, watchers: Watchers, target: string): Promise<Published> {
    this.watchers = watchers;
    const perUser = new Map<string, Item[]>();
    const resync = target === RESYNC_TARGET;
    for (const presence of presences) {
      let item: Item | undefined;
      for (const user of watchers.watchersOf(presence.id)) {
        item ??= { id: presence.id, json: JSON.stringify(resync ? presence.id : presence) };
        let list = perUser.get(user);
        if (!list) perUser.set(user, (list = []));
        list.push(item);
      }
    }
    return this.enqueue(perUser, target);
  }

  /**
   * Hands each user's share to their lane; resolves once every share is sent, given up or superseded. Nothing of
   * `perUser` is kept meanwhile: what waits is at most one entry per user, target and id (the lanes' pending maps).
   */
  private enqueue(perUser: Map<string, Item[]>, target: string): Promise<Published> {
    const done: Published = { messages: 0, presences: 0, failures: 0, retries: 0, superseded: 0 };
    let resolve!: () => void;
    const settled = new Promise<void>((r) => (resolve = r));
    const ticket: Ticket = { done, left: 1, resolve };
    for (const [user, list] of perUser) {
      // A user id the service would refuse (it takes 1 to 1,024 characters) is not sent at all. The relay's users
      // are Entra object ids, so this is only a guard.
      if (!isUserId(user)) {
        done.failures++;
        continue;
      }
      let lane = this.lanes.get(user);
      if (!lane) this.lanes.set(user, (lane = { pending: new Map(), running: false, url: this.userUrl(user) }));
      let entries = lane.pending.get(target);
      if (!entries) lane.pending.set(target, (entries = new Map()));
      for (const item of list) {
        const older = entries.get(item.id);
        if (older) this.supersede(older);
        else this.waiting++;
        entries.set(item.id, { item, ticket });
        ticket.left++;
      }
      if (!lane.running) void this.drain(user, lane);
    }
    this.settle(ticket);
    return settled.then(() => {
      for (const key of Object.keys(done) as Array<keyof Published>) this.counts[key] += done[key];
      return done;
    });
  }

  private settle(ticket: Ticket): void {
    if (--ticket.left === 0) ticket.resolve();
  }

  private supersede(entry: Entry): void {
    entry.ticket.done.superseded++;
    this.settle(entry.ticket);
  }

  private async drain(user: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      for (let next = lane.pending.entries().next(); !next.done; next = lane.pending.entries().next()) {
        const [target, entries] = next.value;
        lane.pending.delete(target);
        this.waiting -= entries.size;
        await this.send(user, lane, target, entries);
      }
    } finally {
      lane.running = false;
      if (!lane.pending.size && this.lanes.get(user) === lane) this.lanes.delete(user);
    }
  }

  /** One message to one user (`target`, one argument), through the same pool of connections; not retried. */
  postTo(user: string, target: string, argument: unknown): Promise<RestReply> {
    const url = this.userUrl(user);
    return this.rest.post(url, this.tokens.for(url), JSON.stringify({ target, arguments: [argument] }));
  }

  private userUrl(user: string): string {
    return `${this.connection.endpoint}/api/v1/hubs/${encodeURIComponent(this.hub)}/users/${encodeURIComponent(user)}`;
  }

  private async send(user: string, lane: Lane, target: string, entries: Map<string, Entry>): Promise<void> {
    const url = lane.url;
    const started = Date.now();
    const head = `{"target":${JSON.stringify(target)},"arguments":[[`;
    for (let attempt = 0; ; attempt++) {
      // `{ target, arguments: [list] }`, built once per attempt from the items' JSON; counts of the message as a
      // whole go to the newest publication in it (the last entry).
      let body = head;
      let first = true;
      let newest!: Published;
      for (const entry of entries.values()) {
        body += first ? entry.item.json : `,${entry.item.json}`;
        first = false;
        newest = entry.ticket.done;
      }
      body += ']]}';
      const sent = await this.rest.post(url, this.tokens.for(url), body);
      if (sent.status >= 200 && sent.status < 300) {
        newest.messages++;
        for (const entry of entries.values()) entry.ticket.done.presences++;
        this.undelivered.delivered(user, entries.keys());
        for (const entry of entries.values()) this.settle(entry.ticket);
        if (this.undelivered.users) this.recover();
        return;
      }
      const delay = this.retryDelaysMs[attempt];
      const wait = Math.max((delay ?? 0) * (1 + Math.random() / 4), sent.retryAfterMs ?? 0);
      if (!retryable(sent.status) || delay === undefined || Date.now() + wait - started > this.retryBudgetMs) {
        newest.failures++;
        // Given up while the service is unreachable or failing: these ids are re-read once it answers again.
        if (retryable(sent.status)) {
          this.undelivered.add(user, entries.keys());
          this.probeSoon();
        }
        for (const entry of entries.values()) this.settle(entry.ticket);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      // What was published for the user meanwhile goes in the retry: the newest presence of each id replaces the
      // older one, which is never sent after it.
      const newer = lane.pending.get(target);
      if (newer) {
        lane.pending.delete(target);
        this.waiting -= newer.size;
        for (const [id, entry] of newer) {
          const older = entries.get(id);
          if (older) {
            entries.delete(id);
            this.supersede(older);
          }
          entries.set(id, entry);
          newest = entry.ticket.done;
        }
      }
      newest.retries++;
    }
  }

  /**
   * Tells each user whose sends were given up to re-read those ids (the ones they still watch), now that a send
   * went through or the service says it is healthy. What fails again is kept for the next time.
   */
  private recover(): void {
    if (this.recovering || this.closed || !this.undelivered.users) return;
    this.recovering = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    const watchers = this.watchers;
    const perUser = new Map<string, Item[]>();
    for (const [user, ids] of this.undelivered.take()) {
      const still = watchers ? ids.filter((id) => [...watchers.watchersOf(id)].includes(user)) : ids;
      if (still.length) perUser.set(user, still.map((id) => ({ id, json: JSON.stringify(id) })));
    }
    void this.enqueue(perUser, RESYNC_TARGET)
      .then((done) => (this.counts.recovered += done.presences))
      .finally(() => {
        this.recovering = false;
        if (this.undelivered.users) this.probeSoon();
      });
  }

  /** While something is undelivered and nothing else goes through, the service's health is checked now and then. */
  private probeSoon(): void {
    if (this.probeTimer || this.recovering || this.closed) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.probeMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    const url = `${this.connection.endpoint}/api/v1/health`;
    const reply = await this.rest.health(url, this.tokens.for(url));
    this.probeTimer = undefined;
    if (reply.status === 200) this.recover();
    else if (this.undelivered.users) this.probeSoon();
  }
}
