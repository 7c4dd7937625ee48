import type { Scheduler, TimerHandle } from '../client/scheduler.js';

/** Heartbeat intervals without a beat after which the relay is taken for down. */
export const SILENT_BEATS = 2.5;

/**
 * Whether the relay's heartbeat (one broadcast to every page each interval) still comes. Nothing is expected until a
 * beat was heard: a relay that sends none (an older one, or heartbeats turned off) is never taken for down. Once one
 * was heard, `SILENT_BEATS` announced intervals without another, by the scheduler's clock (a hidden page's timers may
 * fire late, never early: the time passed is read, not the timers counted), call `onSilence` once.
 */
export class RelayHeartbeat {
  /** The relay's interval, from its last beat; unknown until one is heard (or after `forget`). */
  private intervalMs: number | undefined;
  /** When the last beat was heard, or listening began again. */
  private lastAt = 0;
  private timer: TimerHandle | undefined;
  /** Whether the beats stopped (`onSilence` was called) and none came since. */
  silent = false;

  constructor(
    private readonly clock: Scheduler,
    private readonly onSilence: () => void,
  ) {}

  /** A beat was heard; true when it ends a silence. */
  heard(intervalMs: number): boolean {
    const ended = this.silent;
    this.silent = false;
    this.intervalMs = intervalMs;
    this.lastAt = this.clock.now();
    this.watch();
    return ended;
  }

  /** The connection is up (again): beats are expected from now, if any was ever heard. */
  listen(): void {
    this.silent = false;
    this.lastAt = this.clock.now();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.watch();
  }

  /** The connection is down (or stopped): no beat can come, and none is waited for. */
  pause(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * The relay answered while silent: it runs but its beats do not reach this page (it sends none now). Nothing is
   * expected until a beat is heard again.
   */
  forget(): void {
    this.pause();
    this.silent = false;
    this.intervalMs = undefined;
  }

  private watch(): void {
    if (this.timer !== undefined || this.intervalMs === undefined || this.silent) return;
    const due = this.lastAt + this.intervalMs * SILENT_BEATS - this.clock.now();
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (this.intervalMs === undefined) return;
        if (this.clock.now() - this.lastAt >= this.intervalMs * SILENT_BEATS) {
          this.silent = true;
          this.onSilence();
        } else this.watch();
      },
      Math.max(0, due),
    );
  }
}
