import { scopesNeedingConsent } from '../auth/errors.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { mergePresence, presenceFields } from '../presence/merge.js';
import { normalizePresence } from '../presence/normalize.js';
import { compareSequence } from '../presence/sequence.js';
import { invalidKey } from './keys.js';
import { PRESENCE_CHUNK, PresenceHold } from './presence-hold.js';
import type { GraphPresence, Presence } from '../presence/types.js';
import type { ConnectionState, PresenceTransport, TransportSink } from '../transports/transport.js';
import type { PersonSnapshot, PresenceSource, Profile, SnapshotListener, WatchOptions } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export { PRESENCE_CHUNK } from './presence-hold.js';

interface Entry {
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
  errorKind?: ClientErrorDetail['kind'];
  profile?: Profile;
  wantsProfile: boolean;
  wantsPhoto: boolean;
  photo?: Blob | null;
  photoUrl?: string | null;
  listeners: Set<() => void>;
}

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
  objectUrls?: { create(blob: Blob): string; revoke(url: string): void };
}

export interface ClientErrorDetail { message: string; ids?: string[]; kind: 'presence' | 'profile' | 'photo' | 'transport' }

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The single source of truth for presence on a page. Elements watch people; the client counts who watches whom,
 * coalesces every watch made in the same task into one batched fetch, applies updates in `sequenceNumber` order,
 * tells listeners, and forgets people nobody watches. No DOM, no Lit.
 */
export class PresenceClient {
  readonly source: PresenceSource;
  readonly auth: TokenProvider | undefined;
  readonly transport: PresenceTransport | undefined;
  readonly staleAfterMs: number;
  private readonly keepMs: number;
  private readonly entries = new Map<string, Entry>();
  /** Keys (UPN, `me`) resolved to ids. */
  private readonly aliases = new Map<string, string>();
  private readonly pendingAliases = new Map<string, Set<(id: string | undefined, profile?: Profile) => void>>();
  /** Keys whose lookup failed (for example before sign-in), retried by `reload()`. */
  private readonly failedAliases = new Map<string, Set<(id: string | undefined, profile?: Profile) => void>>();
  private pendingPresence = new Set<string>();
  private pendingProfiles = new Set<string>();
  private pendingPhotos = new Set<string>();
  private flushScheduled = false;
  /** Where presence reads wait while a page of members is being watched. */
  private hold: PresenceHold | undefined;
  private readonly abort = new AbortController();
  private readonly stateListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  private readonly errorListeners = new Set<(detail: ClientErrorDetail) => void>();
  private readonly forgetTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly reloadListeners = new Set<() => void>();
  private readonly objectUrls: NonNullable<PresenceClientOptions['objectUrls']>;
  private started = false;
  connectionState: ConnectionState = 'idle';

  constructor(options: PresenceClientOptions) {
    this.source = options.source;
    this.auth = options.auth;
    this.transport = options.transport;
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.keepMs = options.keepMs ?? 60_000;
    this.objectUrls = options.objectUrls ?? { create: (b) => URL.createObjectURL(b), revoke: (u) => URL.revokeObjectURL(u) };
  }

  // ---- watching ----

  /**
   * Starts watching a person by object id, userPrincipalName or `me`. The listener is called now when something is
   * known, and on every change. Returns the function that stops watching.
   */
  watch(key: string, listener: SnapshotListener, options: WatchOptions = {}): () => void {
    this.ensureStarted();
    const trimmed = key.trim();
    let entry: Entry | undefined;
    let stopped = false;
    const notify = () => {
      if (!stopped) listener(this.snapshot(trimmed, entry));
    };
    const attach = (id: string | undefined, profile?: Profile) => {
      if (stopped) return;
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
      this.report({ message: refused, kind: 'profile', ids: [trimmed] });
      return () => void (stopped = true);
    }
    const id = GUID.test(trimmed) ? trimmed : this.aliases.get(trimmed.toLowerCase());
    if (id) attach(id);
    else this.resolve(trimmed, attach);
    if (!entry) listener({ key: trimmed, stale: false });
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
    const id = GUID.test(key) ? key : this.aliases.get(key.toLowerCase());
    return this.snapshot(key, id ? this.entries.get(id) : undefined);
  }

  /** Ids watched by at least one element. */
  watchedIds(): Set<string> {
    return new Set([...this.entries.values()].filter((e) => e.watchers > 0).map((e) => e.id));
  }

  onConnectionState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.connectionState);
    return () => this.stateListeners.delete(listener);
  }

  onError(listener: (detail: ClientErrorDetail) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Stops the transport, cancels every request and frees every photo. */
  dispose(): void {
    this.abort.abort();
    this.transport?.stop();
    for (const entry of this.entries.values()) this.dropPhotoUrl(entry);
    for (const timer of this.forgetTimers.values()) clearTimeout(timer);
    this.entries.clear();
  }

  // ---- data in ----

  /**
   * Applies presences from any source. An update whose `sequenceNumber` is older than the one shown is dropped (it
   * arrived out of order); one with the same `sequenceNumber` confirms the presence shown: it is fresh again, but
   * unchanged. One without a valid `sequenceNumber` is applied as unordered. Presences read from Graph (`readAt`,
   * when the read was sent) are the truth at read time: they are dropped as older only for a presence pushed after
   * the read was sent. Returns how many presences changed.
   */
  applyPresences(presences: GraphPresence[], receivedAt = Date.now(), readAt?: number): number {
    let applied = 0;
    for (const raw of presences) {
      const id = typeof raw?.id === 'string' ? raw.id : undefined;
      const entry = id ? this.entries.get(id) : undefined;
      if (!entry) continue;
      // A partial update (a push with availability and activity only) keeps what it does not send.
      const merged = entry.raw ? mergePresence(entry.raw, raw) : raw;
      const next = normalizePresence(merged);
      const order = compareSequence(next.sequenceNumber, entry.presence?.sequenceNumber);
      if (order === 'same') {
        this.confirm(entry, receivedAt);
        continue;
      }
      if (order === 'older' && (readAt === undefined || (entry.receivedAt ?? 0) > readAt)) continue;
      entry.presence = next;
      entry.raw = presenceFields(merged);
      entry.receivedAt = receivedAt;
      entry.failed = false;
      delete entry.error;
      applied++;
      this.changed(entry);
    }
    return applied;
  }

  /**
   * The members of a team or group, page by page, from the client's source. People watched from `onPage` are read
   * 650 to a request across pages (a page of 999 would otherwise cost two reads, and a team of N members more than
   * ceil(N / 650)); what is left when the last page is in is read then.
   */
  async members(kind: 'team' | 'group', id: string, onPage: (profiles: Profile[]) => void, signal?: AbortSignal): Promise<void> {
    if (!this.source.members) throw new Error('This client\'s source cannot list team or group members.');
    const held = new PresenceHold((ids) => void this.fetchPresences(ids));
    try {
      await this.source.members(kind, id, (profiles) => {
        this.hold = held;
        try {
          onPage(profiles);
        } finally {
          this.hold = undefined;
        }
        held.readFull();
      }, signal);
    } finally {
      for (const left of held.take()) {
        const entry = this.entries.get(left);
        if (entry?.watchers) this.queue(this.pendingPresence, left);
        else if (entry) entry.reading = false;
      }
    }
  }

  /**
   * Asks again for everything watched that is missing or failed: presence, names, photos, and people whose
   * userPrincipalName could not be resolved. Call it after signing in.
   */
  reload(): void {
    for (const entry of this.entries.values()) {
      if (entry.watchers === 0) continue;
      this.queue(this.pendingPresence, entry.id);
      if (entry.wantsProfile && !entry.profile) this.queue(this.pendingProfiles, entry.id);
      if (entry.wantsPhoto && entry.photo === undefined) this.queue(this.pendingPhotos, entry.id);
    }
    const failed = [...this.failedAliases];
    this.failedAliases.clear();
    for (const [key, callbacks] of failed) for (const callback of callbacks) this.resolve(key, callback);
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
    if (!this.auth?.signIn) throw new Error('This client\'s token provider cannot ask the user for consent (it has no signIn).');
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
    await this.fetchPresences(ids);
  }

  // ---- internals ----

  private ensureStarted(): void {
    if (this.started || !this.transport) return;
    this.started = true;
    const sink: TransportSink = {
      update: (presences, readAt) => this.applyPresences(presences, Date.now(), readAt),
      state: (state, detail) => {
        this.connectionState = state;
        for (const listener of this.stateListeners) listener(state, detail);
      },
      error: (error, ids) => this.fail('transport', error, ids),
      resync: (ids) => void this.refresh(ids?.filter((id) => this.entries.has(id))),
    };
    this.transport.start(sink);
  }

  private retain(id: string, options: WatchOptions, profile?: Profile): Entry {
    let entry = this.entries.get(id);
    const timer = this.forgetTimers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.forgetTimers.delete(id);
    }
    if (!entry) {
      entry = { id, watchers: 0, listeners: new Set(), wantsProfile: false, wantsPhoto: false };
      this.entries.set(id, entry);
    }
    entry.watchers++;
    // A profile that came with resolving a userPrincipalName (or `me`) saves asking for it again.
    if (profile && !entry.profile) entry.profile = { id: profile.id, displayName: profile.displayName, userPrincipalName: profile.userPrincipalName ?? null, mail: profile.mail ?? null };
    if (!entry.presence && !entry.reading) {
      entry.reading = true;
      if (this.hold) this.hold.add(id);
      else this.queue(this.pendingPresence, id);
    }
    if (options.profile !== false && !entry.wantsProfile) {
      entry.wantsProfile = true;
      if (!entry.profile) this.queue(this.pendingProfiles, id);
    }
    if (options.photo !== false) {
      entry.wantsPhoto = true;
      if (entry.photo === undefined) this.queue(this.pendingPhotos, id);
      else if (entry.photo && !entry.photoUrl) entry.photoUrl = this.objectUrls.create(entry.photo);
    }
    if (entry.watchers === 1) this.watchChanged([id], []);
    return entry;
  }

  private release(entry: Entry): void {
    entry.watchers = Math.max(0, entry.watchers - 1);
    if (entry.watchers > 0) return;
    // Nobody shows the photo: its object URL goes; the bytes stay cached for a quick return.
    this.dropPhotoUrl(entry);
    this.watchChanged([], [entry.id]);
    this.forgetTimers.set(
      entry.id,
      setTimeout(() => {
        this.forgetTimers.delete(entry.id);
        if (entry.watchers === 0) this.entries.delete(entry.id);
      }, this.keepMs),
    );
  }

  private dropPhotoUrl(entry: Entry): void {
    if (entry.photoUrl) this.objectUrls.revoke(entry.photoUrl);
    if (entry.photoUrl) entry.photoUrl = undefined;
  }

  private watchChanged(added: string[], removed: string[]): void {
    this.transport?.watch(this.watchedIds(), added, removed);
  }

  private snapshot(key: string, entry: Entry | undefined): PersonSnapshot {
    if (!entry) return { key, stale: false };
    const snapshot: PersonSnapshot = {
      key,
      id: entry.id,
      stale: !!entry.failed || (entry.receivedAt !== undefined && Date.now() - entry.receivedAt > this.staleAfterMs),
    };
    if (entry.presence) snapshot.presence = entry.presence;
    if (entry.receivedAt !== undefined) snapshot.receivedAt = entry.receivedAt;
    if (entry.profile) snapshot.profile = entry.profile;
    if (entry.photo === null) snapshot.photoUrl = null;
    else if (entry.photoUrl) snapshot.photoUrl = entry.photoUrl;
    if (entry.error) snapshot.error = entry.error;
    if (entry.error && entry.errorKind) snapshot.errorKind = entry.errorKind;
    return snapshot;
  }

  /**
   * A poll read the presence already shown. Listeners mark a presence stale from the `receivedAt` they were given,
   * so they hear of a confirmation when the presence was stale or failed, and once it is half as old as
   * `staleAfterMs` (before they would mark it), not after every poll.
   */
  private confirm(entry: Entry, receivedAt: number): void {
    const wasStale = !!entry.failed || (entry.receivedAt !== undefined && receivedAt - entry.receivedAt > this.staleAfterMs);
    entry.receivedAt = Math.max(entry.receivedAt ?? 0, receivedAt);
    entry.failed = false;
    delete entry.error;
    if (wasStale || entry.receivedAt - (entry.toldAt ?? 0) >= this.staleAfterMs / 2) this.changed(entry);
  }

  private changed(entry: Entry): void {
    entry.toldAt = entry.receivedAt;
    for (const listener of entry.listeners) listener();
  }

  private queue(set: Set<string>, id: string): void {
    set.add(id);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Every watch made in this task lands before the flush: one batched fetch for all of them.
    queueMicrotask(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const presence = [...this.pendingPresence];
    const profiles = [...this.pendingProfiles];
    const photos = [...this.pendingPhotos];
    this.pendingPresence = new Set();
    this.pendingProfiles = new Set();
    this.pendingPhotos = new Set();
    await Promise.all([
      presence.length ? this.fetchPresences(presence) : undefined,
      profiles.length ? this.fetchProfiles(profiles) : undefined,
      photos.length ? this.fetchPhotos(photos) : undefined,
    ]);
  }

  private async fetchPresences(ids: string[]): Promise<void> {
    await Promise.all(
      chunks(ids, PRESENCE_CHUNK).map(async (chunk) => {
        const readAt = Date.now();
        try {
          const presences = await this.source.presences(chunk, this.abort.signal);
          this.applyPresences(presences, Date.now(), readAt);
          const seen = new Set(presences.map((p) => p.id));
          // An id Graph said nothing about shows unknown, not a stale guess.
          const missing = chunk.filter((id) => !seen.has(id));
          this.applyPresences(missing.map((id) => ({ id, availability: 'PresenceUnknown', activity: 'PresenceUnknown', statusMessage: null, outOfOfficeSettings: null })), Date.now(), readAt);
        } catch (error) {
          if (!this.abort.signal.aborted) this.fail('presence', error, chunk);
        } finally {
          for (const id of chunk) {
            const entry = this.entries.get(id);
            if (entry) entry.reading = false;
          }
        }
      }),
    );
  }

  private async fetchProfiles(ids: string[]): Promise<void> {
    if (!this.source.profiles) return;
    try {
      const profiles = await this.source.profiles(ids, this.abort.signal);
      for (const profile of profiles) {
        const entry = this.entries.get(profile.id);
        if (!entry) continue;
        entry.profile = { id: profile.id, displayName: profile.displayName, userPrincipalName: profile.userPrincipalName ?? null, mail: profile.mail ?? null };
        this.changed(entry);
      }
    } catch (error) {
      if (!this.abort.signal.aborted) this.fail('profile', error, ids);
    }
  }

  private async fetchPhotos(ids: string[]): Promise<void> {
    if (!this.source.photos) {
      for (const id of ids) this.setPhoto(id, null);
      return;
    }
    try {
      const photos = await this.source.photos(ids, this.abort.signal);
      for (const id of ids) this.setPhoto(id, photos.get(id) ?? null);
    } catch (error) {
      if (!this.abort.signal.aborted) this.fail('photo', error, ids);
    }
  }

  private setPhoto(id: string, photo: Blob | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.photo = photo;
    if (photo && entry.watchers > 0 && !entry.photoUrl) entry.photoUrl = this.objectUrls.create(photo);
    this.changed(entry);
  }

  private resolve(key: string, done: (id: string | undefined, profile?: Profile) => void): void {
    const lower = key.toLowerCase();
    let waiting = this.pendingAliases.get(lower);
    if (waiting) {
      waiting.add(done);
      return;
    }
    waiting = new Set([done]);
    this.pendingAliases.set(lower, waiting);
    queueMicrotask(() => void this.resolveAliases());
  }

  private async resolveAliases(): Promise<void> {
    const keys = [...this.pendingAliases.keys()];
    if (keys.length === 0) return;
    const waiting = new Map(keys.map((k) => [k, this.pendingAliases.get(k)!]));
    for (const k of keys) this.pendingAliases.delete(k);
    let found: Array<Profile & { key: string }> = [];
    try {
      found = this.source.profiles ? await this.source.profiles(keys, this.abort.signal) : [];
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.fail('profile', error);
      for (const [key, callbacks] of waiting) this.failedAliases.set(key, callbacks);
      return;
    }
    for (const [key, callbacks] of waiting) {
      const profile = found.find((p) => p.key.toLowerCase() === key);
      if (profile) this.aliases.set(key, profile.id);
      for (const callback of callbacks) callback(profile?.id, profile);
    }
  }

  /**
   * Shows a failure on the people it concerns and tells the error listeners. Only a failed presence read (or
   * transport) marks the presence shown as possibly out of date; a photo or profile that did not load leaves it be.
   */
  private fail(kind: ClientErrorDetail['kind'], error: unknown, ids?: string[]): void {
    const message = error instanceof Error ? error.message : String(error);
    for (const id of ids ?? []) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      if (kind === 'presence' || kind === 'transport') entry.failed = true;
      entry.error = message;
      entry.errorKind = kind;
      this.changed(entry);
    }
    const detail: ClientErrorDetail = { message, kind };
    if (ids) detail.ids = ids;
    this.report(detail);
  }

  private report(detail: ClientErrorDetail): void {
    for (const listener of this.errorListeners) listener(detail);
  }
}
