import type { HubConnection } from '@microsoft/signalr';
import { realScheduler, type Scheduler, type TimerHandle } from '../client/scheduler.js';
import type { SignalRTransportOptions } from './signalr-options.js';
import { FallbackPoller } from './fallback-poller.js';
import { openHubConnection, refusedToken } from './hub-connection.js';
import { reconnectDelay } from './relay-delays.js';
import { ReadAgain } from './read-again.js';
import { RelayHeartbeat } from './relay-heartbeat.js';
import { readHeartbeatMessage } from './relay-messages.js';
import { RelayWatch, type WatchHost } from './relay-watch.js';
import type { PresenceTransport, TransportSink } from './transport.js';
import { followWindow } from './window-events.js';

export { reconnectDelay, watchRetryDelay } from './relay-delays.js';
export { watchSessionId } from './relay-session.js';
export type { SignalRTransportOptions } from './signalr-options.js';

/**
 * Pushes that stop (the connection dropped, the relay silent or not answering) usually come back within a second or
 * two (SignalR Service restarting, a watch tried again at once), with everything read again then; still stopped after
 * this long, what was pushed is read now rather than at the fallback's first poll, an interval away.
 */
const DROP_GRACE_MS = 3_000;

/**
 * Live presence pushed by the relay through Azure SignalR Service. `@microsoft/signalr` is loaded only when this
 * transport starts. After every reconnection the client re-reads presence from Graph, so nothing stale stays on
 * screen; while the relay is unreachable, the fallback (polling) takes over.
 *
 * Each transport is one watch session at the relay (`{ ids, session }`, kept by `RelayWatch`), so several tabs of
 * one user never undo each other's watches. The relay gives each session a lease, renewed at half its length;
 * `stop()` and leaving the page (`pagehide`) end the session at once, and a page back from the back/forward cache
 * watches again.
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
  private stopped = false;
  private readonly clock: Scheduler;
  private readonly fallback: FallbackPoller;
  private readonly heartbeat: RelayHeartbeat;
  /** What the client is asked to read again (updates may have been missed), tried until it is read. */
  private readonly readAgain: ReadAgain;
  private readonly watching: RelayWatch;
  private retryTimer: TimerHandle | undefined;
  private attempts = 0;
  /** Whether the connection is up, so the relay's pushes reach this page. */
  private live = false;
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
    this.heartbeat = new RelayHeartbeat(this.clock, () => this.relaySilent());
    this.readAgain = new ReadAgain(this.clock);
    const host: WatchHost = {
      sink: () => this.sink,
      live: () => this.live,
      stopped: () => this.stopped,
      heartbeat: this.heartbeat,
      readAgain: this.readAgain,
      syncFallback: () => this.syncFallback(),
      pushesStopped: () => this.pushesStopped(),
    };
    this.watching = new RelayWatch(options, this.clock, host);
  }

  /** This transport's watch session at the relay. */
  get session(): string {
    return this.watching.relay.id;
  }

  /** The watch request under way, if any. */
  private get inflight(): Promise<void> | undefined {
    return this.watching.inflight;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.unfollowWindow = followWindow({
      pagehide: () => this.watching.leave(),
      // Back from the back/forward cache: the watch was ended when the page was hidden.
      pageshow: (event) => void (event.persisted && !this.stopped && this.watching.send()),
      offline: () => this.wentOffline(),
      online: () => this.cameOnline(),
      shown: () => this.hurry(),
    });
    void this.connect();
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.watching.watch(ids, added, removed);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.retryTimer);
    this.heartbeat.pause();
    this.readAgain.stop();
    this.unfollowWindow?.();
    this.watching.stop();
    this.fallback.stop();
    void this.connection?.stop();
    this.sink?.state('idle');
  }

  /** Polling fills what pushes cannot (`RelayWatch.polled`); nothing to poll: no poller. */
  private syncFallback(): void {
    this.fallback.sync(this.watching.polled(), this.sink);
  }

  /** Pushes stopped: what they brought is read once `DROP_GRACE_MS` from now, unless they come back first. */
  private pushesStopped(): void {
    this.readAgain.takeOver(this.sink, DROP_GRACE_MS);
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.sink?.state(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const relay = this.watching.relay;
    try {
      const connection = await openHubConnection(this.options.relayUrl, () => relay.token(), {
        target: this.options.target ?? 'presence',
        presence: (presences) => {
          // Said, not thrown: the connection and every other update go on.
          if (presences instanceof Error) return this.sink?.error(presences);
          this.received += presences.length;
          this.sink?.update(presences);
        },
        // The relay could not read these people's change from Graph itself: read them here, so nothing is missed.
        resync: (ids) => (ids instanceof Error ? this.sink?.error(ids) : this.watching.readWatched(ids)),
        coverage: (message) => this.watching.coverage(message),
        heartbeat: (message) => this.heartbeatHeard(message),
        reconnecting: () => {
          this.live = false;
          this.heartbeat.pause();
          this.sink?.state('reconnecting', 'The connection to the relay dropped; reconnecting.');
          this.syncFallback();
          this.pushesStopped();
        },
        reconnected: () => this.connected(false),
        unauthorized: () => relay.forgetToken(),
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
          if (this.wasUp) this.pushesStopped();
          this.scheduleRetry();
        },
      });
      this.connection = connection;
      await connection.start();
      // A connection made anew after one that was up (ended to hurry it) is a reconnection too.
      this.connected(this.attempts === 0 && !this.wasUp);
    } catch (error) {
      if (this.stopped) return;
      if (refusedToken(error)) relay.forgetToken();
      this.sink?.error(error as Error);
      this.syncFallback();
      this.scheduleRetry();
    }
  }

  /** A beat from the relay; the first after a silence has the watch sent now (its answer re-reads everything). */
  private heartbeatHeard(message: unknown): void {
    const intervalMs = readHeartbeatMessage(message);
    if (intervalMs instanceof Error) return this.sink?.error(intervalMs);
    if (this.heartbeat.heard(intervalMs)) this.watching.relayBack();
    // The relay is up, watches for this page and pushes what Graph tells it: whoever it pushed nothing for since is
    // as shown, and stays fresh (not marked out of date after the client's staleAfterMs of calm).
    if (this.live && !this.watching.failed) this.sink?.current?.(this.watching.pushed());
  }

  /**
   * The relay's heartbeats stopped: it may have died while SignalR Service keeps the connection up, so nothing is
   * pushed. As after a failed watch: everything watched is polled, the state says so, and the watch is tried soon.
   */
  private relaySilent(): void {
    if (this.stopped || !this.live) return;
    this.watching.relaySilent();
  }

  /**
   * The browser lost its network: nothing comes in, though the connection may look up for a while yet, so every
   * presence shown is marked as possibly out of date (a failed refresh) and the state says why.
   */
  private wentOffline(): void {
    if (this.stopped) return;
    this.sink?.state('offline', 'The browser is offline; the presence shown may be out of date.');
    const watched = this.watching.watched;
    if (watched.length) this.sink?.error(new Error('The browser is offline.'), watched);
  }

  /** Back online: everything shown is read again, and the relay reached now rather than after a backoff. */
  private cameOnline(): void {
    if (this.stopped) return;
    this.sink?.state(this.live && !this.watching.failed ? 'connected' : 'reconnecting');
    void this.readAgain.run(this.sink);
    if (!this.live) this.hurry();
    else if (!this.inflight) void this.watching.send();
  }

  /**
   * Shown again (or back online): a connection or a watch still being retried is tried now, not after a backoff that
   * grew while the page was hidden (up to 30 s).
   */
  private hurry(): void {
    if (this.stopped) return;
    if (this.live) return this.watching.hurry();
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
    if (!this.watching.failed) this.readAgain.pushesBack();
    this.heartbeat.listen();
    this.syncFallback();
    // A watch that failed is tried now (below); until it is answered the page is not shown as live.
    if (!this.watching.failed) this.sink?.state('connected');
    void this.watching.send();
    // Nothing is replayed after a reconnection: read everything again. (The first time, watching seeds it.)
    if (!first) void this.readAgain.run(this.sink);
  }
}
