// A heartbeat for the pages: one broadcast to the hub every interval, whatever the number of pages, so a page whose
// SignalR connection (to SignalR Service, not to the relay) stays up while the relay is down notices within seconds
// that nothing comes from the relay, instead of at its next watch renewal.

/** The hub method pages hear the heartbeat on; its one argument is `{ intervalMs }`. */
export const HEARTBEAT_TARGET = 'heartbeat';

/** How often the relay sends its heartbeat, by default: 15 s. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Sends one broadcast and says whether the service took it (see FanOut.broadcast). */
export type Broadcast = (target: string, argument: unknown) => Promise<{ status: number }>;

/**
 * The relay's heartbeat. Each beat is one REST call; a beat that fails (the service unreachable or throttling) is
 * not retried: the next one, an interval later, is the retry, so the calls never outnumber the beats.
 */
export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** A beat still waiting for the service's answer: the next is skipped, so slow answers never pile calls up. */
  private inflight = false;
  /** Beats the service took, and beats it did not. */
  readonly counts = { sent: 0, failed: 0 };

  constructor(
    private readonly broadcast: Broadcast,
    /** Milliseconds between beats; 0 sends none. */
    readonly intervalMs = DEFAULT_HEARTBEAT_MS,
  ) {}

  /** Sends a beat now and then one every interval, until `stop()`. */
  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One beat (hosts with a timer of their own, such as Azure Functions, call this). */
  async beat(): Promise<boolean> {
    if (this.inflight) return false;
    this.inflight = true;
    const reply = await this.broadcast(HEARTBEAT_TARGET, { intervalMs: this.intervalMs })
      .catch(() => ({ status: 0 }))
      .finally(() => (this.inflight = false));
    const ok = reply.status >= 200 && reply.status < 300;
    if (ok) this.counts.sent++;
    else this.counts.failed++;
    return ok;
  }
}

/** The intervals a timer schedule repeats evenly within a minute (or an hour): the divisors of 60. */
const EVEN = [60, 30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1];

/**
 * The Azure Functions timer schedule (NCRONTAB, whose first field is the second, so a timer can fire every few seconds:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions) that beats at
 * least as often as every `seconds`: the longest interval at most that long which the schedule repeats evenly. Pages
 * wait for 2.5 announced intervals, so beating more often than announced is safe. Undefined for 0 (no heartbeat).
 */
export function heartbeatSchedule(seconds: number): string | undefined {
  if (!(seconds > 0)) return undefined;
  if (seconds < 60) return `*/${EVEN.find((n) => n <= seconds) ?? 1} * * * * *`;
  const minutes = Math.floor(seconds / 60);
  if (minutes >= 60) return '0 0 * * * *';
  return `0 */${EVEN.find((n) => n <= minutes)!} * * * *`;
}
