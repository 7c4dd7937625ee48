// Who watches what, when several instances share one store: a notification may reach any instance, so each one
// keeps the watch sessions made through the others too. They are read from the store (`sessionsSince`): every
// `intervalMs` (1 s by default), and, before a notification collection is fanned out, by a read that began after the
// collection arrived (`fresh`). So a watch stored before a notification arrives is always seen by the instance that
// fans it out: a watch's answer is given once its session is stored, and a page re-reads what it added after that
// answer, so no change is missed between the two. Reads are coalesced: while one is under way, every collection that
// arrived before it began waits for it, the others for the next one (at most one query at a time per instance).
import { performance } from 'node:perf_hooks';
import type { RelayLogger } from './logger.js';
import type { RelayStore, SessionCursor } from './store.js';
import type { Watchers, WatchChange } from './watchers.js';

export const DEFAULT_SESSIONS_REFRESH_MS = 1_000;

export class SharedSessions {
  private cursor: SessionCursor | undefined;
  private inflight: { started: number; done: Promise<void> } | undefined;
  /** When the last read that completed began (monotonic milliseconds). */
  private freshFrom = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Sessions read from the store and applied, for operators and tests. */
  readonly stats = { reads: 0, applied: 0 };

  constructor(
    private readonly store: RelayStore,
    private readonly watchers: Watchers,
    private readonly options: {
      /** The relay's clock (milliseconds since the epoch): a session whose lease ended is not taken in. */
      now: () => number;
      /** Told what the sessions read changed, to have the keeper cover it. */
      onChange: (change: WatchChange) => void;
      logger: RelayLogger;
    },
  ) {
    if (!store.sessionsSince) throw new Error('this store is not shared: it cannot say which sessions changed');
  }

  /** The monotonic clock `fresh` compares with. */
  static clock(): number {
    return performance.now();
  }

  start(intervalMs = DEFAULT_SESSIONS_REFRESH_MS): void {
    this.timer = setInterval(
      () =>
        void this.refresh().catch((error: Error) =>
          this.options.logger.warn(`reading the watch sessions from the store failed: ${error.message}`),
        ),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves once a read that began at or after `since` (see `clock`) has been applied. */
  async fresh(since: number): Promise<void> {
    for (;;) {
      if (this.freshFrom >= since) return;
      const running = this.inflight;
      if (running && running.started >= since) return running.done;
      if (running) await running.done.catch(() => undefined);
      else await this.refresh();
    }
  }

  /** Reads what changed since the last read (one read at a time: a call during one joins it). */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight.done;
    const started = SharedSessions.clock();
    const done = this.read()
      .then(() => {
        this.freshFrom = Math.max(this.freshFrom, started);
      })
      .finally(() => {
        this.inflight = undefined;
      });
    this.inflight = { started, done };
    return done;
  }

  private async read(): Promise<void> {
    const { sessions, cursor } = await this.store.sessionsSince!(this.cursor);
    this.cursor = cursor;
    this.stats.reads++;
    const change: WatchChange = { added: [], removed: [] };
    const now = this.options.now();
    for (const { userId, session, value } of sessions) {
      const local = this.watchers.updatedAt(userId, session);
      // Older than what this instance holds (its own later write, or one read before): nothing to learn.
      if (local !== undefined && value.updatedAt !== undefined && value.updatedAt < local) continue;
      const live = value.expiresAt > now ? value.ids : [];
      const set = this.watchers.set(userId, live, {
        session,
        expiresAt: value.expiresAt,
        ...(value.updatedAt !== undefined ? { updatedAt: value.updatedAt } : {}),
        stored: true,
      });
      this.stats.applied++;
      for (const id of set.removed) {
        const at = change.added.indexOf(id);
        if (at >= 0) change.added.splice(at, 1);
        else change.removed.push(id);
      }
      for (const id of set.added) {
        const at = change.removed.indexOf(id);
        if (at >= 0) change.removed.splice(at, 1);
        else change.added.push(id);
      }
    }
    if (change.added.length || change.removed.length) this.options.onChange(change);
  }
}
