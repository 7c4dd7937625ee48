// Where the relay says what it does and what went wrong: a logger it is given. The default writes to the console
// with a prefix; tests and hosts bring their own (a bounded memory of recent lines, a host's own log).

export interface RelayLogger {
  /** What the relay did (a subscription made, renewed, deleted; coverage changed). */
  info(message: string): void;
  /** What it worked around or could not do yet (an owner gone, Graph refusing an id, a renewal failed). */
  warn(message: string): void;
  /** Work that failed (processing acknowledged notifications, a periodic check). */
  error(message: string): void;
}

export type LogLevel = 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** Lines at `level` and above, to the console, each starting with `[prefix]`. Default: everything, `[relay]`. */
export function consoleLogger(options: { level?: LogLevel; prefix?: string } = {}): RelayLogger {
  const least = RANK[options.level ?? 'info'];
  const prefix = `[${options.prefix ?? 'relay'}]`;
  return {
    info: (message) => void (least <= RANK.info && console.log(prefix, message)),
    warn: (message) => void (least <= RANK.warn && console.warn(prefix, message)),
    error: (message) => void (least <= RANK.error && console.error(prefix, message)),
  };
}

/** A logger that keeps the last `limit` lines (their text, every level), and forgets older ones. */
export class MemoryLogger implements RelayLogger {
  private readonly kept: string[] = [];

  constructor(private readonly limit = 500) {}

  /** The lines kept, oldest first. */
  get lines(): readonly string[] {
    return this.kept;
  }

  info(message: string): void {
    this.keep(message);
  }

  warn(message: string): void {
    this.keep(message);
  }

  error(message: string): void {
    this.keep(message);
  }

  private keep(message: string): void {
    this.kept.push(message);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
  }
}
