import { realScheduler, type Scheduler, type TimerHandle } from '../client/scheduler.js';
import { backoff } from '../graph/backoff.js';
import type { GraphCallError } from '../graph/retry.js';
import type { GraphPresence } from '../presence/types.js';
import { pollingInterval } from './interval.js';
import { readTabMessage, type TabMessage } from './tab-message.js';
import type { PresenceTransport, TransportSink } from './transport.js';

export interface PollingOptions {
  /** Reads presences for ids (the client's source). */
  fetch: (ids: string[], signal: AbortSignal) => Promise<GraphPresence[]>;
  /** Between polls. Default 30 s; kept between 1 s and 1 hour (a value outside is reported to the client). */
  intervalMs?: number;
  /**
   * Tabs of the same app share one poller: the visible tab holding the lock polls every tab's ids and broadcasts
   * what it reads; the others listen. The key must name where the presences come from (app, tenant, Graph's root):
   * pollers with the same key poll each other's ids with their own source. `false` polls in every tab.
   */
  shareAcrossTabs?: string | false;
  /** For tests: the document whose visibility pauses polling. */
  document?: Document;
  /** The clock and timers polling runs on. Default the page's own. */
  scheduler?: Scheduler;
  /**
   * Follows the browser's network (default true): offline, what is shown is marked as possibly out of date at once;
   * online again, a poll is made at once. A transport that polls as another's fallback leaves that to the other.
   */
  followNetwork?: boolean;
}

const MAX_BACKOFF = 5 * 60_000;

/**
 * Polls Microsoft Graph for the watched ids only. Pauses while the page is hidden and catches up as soon as it is
 * shown; backs off on errors and honours Retry-After; one poller per browser for the same app, in a visible tab.
 */
export class PollingTransport implements PresenceTransport {
  private sink: TransportSink | undefined;
  private ids: ReadonlySet<string> = new Set();
  private timer: TimerHandle | undefined;
  private readonly intervalMs: number;
  /** Why the interval asked for could not be kept, told to the client when it starts. */
  private readonly intervalProblem: string | undefined;
  private failures = 0;
  /** When presences last came in: polled here, or broadcast by the tab that polls. */
  private lastPoll = 0;
  /** No poll before this time (a backoff, or Graph's Retry-After). */
  private notBefore = 0;
  private running: AbortController | undefined;
  private stopped = false;
  private readonly doc: Document | undefined;
  private readonly clock: Scheduler;
  private readonly tab = Math.random().toString(36).slice(2);
  private channel: BroadcastChannel | undefined;
  private locks: LockManager | undefined;
  /** This tab's request for the poller's lock, while it waits for it or holds it. */
  private lockRequest: AbortController | undefined;
  private releaseLock: (() => void) | undefined;
  private heartbeat: TimerHandle | undefined;
  /** Whether this tab polls (it holds the lock, or tabs are not shared). */
  leader = false;
  /** Other tabs' watched ids, when this tab leads. */
  private readonly others = new Map<string, { ids: string[]; at: number }>();
  /** Polls made by this tab, for tests and benchmarks. */
  polls = 0;

  constructor(private readonly options: PollingOptions) {
    const interval = pollingInterval(options.intervalMs);
    this.intervalMs = interval.ms;
    this.intervalProblem = interval.problem;
    this.doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
    this.clock = options.scheduler ?? realScheduler;
  }

  private readonly onVisibility = () => {
    if (this.hidden()) {
      this.clearTimer();
      this.running?.abort();
      // A hidden tab does not poll, not even for the others: it lets go of the lock (or leaves the queue for it) so
      // that a visible tab takes over at once. When every tab is hidden, nobody polls.
      if (this.locks) this.resign();
      this.sink?.state('paused', 'The page is hidden.');
    } else {
      // Back in view: catch up at once when a poll is due (after taking the lock, when tabs are shared).
      if (this.locks) this.requestLead();
      else if (this.leader) this.schedule(this.dueIn());
      this.sink?.state('connected');
    }
  };

  start(sink: TransportSink): void {
    this.sink = sink;
    if (this.intervalProblem) sink.error(new RangeError(this.intervalProblem));
    // The client reads the ids it watches as it starts watching them: the first poll is an interval away.
    this.lastPoll = this.clock.now();
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
    if (this.options.followNetwork !== false) {
      globalThis.addEventListener?.('offline', this.onOffline);
      globalThis.addEventListener?.('online', this.onOnline);
    }
    const key = this.options.shareAcrossTabs;
    const locks =
      typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
    if (key && locks && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`presence-elements:${key}`);
      this.channel.onmessage = (event: MessageEvent<unknown>) => {
        const message = readTabMessage(event.data);
        if (message) this.onMessage(message);
      };
      this.locks = locks;
      sink.state('connected', 'Listening to the tab that polls.');
      if (!this.hidden()) this.requestLead();
      this.announce();
      // Tabs say what they watch now and then, so the polling tab forgets tabs that went away without a word.
      this.heartbeat = this.clock.setInterval(() => this.announce(), this.intervalMs);
    } else {
      this.leader = true;
      sink.state('connected');
      this.schedule(this.intervalMs);
    }
  }

  watch(ids: ReadonlySet<string>): void {
    if (this.stopped) return;
    this.ids = ids;
    this.announce();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.clock.clearInterval(this.heartbeat);
    this.running?.abort();
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.channel?.postMessage({ type: 'bye', tab: this.tab } satisfies TabMessage);
    this.channel?.close();
    this.channel = undefined;
    if (this.locks) this.resign();
    this.sink?.state('idle');
  }

  /** The browser lost its network: what this tab shows is marked as possibly out of date now, not at the next poll. */
  private readonly onOffline = () => {
    if (this.stopped) return;
    this.sink?.state('offline');
    if (this.ids.size) this.sink?.error(new Error('The browser is offline.'), [...this.ids]);
  };

  /**
   * Back online: the tab that polls polls now, whatever backoff the failures while offline set; the state leaves
   * `offline` first, so that what is read (here, or by the tab that polls) clears the marks.
   */
  private readonly onOnline = () => {
    this.notBefore = 0;
    if (!this.hidden()) this.sink?.state('connected');
    if (this.leader) this.schedule(0);
  };

  /** Queues for the poller's lock; this tab polls once it holds it. */
  private requestLead(): void {
    const key = this.options.shareAcrossTabs;
    if (!this.locks || !key || this.lockRequest || this.stopped) return;
    const request = new AbortController();
    this.lockRequest = request;
    this.locks
      .request(`presence-elements-poller:${key}`, { signal: request.signal }, () => {
        // Granted after this tab was hidden or stopped: let the next tab in the queue have it.
        if (this.lockRequest !== request) return undefined;
        this.leader = true;
        // Polls when the last poll (perhaps the previous leader's) is an interval old, not at once.
        this.schedule(this.dueIn());
        return new Promise<void>((resolve) => (this.releaseLock = resolve));
      })
      // Withdrawn while waiting (the tab was hidden or stopped).
      .catch(() => undefined);
  }

  /** Stops polling for the other tabs and leaves the lock, or the queue for it, to them. */
  private resign(): void {
    this.lockRequest?.abort();
    this.lockRequest = undefined;
    this.leader = false;
    this.clearTimer();
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  private announce(): void {
    this.channel?.postMessage({ type: 'watch', tab: this.tab, ids: [...this.ids] } satisfies TabMessage);
  }

  private onMessage(message: TabMessage): void {
    if (message.type === 'presences') {
      if (this.leader) return;
      this.lastPoll = this.clock.now();
      this.sink?.update(message.presences, message.readAt);
    } else if (message.type === 'failed') {
      // The tab that polls could not read: the people this tab shows may be out of date too.
      if (this.leader) return;
      this.sink?.error(
        new Error(message.message),
        message.ids.filter((id) => this.ids.has(id)),
      );
    } else if (message.type === 'watch') {
      this.others.set(message.tab, { ids: message.ids, at: this.clock.now() });
    } else if (message.type === 'bye') {
      this.others.delete(message.tab);
    }
  }

  private hidden(): boolean {
    return this.doc?.visibilityState === 'hidden';
  }

  private clearTimer(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** How long until a poll is due: none when the last one is an interval old (and no backoff holds it back). */
  private dueIn(): number {
    const now = this.clock.now();
    return Math.max(0, this.lastPoll + this.intervalMs - now, this.notBefore - now);
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.stopped || !this.leader || this.hidden()) return;
    this.timer = this.clock.setTimeout(() => void this.poll(), ms);
  }

  private allIds(): string[] {
    const all = new Set(this.ids);
    const expired = this.clock.now() - 3 * this.intervalMs;
    for (const [tab, other] of this.others) {
      if (other.at < expired) this.others.delete(tab);
      else for (const id of other.ids) all.add(id);
    }
    return [...all];
  }

  private async poll(): Promise<void> {
    const ids = this.allIds();
    if (ids.length === 0) return this.schedule(this.intervalMs);
    this.running = new AbortController();
    const started = this.clock.now();
    try {
      this.polls++;
      const presences = await this.options.fetch(ids, this.running.signal);
      this.failures = 0;
      this.lastPoll = started;
      this.notBefore = 0;
      this.sink?.update(presences, started);
      this.channel?.postMessage({ type: 'presences', presences, readAt: started } satisfies TabMessage);
      this.sink?.state('connected');
      this.schedule(this.intervalMs);
    } catch (error) {
      if (this.running.signal.aborted) return;
      this.failures++;
      const retryAfter = (error as GraphCallError).retryAfterMs;
      const wait = Math.min(
        MAX_BACKOFF,
        Math.max(
          retryAfter ?? 0,
          this.intervalMs + backoff(this.failures, { baseMs: this.intervalMs, capMs: MAX_BACKOFF }),
        ),
      );
      this.notBefore = this.clock.now() + wait;
      // The people this tab shows are told at once (their presence is kept, marked as possibly out of date).
      this.sink?.error(
        error as Error,
        ids.filter((id) => this.ids.has(id)),
      );
      const message = error instanceof Error ? error.message : String(error);
      this.channel?.postMessage({ type: 'failed', message, ids } satisfies TabMessage);
      this.sink?.state('reconnecting', `Polling failed; trying again in ${Math.round(wait / 1000)} s.`);
      this.schedule(wait);
    }
  }
}
