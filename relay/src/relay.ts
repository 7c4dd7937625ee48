// The relay's core, the same on every host: negotiate (an Entra user token in, a SignalR client token out), watch
// (which ids a user wants, kept as leased sessions the keeper covers with Graph subscriptions), and the notifications
// Graph sends, verified, decrypted and fanned out to the users watching. `start` serves it with the Node server of
// http-server.ts; the Functions host calls the same methods (relay/functions/src/handlers.ts).
import { randomBytes } from 'node:crypto';
import { clientAccessToken, parseConnectionString } from '../../common/signalr-connection.js';
import { CoverageNotices } from './coverage.js';
import { DecryptPool, defaultDecryptWorkers } from './decrypt-pool.js';
import { FanOut, RESYNC_TARGET } from './fanout.js';
import { DEFAULT_HEARTBEAT_MS, Heartbeat } from './heartbeat.js';
import { RelayHttpServer, type Intake, type JsonReply, type RelayRoutes } from './http-server.js';
import { IntakeJournal } from './intake-journal.js';
import { JwksVerifier } from './jwks.js';
import { LeasedKeeper } from './leased-keeper.js';
import { consoleLogger, type RelayLogger } from './logger.js';
import { readNotifications, sameSecret, SequenceFilter, type ReadResult, type RelayPresence } from './notifications.js';
import { PacedSends } from './paced-sends.js';
import { PresenceReader, type ReadBatch } from './presence-reader.js';
import { SharedSessions } from './shared-sessions.js';
import { admit, byDemand } from './quotas.js';
import { DEFAULT_WATCH_LEASE_SECONDS, type RelayOptions, type RelayStats } from './relay-options.js';
import type { RelayStore, SequenceSource } from './store.js';
import { userOf } from './user-token.js';
import { parseWatchRequest } from './watch-request.js';
import { MAX_WATCHED_PER_USER, Watchers, type WatchChange } from './watchers.js';

export { DEFAULT_WATCH_LEASE_SECONDS, type RelayOptions, type RelayStats } from './relay-options.js';

export class Relay implements RelayRoutes {
  readonly watchers = new Watchers();
  readonly fanout: FanOut;
  readonly stats: RelayStats = {
    received: 0,
    refused: 0,
    stale: 0,
    delivered: 0,
    failed: 0,
    retried: 0,
    superseded: 0,
    leasesExpired: 0,
    resyncs: 0,
  };
  /** The last notifications refused, with why, for operators. */
  readonly refusals: ReadResult['refused'] = [];
  /**
   * Notifications received per encryption certificate id, and when the last one came (milliseconds since the
   * epoch): after a key roll, the old key can go once no notification has used it for a while.
   */
  readonly certificatesSeen = new Map<string, { notifications: number; lastAt: number }>();
  private readonly sequence = new SequenceFilter();
  private readonly jwks: JwksVerifier;
  private server: RelayHttpServer | undefined;
  private pending = new Set<Promise<void>>();
  private maintenanceTimer: ReturnType<typeof setInterval> | undefined;
  /** Users being made owners (on-behalf-of under way), so concurrent watches ask once. */
  private readonly owners = new Set<string>();
  private readonly decryptor: DecryptPool;
  private secret: string | undefined;
  private initialised: Promise<void> | undefined;
  private sequenceTimer: ReturnType<typeof setTimeout> | undefined;
  private sequencesSaved: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly leaseMs: number;
  /** Reads back from Graph what notifications name without a sequence number (needs the keeper's owners). */
  readonly reader: PresenceReader | undefined;
  /** Tells pages when ids they watch lose or regain coverage. */
  readonly coverage: CoverageNotices;
  /** Messages that make many pages read from Graph, in paced batches. */
  readonly paced: PacedSends;
  private silenceTimer: ReturnType<typeof setInterval> | undefined;
  /** Notification collections from their acknowledgement until processed (the Node server only). */
  readonly journal: IntakeJournal | undefined;
  /** Where the relay says what it does and what failed. */
  readonly logger: RelayLogger;
  /** The beat every page hears while the relay runs (heartbeat.ts). */
  readonly heartbeats: Heartbeat;
  /** With a store shared by several instances: the watch sessions made through every one of them. */
  readonly shared: SharedSessions | undefined;

  constructor(private readonly options: RelayOptions) {
    this.secret = options.clientState;
    this.logger = options.logger ?? options.keeper?.logger ?? consoleLogger();
    this.jwks = new JwksVerifier({ jwksUri: options.jwksUri, ...(options.tlsCa ? { ca: options.tlsCa } : {}) });
    this.fanout = new FanOut(options.signalrConnectionString, {
      hub: options.hub ?? 'presence',
      ...options.fanout,
      ...(options.fanoutRetryDelaysMs ? { retryDelaysMs: options.fanoutRetryDelaysMs } : {}),
    });
    this.journal = options.journalPath ? new IntakeJournal(options.journalPath) : undefined;
    this.now = options.now ?? options.keeper?.now ?? Date.now;
    this.leaseMs = (options.watchLeaseSeconds ?? DEFAULT_WATCH_LEASE_SECONDS) * 1000;
    this.decryptor = new DecryptPool(options.decryptWorkers ?? defaultDecryptWorkers());
    const keeper = options.keeper;
    this.paced = new PacedSends(
      (user, target, argument) => this.fanout.postTo(user, target, argument),
      options.resyncPacing,
      options.fanoutRetryDelaysMs,
    );
    this.coverage = new CoverageNotices(this.paced);
    this.heartbeats = new Heartbeat(
      (target, argument) => this.fanout.broadcast(target, argument),
      options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    );
    if (keeper) {
      // A silence as long as the full audit's period is left to the audit.
      keeper.deliveries.ceilingMs = options.renewalCheckMs ?? 60_000;
      keeper.onCoverage = (change) => {
        const sent: Promise<void> = this.coverage.send(change, this.watchers).finally(() => this.pending.delete(sent));
        this.pending.add(sent);
      };
    }
    const store = this.store;
    this.shared = store?.shared
      ? new SharedSessions(store, this.watchers, {
          now: this.now,
          logger: this.logger,
          onChange: () => {
            if (!keeper) return;
            void keeper
              .reconcile(byDemand(this.watchers))
              .catch((error: Error) =>
                this.logger.error(`covering the sessions of other instances failed: ${error.message}`),
              );
          },
        })
      : undefined;
    this.reader = keeper
      ? new PresenceReader(
          {
            graphBaseUrl: keeper.graphBaseUrl,
            readersOf: (ids) => keeper.readersOf(ids),
            tokenFor: (owner) => keeper.ownerToken(owner),
            ...options.reads,
          },
          (batch) => this.publishRead(batch),
        )
      : undefined;
  }

  /** Where the Node server listens (`http://host:port`), once started; empty before. */
  get url(): string {
    return this.server?.url ?? '';
  }

  private get store(): RelayStore | undefined {
    return this.options.store ?? this.options.keeper?.store;
  }

  /**
   * Loads what was stored; hosts without a server of their own (Azure Functions) call only this. Runs once; every
   * request waits for it.
   */
  init(): Promise<void> {
    return (this.initialised ??= this.load());
  }

  private async load(): Promise<void> {
    this.decryptor.warm();
    const keeper = this.options.keeper;
    const store = this.store;
    if (keeper) await keeper.load();
    // Several instances: only the one holding the keeper lease touches Graph subscriptions (leased-keeper.ts).
    if (keeper instanceof LeasedKeeper) await keeper.startLease();
    this.secret ??=
      keeper?.clientState ?? (store ? await store.clientState(randomBytes(24).toString('base64url')) : undefined);
    if (!this.secret) throw new Error('The relay needs a clientState, or a store to keep one in.');
    if (store) this.sequence.seed(await store.loadSequences());
    // Every instance's sessions, when the store is shared, kept fresh from then on: from here, since hosts without a
    // server of their own (Functions) call only `init`, and the keeper covers what is watched through every instance.
    await this.shared?.refresh();
    this.shared?.start(this.options.sessionsRefreshMs);
    if (!keeper) return;
    // Sessions whose lease ended while the relay was down are not restored; lists stored without a lease end (the
    // earlier form) get a fresh lease, and are stored again in the current form.
    const now = this.now();
    for (const [userId, sessions] of Object.entries(keeper.storedSessions())) {
      for (const [session, { ids, expiresAt, updatedAt }] of Object.entries(sessions)) {
        const earlier = !Number.isFinite(expiresAt);
        const end = earlier ? now + this.leaseMs : expiresAt;
        if (end > now && Array.isArray(ids) && (earlier || this.watchers.updatedAt(userId, session) === undefined))
          this.watchers.set(userId, ids, {
            session,
            expiresAt: end,
            ...(earlier ? { updatedAt: now } : { stored: true }),
            ...(updatedAt !== undefined ? { updatedAt } : {}),
          });
      }
    }
    await this.storeSessions();
    // The keeper learns what is watched, so what Graph removes later is made again; and what lapsed or was removed
    // while the relay was down is made again now.
    await keeper
      .reconcile(byDemand(this.watchers))
      .catch((error: Error) => this.logger.error(`reconciling the stored watch lists failed: ${error.message}`));
    // After a key roll, the subscriptions move to the new certificate now, without holding up the first requests.
    void keeper
      .rollCertificate()
      .catch((error: Error) =>
        this.logger.error(`moving subscriptions to the new certificate failed: ${error.message}`),
      );
  }

  async start(): Promise<void> {
    await this.init();
    // What was acknowledged but not processed before the relay stopped.
    for (const entry of (await this.journal?.start()) ?? []) this.track(this.process(entry.collection), entry.n);
    this.maintenanceTimer = setInterval(() => void this.maintain(), this.options.renewalCheckMs ?? 60_000);
    this.maintenanceTimer.unref();
    const keeper = this.options.keeper;
    if (keeper) {
      // Cheap: Graph is asked only about subscriptions silent for longer than their own pace makes likely.
      this.silenceTimer = setInterval(
        () =>
          void keeper
            .checkSilent()
            .catch((error: Error) => this.logger.error(`checking silent subscriptions failed: ${error.message}`)),
        this.options.silenceScanMs ?? 1_000,
      );
      this.silenceTimer.unref();
    }
    // Pages that have heard it treat a silence of 2.5 beats as the relay being down, long before a watch renewal.
    this.heartbeats.start();
    this.server = await RelayHttpServer.listen(this, {
      host: this.options.host,
      port: this.options.port,
      allowedOrigins: this.options.allowedOrigins,
      http: this.options.http,
    });
    // Whatever changed while the relay was down and Graph did not deliver again is re-read by the pages now, in
    // paced batches: every page reads from Graph when told.
    void this.resyncEveryone();
  }

  /** Tells every watching user to read again what they watch, a batch of users at a time (see paced-sends.ts). */
  private async resyncEveryone(): Promise<void> {
    const perUser = new Map<string, string[]>();
    for (const id of this.watchers.ids()) {
      for (const user of this.watchers.watchersOf(id)) {
        const list = perUser.get(user);
        if (list) list.push(id);
        else perUser.set(user, [id]);
      }
    }
    const sent = Promise.all(
      [...perUser].map(async ([user, ids]) => {
        if (await this.paced.sendIds(user, RESYNC_TARGET, ids)) this.stats.resyncs += ids.length;
        else this.stats.failed++;
      }),
    ).then(() => undefined);
    this.track(sent);
    await sent;
  }

  async stop(): Promise<void> {
    this.heartbeats.stop();
    this.shared?.stop();
    // Released, so another instance becomes the keeper at its next try rather than when the lease expires.
    const keeper = this.options.keeper;
    if (keeper instanceof LeasedKeeper) await keeper.stopLease();
    clearInterval(this.maintenanceTimer);
    clearInterval(this.silenceTimer);
    await Promise.allSettled([...this.pending]);
    await this.saveSequences();
    await this.decryptor.close();
    this.fanout.close();
    await this.journal?.close();
    await this.server?.close();
  }

  /** Ends lapsed watch sessions, then renews the subscriptions that need it. Hosts with a timer of their own call it. */
  async maintain(): Promise<void> {
    await this.expireLeases().catch((error: Error) =>
      this.logger.error(`ending lapsed watch sessions failed: ${error.message}`),
    );
    await this.options.keeper?.tick();
  }

  /** One heartbeat to every page, for hosts with a timer of their own (Azure Functions); nothing when disabled. */
  async heartbeat(): Promise<void> {
    if (this.heartbeats.intervalMs > 0) await this.heartbeats.beat();
  }

  /**
   * Ends the watch sessions whose lease has passed: the ids nobody else watches are let go, and the keeper deletes
   * the subscriptions left with none, as when a page unwatches them.
   */
  async expireLeases(): Promise<void> {
    await this.init();
    const change = this.expire();
    if (change.sessions) await this.watchesChanged(change, false);
  }

  private expire(): WatchChange & { sessions: number } {
    const change = this.watchers.expire(this.now());
    this.stats.leasesExpired += change.sessions;
    return change;
  }

  /**
   * Stores the sessions and, when the ids watched changed, has the keeper cover exactly them. `uncoveredMayFit`: a
   * new owner arrived, so ids no one could subscribe for until now may be covered too.
   */
  private async watchesChanged(change: WatchChange, wait: boolean, uncoveredMayFit = false): Promise<void> {
    await this.storeSessions();
    const keeper = this.options.keeper;
    if (!keeper) return;
    const uncovered = uncoveredMayFit && keeper.uncoveredOf(this.watchers.ids()).length > 0;
    if (!change.added.length && !change.removed.length && !uncovered) return;
    const reconciled = keeper.reconcile(byDemand(this.watchers));
    if (!wait) return reconciled;
    // Answered once Graph covers the new ids (or after a bounded wait): the client then re-reads them, so a
    // change made between its first read and the subscription is not missed.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      reconciled,
      new Promise((resolve) => (timer = setTimeout(resolve, this.options.watchWaitMs ?? 10_000))),
    ]);
    clearTimeout(timer);
  }

  /** Stores the sessions changed here since the last call, each on its own (most often one: a watch request's). */
  private async storeSessions(): Promise<void> {
    const store = this.store;
    const changed = this.watchers.takeChanged();
    if (!store) return;
    for (const { userId, session, value } of changed) await store.writeSession(userId, session, value);
  }

  /** Waits for notifications acknowledged but still being processed. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Origins allowed to call negotiate and watch from another origin (none unless configured). */
  get allowedOrigins(): readonly string[] {
    return this.options.allowedOrigins ?? [];
  }

  /** Seconds since the epoch, for token lifetimes. */
  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * The signed-in user behind a request: an Entra token for this relay's API, of either version: v1.0 (`aud` the App
   * ID URI, `api://<clientId>`) or v2.0 (`aud` the client id), as the API's registration decides
   * (https://learn.microsoft.com/entra/identity-platform/access-tokens#token-formats).
   */
  private async userFrom(authorization: string | null | undefined): Promise<{ userId: string; token: string }> {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new Error('no bearer token');
    const claims = await this.jwks.verify(token, {
      audience: [`api://${this.options.clientId}`, this.options.clientId],
      issuer: this.options.issuers,
      now: this.seconds(),
    });
    const rules = {
      ...(this.options.requiredScope ? { requiredScope: this.options.requiredScope } : {}),
      ...(this.options.tenantId ? { tenantId: this.options.tenantId } : {}),
    };
    return { userId: userOf(claims, rules), token };
  }

  /** negotiate, framework-neutral: an Entra user token in, a SignalR client URL and token out. */
  async negotiateFor(authorization: string | null | undefined): Promise<JsonReply> {
    await this.init();
    let userId: string;
    try {
      ({ userId } = await this.userFrom(authorization));
    } catch (error) {
      return { status: 401, body: { error: `Unauthorized: ${(error as Error).message}` } };
    }
    const { endpoint, accessKey } = parseConnectionString(this.options.signalrConnectionString);
    return {
      status: 200,
      body: clientAccessToken({ endpoint, accessKey, hub: this.options.hub ?? 'presence', userId, ttlSeconds: 3600 }),
    };
  }

  /**
   * watch, framework-neutral: `{ ids, session }` replaces what one session (a page, a tab) of the user watches; an
   * empty list ends it. Without `session`, the user's one session without an id. Each call renews the session's
   * lease (`leaseSeconds` in the answer). The user becomes an owner of subscriptions.
   */
  async watchFor(authorization: string | null | undefined, text: string): Promise<JsonReply> {
    await this.init();
    let userId: string;
    let token: string;
    try {
      ({ userId, token } = await this.userFrom(authorization));
    } catch (error) {
      return { status: 401, body: { error: `Unauthorized: ${(error as Error).message}` } };
    }
    const request = parseWatchRequest(text);
    if ('status' in request) return request;
    const { session } = request;
    // Ids the directory says are not users are not watched (nor counted against a quota).
    const notUsers = this.options.userDirectory
      ? await this.options.userDirectory.notUsers(request.ids)
      : new Set<string>();
    const requested = request.ids.filter((id) => !notUsers.has(id));
    // Lapsed sessions go first, so what they let go is reconciled with this change.
    const expired = this.expire();
    // What is over the user's or the tenant's quota is not watched (nor stored): the page polls it.
    const { admitted: ids, refused: overQuota } = admit(this.watchers, userId, session, requested, this.options.quotas);
    const now = this.now();
    const set = this.watchers.set(userId, ids, { session, expiresAt: now + this.leaseMs, updatedAt: now });
    const change = {
      added: set.added.filter((id) => !expired.removed.includes(id)),
      removed: [...expired.removed.filter((id) => !set.added.includes(id)), ...set.removed],
    };
    const keeper = this.options.keeper;
    if (keeper) {
      // A user who watches can also own a subscription (Graph wants delegated tokens): asked whenever the keeper
      // has no usable refresh token of theirs, so an owner whose sessions were revoked is one again once signed in.
      let ownerAdded = false;
      if (!keeper.hasOwner(userId) && !this.owners.has(userId) && ids.length) {
        this.owners.add(userId);
        ownerAdded = await keeper.addOwner(userId, token).then(
          () => true,
          (error: Error) => {
            this.logger.warn(`on-behalf-of failed for ${userId}: ${error.message}`);
            return false;
          },
        );
        this.owners.delete(userId);
      }
      // Asked again with ids still uncovered (a passing failure, an owner gone): coverage is tried again.
      await this.watchesChanged(change, true, ownerAdded || keeper.uncoveredOf(ids).length > 0);
    } else await this.storeSessions();
    // What Graph does not cover yet (no owner free to subscribe for them, on-behalf-of refused) and what is over
    // the per-user limit: named, so the page polls those until a later watch says they are covered.
    const distinct = [...new Set(ids)];
    const uncovered = keeper ? keeper.uncoveredOf(distinct.slice(0, MAX_WATCHED_PER_USER)) : [];
    uncovered.push(...distinct.slice(MAX_WATCHED_PER_USER), ...overQuota);
    return {
      status: 200,
      body: {
        watching: Math.min(distinct.length, MAX_WATCHED_PER_USER),
        added: change.added.length,
        removed: change.removed.length,
        covered: uncovered.length === 0,
        ...(uncovered.length ? { uncovered } : {}),
        ...(notUsers.size ? { notUsers: [...notUsers] } : {}),
        ...(ids.length ? { leaseSeconds: this.leaseMs / 1000 } : {}),
      },
    };
  }

  /**
   * The notifications of a collection whose clientState is the relay's (compared in constant time), the others
   * counted as refused: a check cheap enough to make before answering Graph, so that nothing forged is queued.
   * Everything else (validation tokens, signatures, decryption) is checked when the collection is processed.
   */
  async screen(payload: unknown): Promise<Record<string, unknown> & { value: unknown[] }> {
    await this.init();
    const collection = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
    const value = Array.isArray(collection.value) ? collection.value : [];
    const kept = value.filter((n) => {
      const state = (n as { clientState?: unknown } | null)?.clientState;
      if (typeof state === 'string' && sameSecret(state, this.secret!)) return true;
      this.stats.refused++;
      this.refusals.push({ reason: 'clientState does not match' });
      if (this.refusals.length > 200) this.refusals.splice(0, this.refusals.length - 200);
      return false;
    });
    return { ...collection, value: kept };
  }

  /** Lifecycle notifications: clientState checked, then handed to the keeper. */
  async lifecycleEvents(payload: unknown): Promise<void> {
    await this.init();
    const events = Array.isArray((payload as { value?: unknown })?.value)
      ? (payload as { value: unknown[] }).value
      : [];
    for (const item of events) {
      // An item that is no object (null, a number) is refused like one without the clientState, not thrown on.
      const event = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
      const state = typeof event.clientState === 'string' ? event.clientState : '';
      if (!sameSecret(state, this.secret!)) {
        this.stats.refused++;
        this.refusals.push({ reason: 'lifecycle notification with a wrong clientState' });
        if (this.refusals.length > 200) this.refusals.splice(0, this.refusals.length - 200);
        continue;
      }
      if (this.options.keeper && typeof event.subscriptionId === 'string' && typeof event.lifecycleEvent === 'string') {
        await this.options.keeper.lifecycle({
          subscriptionId: event.subscriptionId,
          lifecycleEvent: event.lifecycleEvent,
        });
      }
    }
  }

  /**
   * A collection Graph posted to the Node server's webhook (`notifications`) or lifecycle route: acknowledged at
   * once (202), its work started once the answer is sent. With a journal, it is kept on disk before it is
   * acknowledged (what fails the screen is not), so a relay that dies before processing it processes it when it
   * starts again; if it cannot be kept, Graph is asked to deliver it again (503).
   */
  async intake(kind: 'notifications' | 'lifecycle', payload: unknown): Promise<Intake> {
    if (kind === 'lifecycle') return { status: 202, after: () => this.track(this.lifecycleEvents(payload)) };
    let n: number | undefined;
    if (this.journal) {
      payload = await this.screen(payload);
      if (!(payload as { value: unknown[] }).value.length) return { status: 202 };
      try {
        n = await this.journal.append(payload);
      } catch {
        return { status: 503, headers: { 'retry-after': '5' } };
      }
    }
    // Acknowledged before any work: Graph wants an answer within 3 seconds.
    return { status: 202, after: () => this.track(this.process(payload), n) };
  }

  /** Work acknowledged and under way; its journal entry, if any, is marked done when it ends. */
  private track(job: Promise<void>, n?: number): void {
    const work = job
      .catch((error: Error) => this.logger.error(`processing notifications failed: ${error.message}`))
      .finally(() => {
        this.pending.delete(work);
        if (n !== undefined) this.journal?.done(n);
      });
    this.pending.add(work);
  }

  /**
   * Verifies, decrypts and fans out one notification collection, from the webhook (the default) or from Event Hubs,
   * through which Graph sends no validation tokens.
   */
  async process(payload: unknown, options: { via?: 'webhook' | 'event-hubs' } = {}): Promise<void> {
    const arrived = SharedSessions.clock();
    await this.init();
    this.heardFrom(payload);
    const result = await readNotifications(
      payload,
      {
        clientState: this.secret!,
        validationTokensRequired: options.via !== 'event-hubs',
        privateKeyFor: (id) => {
          const key = this.options.encryptionKeys.find((k) => k.id === id)?.privateKey;
          if (key) {
            const seen = this.certificatesSeen.get(id) ?? { notifications: 0, lastAt: 0 };
            this.certificatesSeen.set(id, { notifications: seen.notifications + 1, lastAt: Date.now() });
          }
          return key;
        },
        verifyValidationToken: (token) =>
          this.jwks.verify(token, {
            audience: this.options.clientId,
            issuer: this.options.issuers,
            now: this.seconds(),
          }),
        decrypt: (jobs) => this.decryptor.decrypt(jobs),
      },
      this.sequence,
    );
    if (this.store?.shared) await this.advanceShared(result);
    this.scheduleSequenceSave();
    this.stats.stale += result.stale;
    this.stats.refused += result.refused.length;
    this.refusals.push(...result.refused);
    if (this.refusals.length > 200) this.refusals.splice(0, this.refusals.length - 200);
    // Whoever watched through another instance before this collection arrived is known before it is fanned out.
    await this.shared
      ?.fresh(arrived)
      .catch((error: Error) => this.logger.warn(`reading the watch sessions from the store failed: ${error.message}`));
    // Only what someone watches is worth a read.
    const toRead = result.toRead.filter((id) => this.watchers.isWatched(id));
    await Promise.all([this.publish(result.presences), this.reader ? this.reader.read(toRead) : this.resync(toRead)]);
  }

  /**
   * Several instances: a change is sent only by the instance that advanced the person's stored sequence number (an
   * atomic compare-and-swap in the store), so a change delivered twice, or an older one processed after a newer one
   * by another instance, is dropped: each watcher gets each change once, in order. What the store cannot say is sent
   * (a duplicate is better than a loss; the page orders by sequence number too).
   */
  private async advanceShared(result: ReadResult): Promise<void> {
    const before = result.presences.length;
    result.presences = await this.advanced(result.presences, 'notification');
    result.stale += before - result.presences.length;
  }

  /** The presences whose stored sequence number this instance advanced (those without one pass). */
  private async advanced(presences: RelayPresence[], source: SequenceSource): Promise<RelayPresence[]> {
    const store = this.store!;
    const advanced = await Promise.all(
      presences.map(async (presence) => {
        const seq = presence.sequenceNumber;
        if (!seq) return true;
        if (source === 'notification') this.sequence.stored(presence.id);
        return store.advanceSequence(presence.id, seq, source).catch((error: Error) => {
          this.logger.warn(`advancing the sequence number of ${presence.id} failed: ${error.message}`);
          return true;
        });
      }),
    );
    return presences.filter((_, i) => advanced[i]);
  }

  /**
   * Tells the keeper which subscriptions this collection came from (notifications carrying the relay's clientState):
   * each one's pace of deliveries is learnt, and one it does not keep has Graph checked at once.
   */
  private heardFrom(payload: unknown): void {
    const keeper = this.options.keeper;
    const value = (payload as { value?: unknown } | null)?.value;
    if (!keeper || !Array.isArray(value)) return;
    const ids = new Set<string>();
    for (const n of value as Array<{ subscriptionId?: unknown; clientState?: unknown } | null>) {
      if (
        typeof n?.subscriptionId === 'string' &&
        typeof n.clientState === 'string' &&
        sameSecret(n.clientState, this.secret!)
      )
        ids.add(n.subscriptionId);
    }
    for (const id of ids) keeper.heard(id);
  }

  /** What the reader got from Graph: the newest pushed, in sequence order; what it could not read, re-read by pages. */
  private async publishRead(batch: ReadBatch): Promise<void> {
    let fresh = batch.presences.filter((p) => this.sequence.acceptRead(p));
    // Several instances: a read is pushed only by the instance whose read is the newest yet (an older read made
    // elsewhere, pushed later, would move pages back).
    if (this.store?.shared) fresh = await this.advanced(fresh, 'read');
    this.stats.stale += batch.presences.length - fresh.length;
    this.scheduleSequenceSave();
    await Promise.all([this.publish(fresh), this.resync(batch.unread)]);
  }

  private async publish(presences: RelayPresence[]): Promise<void> {
    if (!presences.length) return;
    this.stats.received += presences.length;
    const sent = await this.fanout.publish(presences, this.watchers);
    this.count(sent);
    this.stats.delivered += sent.presences;
  }

  private async resync(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const sent = await this.fanout.resync(ids, this.watchers);
    this.count(sent);
    this.stats.resyncs += sent.presences;
  }

  private count(sent: { failures: number; retries: number; superseded: number }): void {
    this.stats.failed += sent.failures;
    this.stats.retried += sent.retries;
    this.stats.superseded += sent.superseded;
  }

  /**
   * The sequence numbers accepted are stored in one batch a second or so later (not once per notification), so a
   * restarted relay still drops replays Graph sends it. A host frozen in between (Functions) stores them on thaw.
   */
  private scheduleSequenceSave(): void {
    if (!this.store || this.sequenceTimer || this.sequence.pending === 0) return;
    this.sequenceTimer = setTimeout(() => void this.saveSequences(), this.options.sequenceSaveMs ?? 1_000);
    this.sequenceTimer.unref();
  }

  /** Stores the sequence numbers accepted since the last save now. */
  saveSequences(): Promise<void> {
    clearTimeout(this.sequenceTimer);
    this.sequenceTimer = undefined;
    const store = this.store;
    if (!store || this.sequence.pending === 0) return this.sequencesSaved;
    const changes = this.sequence.takeChanges();
    this.sequencesSaved = this.sequencesSaved.then(() =>
      store.saveSequences(changes).catch(() => {
        // Tried again with the next batch.
        this.sequence.unsaved(changes);
        this.scheduleSequenceSave();
      }),
    );
    return this.sequencesSaved;
  }
}
