import { newEntry, type Entry } from './entry.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * The people the client knows, with how many watchers each has. One nobody watches is kept `keepMs` (a quick
 * re-watch costs nothing), then forgotten.
 */
export class WatchCounts {
  readonly entries = new Map<string, Entry>();
  private readonly forgetTimers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Scheduler,
    private readonly keepMs: number,
  ) {}

  /** One more watcher for `id` (the person is known from now on, if they were not). */
  retain(id: string): Entry {
    const timer = this.forgetTimers.get(id);
    if (timer !== undefined) {
      this.clock.clearTimeout(timer);
      this.forgetTimers.delete(id);
    }
    let entry = this.entries.get(id);
    if (!entry) {
      entry = newEntry(id);
      this.entries.set(id, entry);
    }
    entry.watchers++;
    return entry;
  }

  /** One watcher fewer; true when nobody watches the person any more (they are forgotten after `keepMs`). */
  release(entry: Entry): boolean {
    entry.watchers = Math.max(0, entry.watchers - 1);
    if (entry.watchers > 0) return false;
    this.forgetTimers.set(
      entry.id,
      this.clock.setTimeout(() => {
        this.forgetTimers.delete(entry.id);
        if (entry.watchers === 0) this.entries.delete(entry.id);
      }, this.keepMs),
    );
    return true;
  }

  /** Ids watched by at least one element. */
  watchedIds(): Set<string> {
    return new Set([...this.entries.values()].filter((e) => e.watchers > 0).map((e) => e.id));
  }

  clear(): void {
    for (const timer of this.forgetTimers.values()) this.clock.clearTimeout(timer);
    this.forgetTimers.clear();
    this.entries.clear();
  }
}
