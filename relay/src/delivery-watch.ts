// When a subscription has been silent for longer than its own deliveries make likely. Graph says nothing when a
// subscription lapses on its side (a renewal it did not apply, its clock ahead of the relay's), and for presence it
// sends no `subscriptionRemoved` or `missed` lifecycle notification either: only `reauthorizationRequired` is sent
// for every resource, the other two for Outlook and Teams chat resources only ("Supported resources",
// https://learn.microsoft.com/graph/change-notifications-lifecycle-events). Nor does it send anything when nobody's
// presence changes, so silence alone proves nothing. But a shard of hundreds of people that had a
// notification every few seconds and then none for ten times that is worth one cheap question to Graph
// (`GET /subscriptions/{id}`), asked at once rather than at the next full audit, a minute later.
//
// Each subscription's pace is learnt from its own deliveries: the mean gap between them (moving average). It is
// checked once silent for `factor` times that gap, never sooner than `floorMs`; each time Graph says it is there,
// the allowed silence doubles, and once that reaches `ceilingMs` (the full audit's period) it is left to the audit.
// So a shard that goes quiet costs a few checks (at 10, 20 and 40 s of silence with the defaults), one that
// delivers costs none, and one without a known pace yet (fewer than 4 deliveries) is left to the audit. At most one
// check per subscription per `floorMs` in any case. Time is monotonic (not the keeper's clock, which tests move).
import { performance } from 'node:perf_hooks';

export interface DeliveryWatchOptions {
  /** The shortest silence that is ever checked. Default 10 s. */
  floorMs?: number;
  /** How many of its mean gaps a subscription may be silent before it is checked. Default 10. */
  factor?: number;
  /** Silences this long are left to the full audit. Default 60 s (the relay sets its audit period). */
  ceilingMs?: number;
  /** Monotonic milliseconds; replaceable for tests. */
  now?: () => number;
}

/** Deliveries seen before a subscription's pace is trusted. */
const MIN_DELIVERIES = 4;
/** Weight of the newest gap in the moving average. */
const WEIGHT = 0.25;

interface Pace {
  deliveries: number;
  lastAt: number;
  meanGapMs: number | undefined;
  /** How long the current silence may last before the next check. */
  allowedMs: number;
  /** When the current silence began, or the last check confirmed it. */
  since: number;
}

export class DeliveryWatch {
  readonly floorMs: number;
  readonly factor: number;
  ceilingMs: number;
  private readonly now: () => number;
  private readonly paces = new Map<string, Pace>();

  constructor(options: DeliveryWatchOptions = {}) {
    this.floorMs = options.floorMs ?? 10_000;
    this.factor = options.factor ?? 10;
    this.ceilingMs = options.ceilingMs ?? 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** A delivery (one POST of notifications) for this subscription arrived. */
  heard(id: string): void {
    const at = this.now();
    const pace = this.paces.get(id);
    if (!pace) {
      this.paces.set(id, { deliveries: 1, lastAt: at, meanGapMs: undefined, allowedMs: Infinity, since: at });
      return;
    }
    const gap = at - pace.lastAt;
    pace.meanGapMs = pace.meanGapMs === undefined ? gap : pace.meanGapMs + WEIGHT * (gap - pace.meanGapMs);
    pace.deliveries++;
    pace.lastAt = at;
    pace.since = at;
    pace.allowedMs =
      pace.deliveries >= MIN_DELIVERIES ? Math.max(this.floorMs, this.factor * pace.meanGapMs) : Infinity;
  }

  /** Of these subscriptions, those silent for longer than allowed: each is returned once until `checked`. */
  overdue(ids: Iterable<string>): string[] {
    const at = this.now();
    const due: string[] = [];
    for (const id of ids) {
      const pace = this.paces.get(id);
      if (!pace || pace.allowedMs >= this.ceilingMs || at - pace.since < pace.allowedMs) continue;
      due.push(id);
      pace.since = Infinity;
    }
    return due;
  }

  /** Graph was asked about a silent subscription and still holds it (or could not say): wait twice as long. */
  checked(id: string): void {
    const pace = this.paces.get(id);
    if (!pace) return;
    pace.since = this.now();
    pace.allowedMs *= 2;
  }

  /** The subscription is no longer kept. */
  forget(id: string): void {
    this.paces.delete(id);
  }

  /** A subscription's mean gap between deliveries, in milliseconds (undefined until known), for operators. */
  meanGapOf(id: string): number | undefined {
    return this.paces.get(id)?.meanGapMs;
  }
}
