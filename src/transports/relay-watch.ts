// The page's watch session at the relay, as the SignalR transport keeps it: the ids watched (sent together), the
// lease (renewed at half its length, tried again soon after a failure), which ids the relay covers, and what is read
// again when the relay answers after an outage or starts covering new ids.
import type { Scheduler, TimerHandle } from '../client/scheduler.js';
import type { ReadAgain } from './read-again.js';
import type { RelayHeartbeat } from './relay-heartbeat.js';
import { readCoverageMessage } from './relay-messages.js';
import { RelaySession, WatchRefused } from './relay-session.js';
import type { SignalRTransportOptions } from './signalr-options.js';
import type { TransportSink } from './transport.js';
import { WatchLease } from './watch-lease.js';

/** What the watch needs of its transport. */
export interface WatchHost {
  sink(): TransportSink | undefined;
  /** The connection is up: the relay's pushes reach the page. */
  live(): boolean;
  stopped(): boolean;
  readonly heartbeat: RelayHeartbeat;
  readonly readAgain: ReadAgain;
  /** Polls what pushes cannot bring now (`RelayWatch.polled`). */
  syncFallback(): void;
  /** Pushes stopped: what they brought is read soon, unless they come back first (`ReadAgain.takeOver`). */
  pushesStopped(): void;
}

export class RelayWatch {
  /** The ids watched, as last told. */
  private ids: string[] = [];
  /** Ids added since the relay last confirmed, while connected, that it covers them. */
  private readonly unconfirmed = new Set<string>();
  /** Ids the relay said Graph does not cover yet: polled (by the fallback) until a later answer says they are. */
  private uncovered = new Set<string>();
  private readonly lease: WatchLease;
  readonly relay: RelaySession;
  private timer: TimerHandle | undefined;
  /** The watch request under way, if any. */
  inflight: Promise<void> | undefined;

  constructor(
    options: SignalRTransportOptions,
    private readonly clock: Scheduler,
    private readonly host: WatchHost,
  ) {
    this.relay = new RelaySession(options, clock);
    this.lease = new WatchLease(clock, () => void this.send());
  }

  /** The ids watched. */
  get watched(): string[] {
    return this.ids;
  }

  /** The last watch failed: the relay may not watch for this page now. */
  get failed(): boolean {
    return this.lease.failed;
  }

  /** The ids watched changed; watches made together are told to the relay together. */
  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = [...ids];
    for (const id of added) this.unconfirmed.add(id);
    for (const id of removed) this.unconfirmed.delete(id);
    this.host.syncFallback();
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.send(), 30);
  }

  /**
   * What polling must fill: every watched id while the relay is unreachable (the connection is down, or the last
   * watch failed); otherwise only the ids the relay said Graph does not cover yet.
   */
  polled(): string[] {
    if (this.host.stopped()) return [];
    return this.host.live() && !this.lease.failed ? this.ids.filter((id) => this.uncovered.has(id)) : this.ids;
  }

  /** The watched ids whose changes the relay pushes now: not polled, and confirmed covered. */
  pushed(): string[] {
    return this.ids.filter((id) => !this.uncovered.has(id) && !this.unconfirmed.has(id));
  }

  send(): Promise<void> {
    if (this.host.stopped()) return Promise.resolve();
    this.lease.cancel();
    const run = this.post().finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  /** The relay seems down (its heartbeats stopped): polled as after a failed watch, and asked again now. */
  relaySilent(): void {
    if (this.lease.fail()) {
      this.host.syncFallback();
      this.host.pushesStopped();
      this.host.sink()?.state('reconnecting', 'The relay stopped sending heartbeats; polling meanwhile.');
    }
    if (!this.inflight) this.lease.retryNow();
  }

  /** A sign of the relay (a heartbeat back, the page shown again): a watch still being retried is tried now. */
  hurry(): void {
    if (this.lease.failed && !this.inflight) this.lease.retryNow();
  }

  /** A heartbeat after a silence: the watch is sent now, and its answer has everything read again. */
  relayBack(): void {
    if (this.lease.failed && !this.inflight) void this.send();
  }

  /**
   * The relay lost Graph coverage of some watched people (`uncovered`: polled from now on, so none shows as live
   * while nothing pushes it) or has it again (`covered`: read once, for what changed meanwhile, then pushed only).
   */
  coverage(message: unknown): void {
    const coverage = readCoverageMessage(message);
    if (coverage instanceof Error) {
      this.host.sink()?.error(coverage);
      return;
    }
    const watched = new Set(this.ids);
    for (const id of coverage.lost) if (watched.has(id)) this.uncovered.add(id);
    const again = coverage.regained.filter((id) => watched.has(id));
    for (const id of again) this.uncovered.delete(id);
    this.host.syncFallback();
    if (again.length) void this.host.readAgain.run(this.host.sink(), again);
    // While some are uncovered, the relay is asked again soon, as after a watch answer naming them.
    if (this.uncovered.size) this.lease.renewSoon(true);
  }

  /** Asks the client to read again those of `ids` still watched. */
  readWatched(ids: string[]): void {
    const watched = new Set(this.ids);
    const again = ids.filter((id) => watched.has(id));
    if (again.length) void this.host.readAgain.run(this.host.sink(), again);
  }

  /** The page goes away: the relay is told this session watches nothing. */
  leave(): void {
    this.lease.end();
    this.relay.leave();
  }

  /**
   * The transport stops: the relay drops this session's watch now, not when its lease lapses; a watch request still
   * under way could reach it later, so it is ended once more after that one.
   */
  stop(): void {
    this.clock.clearTimeout(this.timer);
    const inflight = this.inflight;
    this.leave();
    if (inflight) void inflight.then(() => this.relay.end());
  }

  private async post(): Promise<void> {
    const { host } = this;
    const live = host.live();
    const pending = [...this.unconfirmed];
    const ids = this.ids;
    const sentAt = this.clock.now();
    const lapsed = this.lease.lapsed(sentAt);
    try {
      const answer = await this.relay.post(ids, () => host.stopped());
      if (!answer) return;
      const wasFailed = this.lease.answered(sentAt, ids.length > 0, answer.leaseMs);
      // What the relay cannot cover yet is polled meanwhile, and the relay asked again soon.
      this.uncovered = new Set(answer.uncovered);
      // Answered while its heartbeats are silent: the relay runs, but sends none (now); they are waited for no more.
      if (host.heartbeat.silent) host.heartbeat.forget();
      host.syncFallback();
      if (wasFailed && host.live()) {
        host.readAgain.pushesBack();
        host.sink()?.state('connected');
      }
      if (ids.length) this.lease.renewSoon(this.uncovered.size > 0);
      if (!live) return;
      // Answered while pushes flow: whoever was pushed nothing since is as shown (as after a heartbeat).
      if (host.live() && !lapsed && !wasFailed) host.sink()?.current?.(this.pushed());
      if ((lapsed || wasFailed) && ids.length) {
        // What changed while the relay did not watch for this page: everything watched is read once (the client
        // reads 650 to a request).
        this.unconfirmed.clear();
        void host.readAgain.run(host.sink());
      } else if (pending.length) {
        // The relay answers once Graph's subscriptions cover the new ids. They were first read before that (and
        // perhaps before this connection was up): read them once more, so a change in between is not missed.
        for (const id of pending) this.unconfirmed.delete(id);
        this.readWatched(pending);
      }
    } catch (error) {
      if (host.stopped()) return;
      host.sink()?.error(error as Error);
      if (!this.ids.length) return;
      // The relay may not watch for this page now: everything is polled until a watch is answered again.
      const refused = error instanceof WatchRefused && !error.serverFault;
      if (this.lease.fail()) {
        host.syncFallback();
        if (host.live()) {
          // What the relay would have pushed since it stopped watching is read soon, unless a try is answered first.
          host.pushesStopped();
          host
            .sink()
            ?.state(
              'reconnecting',
              refused
                ? 'The relay refused the watch list; polling meanwhile.'
                : 'The relay is unreachable; polling meanwhile.',
            );
        }
      }
      this.lease.retryAfterFailure(refused);
    }
  }
}
