// The local cloud's one clock, which tests can move forward: Graph's 60-minute subscription expiry and Entra ID's
// token and refresh-token lifetimes are checked without waiting an hour, or a day.
export class Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward (never back), then tells whoever keeps time-driven state (presence sessions fading). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` after every move of the clock; returns the function that stops it. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get offset(): number {
    return this.offsetMs;
  }
}
