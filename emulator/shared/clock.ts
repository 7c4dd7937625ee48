// The local cloud's one clock, which tests can move forward: Graph's 60-minute subscription expiry and Entra ID's
// token and refresh-token lifetimes are checked without waiting an hour, or a day.
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward (never back). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
