// The SignalR transport's watch session at the relay, as a lease: when it was last answered, how long the relay
// keeps it, whether the last watch failed (the relay may not be watching for this page), and when to ask again.
import type { Scheduler, TimerHandle } from '../client/scheduler.js';
import { watchRetryDelay } from './relay-delays.js';

/** While the relay cannot cover some ids, it is asked again this often (they are polled meanwhile). */
const UNCOVERED_RECHECK_MS = 60_000;

export class WatchLease {
  /** How long the relay keeps this session's watch unless renewed (from its last answer). */
  private leaseMs: number | undefined;
  private timer: TimerHandle | undefined;
  /**
   * Whether the last watch failed: the relay may not be watching for this page, so its pushes cannot be relied on
   * (everything is polled), and once a watch is answered again everything watched is read again.
   */
  failed = false;
  /** Watches failed in a row, for the backoff between tries. */
  private failures = 0;
  /** Whether the session was ended (the page was hidden): the relay pushed nothing for it since. */
  private ended = false;
  /** When the relay last answered a watch of some ids, and so renewed the session's lease. */
  private lastAnswered: number | undefined;

  constructor(
    private readonly clock: Scheduler,
    private readonly send: () => void,
  ) {}

  /**
   * Whether the relay may no longer know the session at `now`: a watch failed since the last answer, the page ended
   * it, or the lease has passed since it (the page was suspended, or its timers held back). Nothing was pushed for
   * it meanwhile.
   */
  lapsed(now: number): boolean {
    return (
      this.failed ||
      this.ended ||
      (this.lastAnswered !== undefined && this.leaseMs !== undefined && now - this.lastAnswered >= this.leaseMs)
    );
  }

  /** A watch sent at `sentAt` was answered; says whether it ends a failed spell. */
  answered(sentAt: number, anyIds: boolean, leaseMs: number | undefined): boolean {
    const wasFailed = this.failed;
    this.failures = 0;
    this.failed = false;
    this.ended = false;
    this.lastAnswered = anyIds ? sentAt : undefined;
    this.leaseMs = leaseMs;
    return wasFailed;
  }

  /** The relay may not watch for this page now; says whether this starts a failed spell. */
  fail(): boolean {
    if (this.failed) return false;
    this.failed = true;
    return true;
  }

  /** Renewed at half the lease, so one failed renewal still leaves time for another; sooner while some are uncovered. */
  renewSoon(uncovered: boolean): void {
    if (!this.leaseMs) return;
    this.renewIn(uncovered ? Math.min(this.leaseMs / 2, UNCOVERED_RECHECK_MS) : this.leaseMs / 2);
  }

  /**
   * A watch failed. Unreachable (or failing): tried again within seconds, backing off. Refused: well before the
   * lease would lapse, at most a minute apart.
   */
  retryAfterFailure(refused: boolean): void {
    this.renewIn(refused ? Math.min((this.leaseMs ?? 240_000) / 4, 60_000) : watchRetryDelay(this.failures++));
  }

  /** Tries now (at the shortest wait), with the backoff started afresh. */
  retryNow(): void {
    this.failures = 0;
    this.renewIn(0);
  }

  renewIn(ms: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.send(), Math.max(this.failed ? 250 : 1_000, ms));
  }

  cancel(): void {
    this.clock.clearTimeout(this.timer);
  }

  /** The page ended the session (it went away, or the transport stopped). */
  end(): void {
    this.cancel();
    if (this.lastAnswered !== undefined) this.ended = true;
  }
}
