import type { Scheduler, TimerHandle } from '../../../src/client/scheduler.js';
import { settle, until } from './until.js';

interface Timer {
  due: number;
  order: number;
  callback: () => void;
  every?: number;
}

/** A clock that moves only when a test moves it: timers fire in order of their due time, none of them for real. */
export class FakeClock implements Scheduler {
  private time: number;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.time + Math.max(0, ms || 0), order: id, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms || 0);
    const id = this.nextId++;
    this.timers.set(id, { due: this.time + every, order: id, callback, every });
    return id;
  }

  clearInterval(handle: TimerHandle): void {
    this.clearTimeout(handle);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order; what they start settles after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (let fired = 0; this.fireNext(end); fired++) {
      if (fired > 10_000) throw new Error('More than 10,000 timers fired: a timer loop.');
      await settle();
    }
    this.time = end;
    await settle();
  }

  /**
   * Moves time forward in steps of `stepMs` until `check` holds, letting what happens on its own (messages between
   * tabs, locks) happen between steps. Fails when `limitMs` of clock time pass first.
   */
  async runUntil(check: () => unknown, what: string, stepMs = 100, limitMs = 60_000): Promise<void> {
    const end = this.time + limitMs;
    await until(
      async () => {
        if (check()) return true;
        if (this.time >= end) throw new Error(`${what}: not within ${limitMs} ms of clock time.`);
        await this.advance(stepMs);
        return check();
      },
      what,
      30_000,
    );
  }

  private fireNext(end: number): boolean {
    let next: [number, Timer] | undefined;
    for (const entry of this.timers) {
      const timer = entry[1];
      if (timer.due > end) continue;
      if (!next || timer.due < next[1].due || (timer.due === next[1].due && timer.order < next[1].order)) next = entry;
    }
    if (!next) return false;
    const [id, timer] = next;
    this.time = Math.max(this.time, timer.due);
    if (timer.every) this.timers.set(id, { ...timer, due: timer.due + timer.every, order: this.nextId++ });
    else this.timers.delete(id);
    timer.callback();
    return true;
  }
}
