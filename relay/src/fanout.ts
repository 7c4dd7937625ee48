// Sending each user exactly the presences they watch (see watchers.ts) through Azure SignalR Service's REST API,
// several updates per message.
import { randomBytes } from 'node:crypto';
import {
  parseConnectionString,
  ServerTokenCache,
  type ServerTokenCacheOptions,
  type SignalRConnection,
} from '../../common/signalr-connection.js';
import { isHubName, isUserId } from '../../common/signalr-names.js';
import { GroupMembers } from './group-members.js';
import type { RelayPresence } from './notifications.js';
import { SignalRRest, type RestReply } from './signalr-rest.js';
import { Undelivered } from './undelivered.js';
import type { Watchers } from './watchers.js';

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
  /**
   * Sends each change once, to a group of SignalR Service per watched id whose members are the users watching it
   * (group-members.ts), instead of one message per watching user: one REST call per change however many watch it.
   * Resyncs still go to each user. Default false.
   */
  groups?: boolean;
}

/** What one `publish` did. */
export interface Published {
  messages: number;
  presences: number;
  failures: number;
  retries: number;
  superseded: number;
}

/** Totals since start; `recovered`: ids re-sent as a resync after their push was given up. */
export type FanOutCounts = Published & { recovered: number };

/** One publication's share of a user's pending message; the publication resolves once all its shares are settled. */
interface Ticket {
  done: Published;
  left: number;
  resolve(): void;
}
/** One id's part of a message, serialized once however many users it goes to: the presence, or for a resync the id. */
interface Item {
  id: string;
  json: string;
}
interface Entry {
  item: Item;
  ticket: Ticket;
}

/**
 * One user's sends, one message at a time: what is published for the user while a send is under way waits, merged
 * (the newest presence of each id wins), and goes in the next message. So the requests to the service never
 * outnumber the users, and a burst of changes costs each user one message per round trip, not one per change.
 */
interface Lane {
  pending: Map<string, Map<string, Entry>>;
  running: boolean;
  url: string;
  /** For a group's lane: the watched id whose group it sends to (its members are brought in line before each send). */
  group?: string;
}

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
  /** With `groups`: one lane per watched id, and who is in each id's group. */
  private readonly groupLanes = new Map<string, Lane>();
  private readonly members: GroupMembers | undefined;
  /** Names this run's groups (see groupOf). */
  private readonly run = randomBytes(6).toString('hex');
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
    if (!isHubName(this.hub))
      throw new Error(
        `"${this.hub}" is not a hub name Azure SignalR Service takes: a letter, then up to 127 letters, digits or _\`,.[]`,
      );
    this.target = options.target ?? 'presence';
    this.retryDelaysMs = options.retryDelaysMs ?? [500, 1500, 4000];
    this.retryBudgetMs = options.retryBudgetMs ?? 10_000;
    this.probeMs = options.recoveryProbeMs ?? 2_000;
    this.rest = new SignalRRest(this.connection.endpoint, options.maxSockets);
    this.tokens = new ServerTokenCache(this.connection.accessKey, options.tokens);
    if (options.groups)
      this.members = new GroupMembers((method, group, user, ttlSeconds) => {
        const url = `${this.groupUrl(group)}/users/${encodeURIComponent(user)}`;
        // The token's audience is the URL without its query.
        const query = ttlSeconds === undefined ? '' : `?ttl=${ttlSeconds}`;
        return this.rest.send(method, `${url}${query}`, this.tokens.for(url));
      });
  }

  /** With `groups`: memberships the relay holds at SignalR Service, over all groups. */
  get memberships(): number {
    return this.members?.size ?? 0;
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
    return this.fan(
      ids.map((id) => ({ id })),
      watchers,
      RESYNC_TARGET,
    );
  }

  /** Stops probing the service and lets go of the connections to it. */
  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.rest.close();
  }

  private fan(presences: Array<{ id: string }>, watchers: Watchers, target: string): Promise<Published> {
    this.watchers = watchers;
    const resync = target === RESYNC_TARGET;
    if (this.members && !resync) return this.fanToGroups(presences, watchers, target);
    const perUser = new Map<string, Item[]>();
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

  /** With `groups`: each watched presence goes once to its id's lane, whose sends go to the id's group. */
  private fanToGroups(presences: Array<{ id: string }>, watchers: Watchers, target: string): Promise<Published> {
    const { ticket, settled } = this.ticket();
    const touched = new Map<string, Lane>();
    for (const presence of presences) {
      if (!watchers.isWatched(presence.id)) continue;
      const item = { id: presence.id, json: JSON.stringify(presence) };
      const lane = this.place(this.groupLanes, presence.id, target, item, ticket, true);
      touched.set(presence.id, lane);
    }
    for (const [id, lane] of touched) if (!lane.running) void this.drain(id, lane, this.groupLanes);
    this.settle(ticket);
    return settled;
  }

  /**
   * Hands each user's share to their lane; resolves once every share is sent, given up or superseded. Nothing of
   * `perUser` is kept meanwhile: what waits is at most one entry per user, target and id (the lanes' pending maps).
   */
  private enqueue(perUser: Map<string, Item[]>, target: string): Promise<Published> {
    const { ticket, settled } = this.ticket();
    for (const [user, list] of perUser) {
      // A user id the service would refuse (it takes 1 to 1,024 characters) is not sent at all. The relay's users
      // are Entra object ids, so this is only a guard.
      if (!isUserId(user)) {
        ticket.done.failures++;
        continue;
      }
      let lane: Lane | undefined;
      for (const item of list) lane = this.place(this.lanes, user, target, item, ticket);
      if (lane && !lane.running) void this.drain(user, lane, this.lanes);
    }
    this.settle(ticket);
    return settled;
  }

  /** A publication's ticket (held once by the publication itself), and its counts added to the totals once settled. */
  private ticket(): { ticket: Ticket; settled: Promise<Published> } {
    const done: Published = { messages: 0, presences: 0, failures: 0, retries: 0, superseded: 0 };
    let resolve!: () => void;
    const over = new Promise<void>((r) => (resolve = r));
    const settled = over.then(() => {
      for (const key of Object.keys(done) as Array<keyof Published>) this.counts[key] += done[key];
      return done;
    });
    return { ticket: { done, left: 1, resolve }, settled };
  }

  /**
   * Puts one item in the lane of `key` (a user, or with `group` a watched id), replacing an older one of the same id
   * still waiting there. The caller starts the lane once everything of the publication is in.
   */
  private place(
    lanes: Map<string, Lane>,
    key: string,
    target: string,
    item: Item,
    ticket: Ticket,
    group = false,
  ): Lane {
    let lane = lanes.get(key);
    if (!lane) {
      lane = group
        ? { pending: new Map(), running: false, url: this.groupUrl(this.groupOf(key)), group: key }
        : { pending: new Map(), running: false, url: this.userUrl(key) };
      lanes.set(key, lane);
    }
    let entries = lane.pending.get(target);
    if (!entries) lane.pending.set(target, (entries = new Map()));
    const older = entries.get(item.id);
    if (older) this.supersede(older);
    else this.waiting++;
    entries.set(item.id, { item, ticket });
    ticket.left++;
    return lane;
  }

  private settle(ticket: Ticket): void {
    if (--ticket.left === 0) ticket.resolve();
  }

  private supersede(entry: Entry): void {
    entry.ticket.done.superseded++;
    this.settle(entry.ticket);
  }

  private async drain(key: string, lane: Lane, lanes: Map<string, Lane>): Promise<void> {
    lane.running = true;
    try {
      for (let next = lane.pending.entries().next(); !next.done; next = lane.pending.entries().next()) {
        const [target, entries] = next.value;
        lane.pending.delete(target);
        this.waiting -= entries.size;
        await this.send(key, lane, target, entries);
      }
    } finally {
      lane.running = false;
      if (!lane.pending.size && lanes.get(key) === lane) lanes.delete(key);
    }
  }

  /**
   * The group of SignalR Service whose members are the watchers of `id`, named for this run of the relay: a group
   * only ever holds the members this run put in it, so a user who stopped watching while the relay was down (or a
   * member an earlier run could not remove) is never sent to.
   */
  private groupOf(id: string): string {
    return `presence.${id}.${this.run}`;
  }

  private groupUrl(group: string): string {
    return `${this.hubUrl}/groups/${encodeURIComponent(group)}`;
  }

  /**
   * Brings the group of `id` in line with who watches it now, before a send to it; returns its members. A watcher
   * the service would not add gets these entries one by one, in their own lane (with the same tickets).
   */
  private async joinGroup(id: string, target: string, entries: Map<string, Entry>): Promise<string[]> {
    const wanted: string[] = [];
    for (const user of this.watchers?.watchersOf(id) ?? []) if (isUserId(user)) wanted.push(user);
    const { members, notAdded } = await this.members!.sync(this.groupOf(id), wanted);
    for (const user of notAdded) {
      let lane: Lane | undefined;
      for (const entry of entries.values()) lane = this.place(this.lanes, user, target, entry.item, entry.ticket);
      if (lane && !lane.running) void this.drain(user, lane, this.lanes);
    }
    return members;
  }

  /** One message to one user (`target`, one argument), through the same pool of connections; not retried. */
  postTo(user: string, target: string, argument: unknown): Promise<RestReply> {
    const url = this.userUrl(user);
    return this.rest.post(url, this.tokens.for(url), JSON.stringify({ target, arguments: [argument] }));
  }

  /**
   * One message to every client connected to the hub (`target`, one argument), through the same pool of connections;
   * not retried. "Broadcast a message to all clients connected to target hub": `POST /api/v1/hubs/{hub}`
   * (https://learn.microsoft.com/azure/azure-signalr/swagger/signalr-data-plane-rest-v1#broadcast-a-message-to-all-clients-connected-to-target-hub).
   */
  broadcast(target: string, argument: unknown): Promise<RestReply> {
    const url = this.hubUrl;
    return this.rest.post(url, this.tokens.for(url), JSON.stringify({ target, arguments: [argument] }));
  }

  private get hubUrl(): string {
    return `${this.connection.endpoint}/api/v1/hubs/${encodeURIComponent(this.hub)}`;
  }

  private userUrl(user: string): string {
    return `${this.hubUrl}/users/${encodeURIComponent(user)}`;
  }

  /**
   * One message (retried as need be) to the user `key`, or with a group's lane to the group of the watched id `key`
   * once its members are brought in line (once per message, not per retry: a retry never reaches anyone twice).
   */
  private async send(key: string, lane: Lane, target: string, entries: Map<string, Entry>): Promise<void> {
    const url = lane.url;
    const started = Date.now();
    const head = `{"target":${JSON.stringify(target)},"arguments":[[`;
    const reached = lane.group === undefined ? [key] : await this.joinGroup(lane.group, target, entries);
    if (!reached.length) {
      // Nobody in the group (no one watches the id now, or every watcher is sent to one by one).
      for (const entry of entries.values()) this.settle(entry.ticket);
      return;
    }
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
        for (const entry of entries.values()) entry.ticket.done.presences += reached.length;
        for (const user of reached) this.undelivered.delivered(user, entries.keys());
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
          for (const user of reached) this.undelivered.add(user, entries.keys());
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
      if (still.length)
        perUser.set(
          user,
          still.map((id) => ({ id, json: JSON.stringify(id) })),
        );
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
