import { scopesNeedingConsent } from '../auth/errors.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { GraphPresence } from '../presence/types.js';
import { loadOnce } from '../loading/load-once.js';
import type { ConnectionState, PresenceTransport, TransportSink } from '../transports/transport.js';
import { Aliases, type Resolved } from './aliases.js';
import { WithAlerts } from './alert-shortcuts.js';
import { keptProfile, snapshotOf, tell, type Entry } from './entry.js';
import { callSafely } from './call-safely.js';
import { ErrorReporter, type ClientErrorDetail } from './errors.js';
import { FetchQueue, type FetchKind } from './fetch-queue.js';
import { invalidKey } from './keys.js';
import { OwnPresence } from './own-presence.js';
import type { PresenceClientOptions } from './client-options.js';
import { browserObjectUrls, PersonDetails } from './person-details.js';
import type { PresenceHold } from './presence-hold.js';
import { PresenceReads } from './presence-reads.js';
import { realScheduler, type Scheduler } from './scheduler.js';
import type { PersonSnapshot, PresenceSource, Profile, SnapshotListener, WatchOptions } from './types.js';
import { WatchCounts } from './watch-counts.js';

export { PRESENCE_CHUNK } from '../graph/chunk.js';
export type { ClientErrorDetail } from './errors.js';
export type { PresenceClientOptions } from './client-options.js';

/** The code that pages members, loaded by the first list: a page of avatars never pages members. */
const loadPaging = /* @__PURE__ */ loadOnce('The code that lists members', () => import('./presence-hold.js'));

/**
 * The single source of truth for presence on a page. Elements watch people; the client counts who watches whom,
 * coalesces every watch made in the same task into one batched fetch, applies updates in `sequenceNumber` order,
 * tells listeners, and forgets people nobody watches. No DOM, no Lit.
 */
export class PresenceClient extends WithAlerts {
  readonly source: PresenceSource;
  readonly auth: TokenProvider | undefined;
  readonly transport: PresenceTransport | undefined;
  readonly staleAfterMs: number;
  private readonly clock: Scheduler;
  private readonly abort = new AbortController();
  private readonly people: WatchCounts;
  /** The people known, by id (the same map the helpers below read). */
  private readonly entries: Map<string, Entry>;
  private readonly errors: ErrorReporter;
  private readonly aliases: Aliases;
  private readonly details: PersonDetails;
  private readonly presences: PresenceReads;
  private readonly reads = new FetchQueue((kind, ids) => this.read(kind, ids));
  /** Where presence reads wait while a page of members is being watched. */
  private hold: PresenceHold | undefined;
  private readonly stateListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  private readonly reloadListeners = new Set<() => void>();
  private started = false;
  connectionState: ConnectionState = 'idle';
  /** The signed-in user's own presence: preferred presence, status message, the app's session (`OwnPresence`). */
  readonly myPresence: OwnPresence;

  constructor(options: PresenceClientOptions) {
    super();
    this.source = options.source;
    this.auth = options.auth;
    this.transport = options.transport;
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.clock = options.scheduler ?? realScheduler;
    this.myPresence = new OwnPresence(this, this.clock);
    this.people = new WatchCounts(this.clock, options.keepMs ?? 60_000);
    this.entries = this.people.entries;
    this.errors = new ErrorReporter(this.entries);
    this.presences = new PresenceReads(
      this.source,
      this.entries,
      this.errors,
      this.abort.signal,
      this.clock,
      this.staleAfterMs,
      () => this.connectionState === 'offline',
    );
    this.aliases = new Aliases(this.source, this.errors, this.abort.signal);
    this.details = new PersonDetails(
      this.source,
      this.entries,
      this.errors,
      this.abort.signal,
      options.objectUrls ?? browserObjectUrls,
    );
  }

  // ---- watching ----

  /**
   * Starts watching a person by object id, userPrincipalName or `me`. The listener is called now when something is
   * known, and on every change; what it throws is reported as the page's error and keeps no one else from being
   * told. Returns the function that stops watching. Throws a `TypeError` when the key is not text or the listener
   * not a function.
   */
  watch(key: string, listener: SnapshotListener, options: WatchOptions = {}): () => void {
    if (typeof key != 'string' || typeof listener != 'function')
      throw new TypeError('watch needs a string key and a function listener');
    const told = listener;
    listener = (snapshot) => callSafely(told, snapshot);
    this.ensureStarted();
    const trimmed = key.trim();
    let entry: Entry | undefined;
    let stopped = false;
    const notify = () => {
      if (!stopped) listener(this.snapshot(trimmed, entry));
    };
    const attach: Resolved = (id, profile, error) => {
      if (stopped) return;
      // The lookup failed (it is retried on reload): the person is unknown for now, and the watcher says so.
      if (error) return listener({ key: trimmed, stale: false, error, errorKind: 'profile' });
      if (!id) {
        listener({ key: trimmed, stale: false, error: `No user ${trimmed} was found.` });
        return;
      }
      entry = this.retain(id, options, profile);
      entry.listeners.add(notify);
      notify();
    };
    const refused = invalidKey(trimmed);
    if (refused) {
      listener({ key: trimmed, stale: false, error: refused, errorKind: 'profile' });
      this.errors.report({ message: refused, kind: 'profile', ids: [trimmed] });
      return () => void (stopped = true);
    }
    const id = this.aliases.idFor(trimmed);
    if (id) attach(id);
    else this.aliases.resolve(trimmed, attach);
    if (!entry)
      listener({ key: trimmed, stale: false, ...(options.profile === false ? {} : { profilePending: true }) });
    return () => {
      if (stopped) return;
      stopped = true;
      if (entry) {
        entry.listeners.delete(notify);
        this.release(entry);
      }
    };
  }

  /** The person's current snapshot, without watching. */
  peek(key: string): PersonSnapshot {
    const id = this.aliases.idFor(key);
    return this.snapshot(key, id ? this.entries.get(id) : undefined);
  }

  /** Ids watched by at least one element. */
  watchedIds(): Set<string> {
    return this.people.watchedIds();
  }

  onConnectionState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.connectionState);
    return () => this.stateListeners.delete(listener);
  }

  onError(listener: (detail: ClientErrorDetail) => void): () => void {
    return this.errors.listen(listener);
  }

  /** Stops the transport, cancels every request, frees every photo and stops following other tabs' waiting lists. */
  dispose(): void {
    this.alerts.dispose();
    this.abort.abort();
    this.transport?.stop();
    for (const entry of this.entries.values()) this.details.dropPhotoUrl(entry);
    this.people.clear();
  }

  // ---- data in ----

  /**
   * Applies presences from any source. An update whose `sequenceNumber` is older than the one shown is dropped (it
   * arrived out of order); one with the same `sequenceNumber` confirms the presence shown: it is fresh again, but
   * unchanged. One without a valid `sequenceNumber` is applied as unordered. Presences read from Graph (`readAt`,
   * when the read was sent) are the truth at read time: they are dropped as older only for a presence pushed after
   * the read was sent. Returns how many presences changed.
   */
  applyPresences(presences: GraphPresence[], receivedAt = this.clock.now(), readAt?: number): number {
    return this.presences.apply(presences, receivedAt, readAt);
  }

  /**
   * The members of a team or group, page by page, from the client's source. People watched from `onPage` are read
   * 650 to a request across pages (a page of 999 would otherwise cost two reads, and a team of N members more than
   * ceil(N / 650)); what is left when the last page is in is read then.
   */
  async members(
    kind: 'team' | 'group',
    id: string,
    onPage: (profiles: Profile[]) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const source = this.source;
    if (!source.members) throw new Error("This client's source cannot list team or group members.");
    // Loaded by the first list of members: a page of avatars never pages members.
    const { pageMembers } = await loadPaging();
    await pageMembers(
      {
        read: (ids) => void this.presences.read(ids),
        holdDuring: (hold) => (this.hold = hold),
        leftOver: (left) => {
          const entry = this.entries.get(left);
          if (entry?.watchers) this.reads.add('presence', left);
          else if (entry) entry.reading = false;
        },
      },
      (page) => source.members!(kind, id, page, signal),
      // A source of the page's own may send anything: members with an id, and their fields as the client keeps them.
      (profiles) => onPage(profiles.flatMap((p) => (typeof p?.id == 'string' ? [keptProfile(p)] : []))),
    );
  }

  /**
   * Asks again for everything watched that is missing or failed: presence, names, photos, and people whose
   * userPrincipalName could not be resolved. Call it after signing in.
   */
  reload(): void {
    for (const entry of this.entries.values()) {
      if (entry.watchers === 0) continue;
      this.reads.add('presence', entry.id);
      if (entry.wantsProfile && !entry.profile) this.reads.add('profile', entry.id);
      if (entry.wantsPhoto && entry.photo === undefined) this.reads.add('photo', entry.id);
    }
    this.aliases.retryFailed();
    for (const listener of this.reloadListeners) listener();
  }

  /**
   * The scopes a failed call needs the user's consent for (`ConsentRequiredError`, or a token provider's own error
   * with that `code` and `scopes`); undefined for other failures.
   */
  consentNeededFor(error: unknown): string[] | undefined {
    return scopesNeedingConsent(error);
  }

  /** Whether `grant` can ask the user: the token provider has an interactive `signIn`. */
  get canGrant(): boolean {
    return typeof this.auth?.signIn === 'function';
  }

  /** Asks the user for `scopes` (call it from a click, so a popup may open), then reloads whatever failed. */
  async grant(scopes: string[]): Promise<void> {
    if (!this.auth?.signIn)
      throw new Error("This client's token provider cannot ask the user for consent (it has no signIn).");
    await this.auth.signIn(scopes);
    this.reload();
  }

  /** Calls `listener` after every `reload()` (after sign-in), so lists that failed can load again. */
  onReload(listener: () => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  /** Re-fetches the presence of every watched person (after a reconnection, or when the page comes back). */
  async refresh(ids: string[] = [...this.watchedIds()]): Promise<void> {
    await this.presences.read(ids);
  }

  // ---- internals ----

  private ensureStarted(): void {
    if (this.started || !this.transport) return;
    this.started = true;
    const sink: TransportSink = {
      update: (presences, readAt) => this.applyPresences(presences, this.clock.now(), readAt),
      state: (state, detail) => {
        this.connectionState = state;
        for (const listener of this.stateListeners) listener(state, detail);
      },
      error: (error, ids) => this.errors.fail('transport', error, ids),
      // What a transport could not read again is told back, for it to try again.
      resync: async (ids = [...this.watchedIds()]) => {
        await this.refresh(ids.filter((id) => this.entries.has(id)));
        return ids.filter((id) => this.entries.get(id)?.failed);
      },
      doubt: (ids = [...this.watchedIds()]) => {
        for (const id of ids) {
          const entry = this.entries.get(id);
          if (entry?.presence && !entry.failed) tell(Object.assign(entry, { failed: true }));
        }
      },
      current: (ids) => this.presences.current(ids, this.clock.now()),
    };
    this.transport.start(sink);
  }

  private retain(id: string, options: WatchOptions, profile?: Profile): Entry {
    const entry = this.people.retain(id);
    // A profile that came with resolving a userPrincipalName (or `me`) saves asking for it again.
    if (profile && !entry.profile) entry.profile = keptProfile(profile);
    if (!entry.presence && !entry.reading) {
      entry.reading = true;
      if (this.hold) this.hold.add(id);
      else this.reads.add('presence', id);
    }
    if (options.profile !== false && !entry.wantsProfile) {
      entry.wantsProfile = true;
      if (!entry.profile) this.reads.add('profile', id);
    }
    if (options.photo !== false) {
      entry.wantsPhoto = true;
      if (entry.photo === undefined) this.reads.add('photo', id);
      else this.details.showPhoto(entry);
    }
    if (entry.watchers === 1) this.watchChanged([id], []);
    return entry;
  }

  private release(entry: Entry): void {
    if (!this.people.release(entry)) return;
    this.details.dropPhotoUrl(entry);
    this.watchChanged([], [entry.id]);
  }

  private watchChanged(added: string[], removed: string[]): void {
    this.transport?.watch(this.watchedIds(), added, removed);
  }

  private snapshot(key: string, entry: Entry | undefined): PersonSnapshot {
    return snapshotOf(key, entry, this.staleAfterMs, this.clock.now());
  }

  private read(kind: FetchKind, ids: string[]): Promise<void> {
    if (kind === 'presence') return this.presences.read(ids);
    return kind === 'profile' ? this.details.readProfiles(ids) : this.details.readPhotos(ids);
  }
}
