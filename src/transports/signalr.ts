import type { HubConnection } from '@microsoft/signalr';
import { realScheduler, type Scheduler, type TimerHandle } from '../client/scheduler.js';
import type { SignalRTransportOptions } from './signalr-options.js';
import { FallbackPoller } from './fallback-poller.js';
import { openHubConnection, refusedToken } from './hub-connection.js';
import { reconnectDelay } from './relay-delays.js';
import { ReadAgain } from './read-again.js';
import { RelayHeartbeat } from './relay-heartbeat.js';
import { readCoverageMessage, readHeartbeatMessage } from './relay-messages.js';
import { RelaySession, WatchRefused } from './relay-session.js';
import type { PresenceTransport, TransportSink } from './transport.js';
import { WatchLease } from './watch-lease.js';
import { followWindow } from './window-events.js';

export { reconnectDelay, watchRetryDelay } from './relay-delays.js';

/**
 * Pushes that stop (the connection dropped, the relay silent or not answering) usually come back within a second or
 * two (SignalR Service restarting, a watch tried again at once), with everything read again then; still stopped after
 * this long, what was pushed is read now rather than at the fallback's first poll, an interval away.
 */
const DROP_GRACE_MS = 3_000;
export { watchSessionId } from './relay-session.js';
export type { SignalRTransportOptions } from './signalr-options.js';

/**
 * Live presence pushed by the relay through Azure SignalR Service. `@microsoft/signalr` is loaded only when this
 * transport starts. After every reconnection the client re-reads presence from Graph, so nothing stale stays on
 * screen; while the relay is unreachable, the fallback (polling) takes over.
 *
 * Each transport is one watch session at the relay (`{ ids, session }`), so several tabs of one user never undo each
 * other's watches. The relay gives each session a lease, renewed at half its length; `stop()` and leaving the page
 * (`pagehide`) end the session at once, and a page back from the back/forward cache watches again.
 *
 * The connection is to the SignalR service, not to the relay: it stays up while the relay is down, and nothing is
 * pushed then. So a failed watch means the relay does not watch for this page now: everything watched is polled and
 * the state says so, the watch is tried again soon, and once it is answered everything watched is read again (the
 * relay, back after the lease ended, no longer knows the session and tells it nothing of what changed meanwhile).
 * A relay that sends heartbeats is taken for down in the same way once they stop for 2.5 of its intervals (a page
 * that never heard one waits for its watch renewals, as before), and back when they, or a watch answer, come again.
 * While the browser is offline every presence shown is marked as possibly out of date; back online, or shown again
 * after being hidden, whatever waits out a backoff is tried at once.
 */
export class SignalRTransport implements PresenceTransport {
  private sink: TransportSink | undefined;
  private connection: HubConnection | undefined;
  private ids: string[] = [];
  private stopped = false;
  private readonly clock: Scheduler;
  private readonly fallback: FallbackPoller;
  private readonly relay: RelaySession;
  private readonly heartbeat: RelayHeartbeat;
  private watchTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private attempts = 0;
  /** Whether the connection is up, so the relay's pushes reach this page. */
  private live = false;
  /** Ids added since the relay last confirmed, while connected, that it covers them. */
  private readonly unconfirmed = new Set<string>();
  /** Ids the relay said Graph does not cover yet: polled (by the fallback) until a later answer says they are. */
  private uncovered = new Set<string>();
  private readonly lease: WatchLease;
  /** What the client is asked to read again (updates may have been missed), tried until it is read. */
  private readonly readAgain: ReadAgain;
  /** The watch request under way, if any. */
  private inflight: Promise<void> | undefined;
  private unfollowWindow: (() => void) | undefined;
  /** SignalR's own reconnection was ended to connect anew at once. */
  private restartNow = false;
  /** A connection was up once. */
  private wasUp = false;
  /** Updates received, for tests and benchmarks. */
  received = 0;

  constructor(private readonly options: SignalRTransportOptions) {
    this.clock = options.scheduler ?? realScheduler;
    this.fallback = new FallbackPoller(options.fallback);
    this.relay = new RelaySession(options, this.clock);
    this.heartbeat = new RelayHeartbeat(this.clock, () => this.relaySilent());
    this.lease = new WatchLease(this.clock, () => void this.sendWatch());
    this.readAgain = new ReadAgain(this.clock);
  }

  /** This transport's watch session at the relay. */
  get session(): string {
    return this.relay.id;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.unfollowWindow = followWindow({
      pagehide: () => this.leave(),
      // Back from the back/forward cache: the watch was ended when the page was hidden.
      pageshow: (event) => void (event.persisted && !this.stopped && this.sendWatch()),
      offline: () => this.wentOffline(),
      online: () => this.cameOnline(),
      shown: () => this.hurry(),
    });
    void this.connect();
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = [...ids];
    for (const id of added) this.unconfirmed.add(id);
    for (const id of removed) this.unconfirmed.delete(id);
    this.syncFallback();
    this.clock.clearTimeout(this.watchTimer);
    // Watches made together are told to the relay together.
    this.watchTimer = this.clock.setTimeout(() => void this.sendWatch(), 30);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.watchTimer);
    this.clock.clearTimeout(this.retryTimer);
    this.heartbeat.pause();
    this.readAgain.stop();
    this.unfollowWindow?.();
    // The relay drops this session's watch now, not when its lease lapses; a watch request still under way could
    // reach it later, so it is ended once more after that one.
    const inflight = this.inflight;
    this.leave();
    if (inflight) void inflight.then(() => this.relay.end());
    this.fallback.stop();
    void this.connection?.stop();
    this.sink?.state('idle');
  }

  private sendWatch(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.lease.cancel();
    const run = this.postWatch().finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  private async postWatch(): Promise<void> {
    const live = this.live;
    const pending = [...this.unconfirmed];
    const ids = this.ids;
    const sentAt = this.clock.now();
    const lapsed = this.lease.lapsed(sentAt);
    try {
      const answer = await this.relay.post(ids, () => this.stopped);
      if (!answer) return;
      const wasFailed = this.lease.answered(sentAt, ids.length > 0, answer.leaseMs);
      // What the relay cannot cover yet is polled meanwhile, and the relay asked again soon.
      this.uncovered = new Set(answer.uncovered);
      // Answered while its heartbeats are silent: the relay runs, but sends none (now); they are waited for no more.
      if (this.heartbeat.silent) this.heartbeat.forget();
      this.syncFallback();
      if (wasFailed && this.live) {
        this.readAgain.pushesBack();
        this.sink?.state('connected');
      }
      if (ids.length) this.lease.renewSoon(this.uncovered.size > 0);
      if (!live) return;
      // Answered while pushes flow: whoever was pushed nothing since is as shown (as after a heartbeat).
      if (this.live && !lapsed && !wasFailed) this.sink?.current?.(this.pushed());
      if ((lapsed || wasFailed) && ids.length) {
        // What changed while the relay did not watch for this page: everything watched is read once (the client
        // reads 650 to a request).
        this.unconfirmed.clear();
        void this.readAgain.run(this.sink);
      } else if (pending.length) {
        // The relay answers once Graph's subscriptions cover the new ids. They were first read before that (and
        // perhaps before this connection was up): read them once more, so a change in between is not missed.
        for (const id of pending) this.unconfirmed.delete(id);
        this.resyncWatched(pending);
      }
    } catch (error) {
      if (this.stopped) return;
      this.sink?.error(error as Error);
      if (!this.ids.length) return;
      // The relay may not watch for this page now: everything is polled until a watch is answered again.
      const refused = error instanceof WatchRefused && !error.serverFault;
      if (this.lease.fail()) {
        this.syncFallback();
        // What the relay would have pushed since it stopped watching is read soon, unless a try is answered first.
        if (this.live) this.readAgain.takeOver(this.sink, DROP_GRACE_MS);
        if (this.live)
          this.sink?.state(
            'reconnecting',
            refused
              ? 'The relay refused the watch list; polling meanwhile.'
              : 'The relay is unreachable; polling meanwhile.',
          );
      }
      this.lease.retryAfterFailure(refused);
    }
  }

  /** The page goes away (or the transport stops): the relay is told this session watches nothing. */
  private leave(): void {
    this.lease.end();
    this.relay.leave();
  }

  /** Asks the client to read again those of `ids` still watched. */
  private resyncWatched(ids: string[]): void {
    const watched = new Set(this.ids);
    const again = ids.filter((id) => watched.has(id));
    if (again.length) void this.readAgain.run(this.sink, again);
  }

  /**
   * Polling fills what pushes cannot: every watched id while the relay is unreachable (the connection is down, or
   * the last watch failed); otherwise only the ids the relay said Graph does not cover yet. Nothing to poll: no
   * poller.
   */
  private syncFallback(): void {
    const ids = this.stopped
      ? []
      : this.live && !this.lease.failed
        ? this.ids.filter((id) => this.uncovered.has(id))
        : this.ids;
    this.fallback.sync(ids, this.sink);
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.sink?.state(this.attempts === 0 ? 'connecting' : 'reconnecting');
    try {
      const connection = await openHubConnection(this.options.relayUrl, () => this.relay.token(), {
        target: this.options.target ?? 'presence',
        presence: (presences) => {
          // Said, not thrown: the connection and every other update go on.
          if (presences instanceof Error) return this.sink?.error(presences);
          this.received += presences.length;
          this.sink?.update(presences);
        },
        // The relay could not read these people's change from Graph itself: read them here, so nothing is missed.
        resync: (ids) => (ids instanceof Error ? this.sink?.error(ids) : this.resyncWatched(ids)),
        coverage: (message) => this.coverageChanged(message),
        heartbeat: (message) => this.heartbeatHeard(message),
        reconnecting: () => {
          this.live = false;
          this.heartbeat.pause();
          this.sink?.state('reconnecting', 'The connection to the relay dropped; reconnecting.');
          this.syncFallback();
          this.readAgain.takeOver(this.sink, DROP_GRACE_MS);
        },
        reconnected: () => this.connected(false),
        unauthorized: () => this.relay.forgetToken(),
        closed: () => {
          this.live = false;
          this.heartbeat.pause();
          if (this.stopped) return;
          this.syncFallback();
          if (this.restartNow) {
            this.restartNow = false;
            void this.connect();
            return;
          }
          // Closed for good (the relay refused, or the service closed without reconnect): start over.
          if (this.wasUp) this.readAgain.takeOver(this.sink, DROP_GRACE_MS);
          this.scheduleRetry();
        },
      });
      this.connection = connection;
      await connection.start();
      // A connection made anew after one that was up (ended to hurry it) is a reconnection too.
      this.connected(this.attempts === 0 && !this.wasUp);
    } catch (error) {
      if (this.stopped) return;
      if (refusedToken(error)) this.relay.forgetToken();
      this.sink?.error(error as Error);
      this.syncFallback();
      this.scheduleRetry();
    }
  }

  /**
   * The relay lost Graph coverage of some watched people (`uncovered`: polled from now on, so none shows as live
   * while nothing pushes it) or has it again (`covered`: read once, for what changed meanwhile, then pushed only).
   */
  private coverageChanged(message: unknown): void {
    const coverage = readCoverageMessage(message);
    if (coverage instanceof Error) {
      this.sink?.error(coverage);
      return;
    }
    const watched = new Set(this.ids);
    for (const id of coverage.lost) if (watched.has(id)) this.uncovered.add(id);
    const again = coverage.regained.filter((id) => watched.has(id));
    for (const id of again) this.uncovered.delete(id);
    this.syncFallback();
    if (again.length) void this.readAgain.run(this.sink, again);
    // While some are uncovered, the relay is asked again soon, as after a watch answer naming them.
    if (this.uncovered.size) this.lease.renewSoon(true);
  }

  /** A beat from the relay; the first after a silence has the watch sent now (its answer re-reads everything). */
  private heartbeatHeard(message: unknown): void {
    const intervalMs = readHeartbeatMessage(message);
    if (intervalMs instanceof Error) return this.sink?.error(intervalMs);
    if (this.heartbeat.heard(intervalMs) && this.lease.failed && !this.inflight) void this.sendWatch();
    // The relay is up, watches for this page and pushes what Graph tells it: whoever it pushed nothing for since is
    // as shown, and stays fresh (not marked out of date after the client's staleAfterMs of calm).
    if (this.live && !this.lease.failed) this.sink?.current?.(this.pushed());
  }

  /** The watched ids whose changes the relay pushes now: not polled, and confirmed covered. */
  private pushed(): string[] {
    return this.ids.filter((id) => !this.uncovered.has(id) && !this.unconfirmed.has(id));
  }

  /**
   * The relay's heartbeats stopped: it may have died while SignalR Service keeps the connection up, so nothing is
   * pushed. As after a failed watch: everything watched is polled, the state says so, and the watch is tried soon.
   */
  private relaySilent(): void {
    if (this.stopped || !this.live) return;
    if (this.lease.fail()) {
      this.syncFallback();
      this.readAgain.takeOver(this.sink, DROP_GRACE_MS);
      this.sink?.state('reconnecting', 'The relay stopped sending heartbeats; polling meanwhile.');
    }
    if (!this.inflight) this.lease.retryNow();
  }

  /**
   * The browser lost its network: nothing comes in, though the connection may look up for a while yet, so every
   * presence shown is marked as possibly out of date (a failed refresh) and the state says why.
   */
  private wentOffline(): void {
    if (this.stopped) return;
    this.sink?.state('offline', 'The browser is offline; the presence shown may be out of date.');
    if (this.ids.length) this.sink?.error(new Error('The browser is offline.'), this.ids);
  }

  /** Back online: everything shown is read again, and the relay reached now rather than after a backoff. */
  private cameOnline(): void {
    if (this.stopped) return;
    this.sink?.state(this.live && !this.lease.failed ? 'connected' : 'reconnecting');
    void this.readAgain.run(this.sink);
    if (!this.live) this.hurry();
    else if (!this.inflight) void this.sendWatch();
  }

  /**
   * Shown again (or back online): a connection or a watch still being retried is tried now, not after a backoff that
   * grew while the page was hidden (up to 30 s).
   */
  private hurry(): void {
    if (this.stopped) return;
    if (this.live) {
      if (this.lease.failed && !this.inflight) this.lease.retryNow();
      return;
    }
    if (this.retryTimer !== undefined) {
      this.clock.clearTimeout(this.retryTimer);
      void this.connect();
    } else if (this.connection?.state === 'Reconnecting') {
      // SignalR's own reconnection waits out its backoff: it is ended, and a new connection made at once.
      this.restartNow = true;
      void this.connection.stop();
    }
  }

  private scheduleRetry(): void {
    this.clock.clearTimeout(this.retryTimer);
    this.sink?.state('reconnecting', 'The relay is unreachable; polling meanwhile.');
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), reconnectDelay(this.attempts++));
  }

  private connected(first: boolean): void {
    this.attempts = 0;
    this.wasUp = true;
    this.live = true;
    // A watch that failed is still failed: the relay's answer ends that outage.
    if (!this.lease.failed) this.readAgain.pushesBack();
    this.heartbeat.listen();
    this.syncFallback();
    // A watch that failed is tried now (below); until it is answered the page is not shown as live.
    if (!this.lease.failed) this.sink?.state('connected');
    void this.sendWatch();
    // Nothing is replayed after a reconnection: read everything again. (The first time, watching seeds it.)
    if (!first) void this.readAgain.run(this.sink);
  }
}
