// Reads the full presence of people whose change Graph notified, so that every push carries what a page shows.
//
// Graph's presence notifications carry only availability and activity, and basic ones only the id
// (https://learn.microsoft.com/graph/changenotifications-for-presence): no status message, no out-of-office
// settings, no sequence number. Pushing them as they are would blank what pages show and leave no way to tell an old
// notification (a redelivery, or one overtaken by a later change) from a new one. So the ids that changed are read
// back with `getPresencesByUserId`, which answers with everything and a `sequenceNumber`: what is pushed is Graph's
// latest state, ordered by that number, whatever order the notifications came in.
//
// Cost: ids that change within one short window go in one read per subscription owner (their delegated token; a
// shard never has more than 650 ids, Graph's limit per call), at most one batch at a time, so reads per second stay
// bounded however fast presence changes; a budget keeps the relay's reads well under Graph's presence throttling
// (about 1,500 requests per 30 s per app per tenant). What cannot be read (throttled past the wait, an owner who can
// no longer be used, Graph failing) is not pushed as a guess: the pages watching those ids are told to re-read them.
import { graphCall, type Reply } from './graph-call.js';
import { pushable, type RelayPresence } from './notifications.js';

/** Reads that may go at once before pacing applies (over 30 s, still within the budget plus this). */
const BURST = 20;
/** Graph's limit of ids per getPresencesByUserId call. */
const MAX_IDS_PER_READ = 650;

export interface PresenceReaderOptions {
  graphBaseUrl: string;
  /** The owners able to read each id (empty key: nobody). */
  readersOf(ids: string[]): Map<string, string[]>;
  /** An owner's delegated Graph token, or undefined when the owner can no longer be used. */
  tokenFor(ownerId: string): Promise<string | undefined>;
  /** Changes arriving within this window after the first are read together. Default 5 ms. */
  windowMs?: number;
  /**
   * Reads per 30 s at most (plus a burst of 20), paced evenly: 1,200 by default, four fifths of Graph's presence budget for an app
   * (https://learn.microsoft.com/graph/throttling-limits#cloud-communication-service-limits: 1,500 requests per 30 s
   * per app per tenant). Under load each read carries more ids, rather than more reads being made.
   */
  readsPer30s?: number;
  /** The longest a read may wait (for the budget, a Retry-After, or Graph itself) before pages re-read instead. Default 3 s. */
  maxWaitMs?: number;
}

/** What one batch gave: presences read, and ids that could not be read. */
export interface ReadBatch {
  presences: RelayPresence[];
  unread: string[];
}

export interface ReaderStats {
  /** getPresencesByUserId calls made. */
  reads: number;
  /** Ids asked for in them. */
  ids: number;
  /** Ids that could not be read (pages were told to re-read them). */
  unread: number;
  /** Reads Graph throttled (429). */
  throttled: number;
}

interface Batch {
  ids: Set<string>;
  done: Promise<void>;
  resolve(): void;
}

export class PresenceReader {
  readonly stats: ReaderStats = { reads: 0, ids: 0, unread: 0, throttled: 0 };
  private open: Batch | undefined;
  private running: Promise<void> = Promise.resolve();
  /** When the next read may start, to pace reads over the budget. */
  private nextTurn = 0;
  /** No read before this time (a Retry-After from Graph). */
  private pausedUntil = 0;
  private readonly windowMs: number;
  private readonly readsPer30s: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly options: PresenceReaderOptions,
    /** Handles each batch's outcome (publishes it); a batch's callers resolve once it has. */
    private readonly handle: (batch: ReadBatch) => Promise<void>,
  ) {
    this.windowMs = options.windowMs ?? 5;
    this.readsPer30s = options.readsPer30s ?? 1_200;
    this.maxWaitMs = options.maxWaitMs ?? 3_000;
  }

  /** Reads these ids with the next batch; resolves once that batch has been handled. */
  read(ids: string[]): Promise<void> {
    if (!ids.length) return Promise.resolve();
    if (!this.open) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      const batch: Batch = { ids: new Set(), done, resolve };
      this.open = batch;
      // One read at a time: while one is read, the next batch gathers what changes meanwhile. Handing a batch on
      // (its sends to SignalR Service, their retries) does not hold up the next read.
      this.running = this.running.then(async () => {
        await new Promise((r) => setTimeout(r, this.windowMs));
        if (this.open === batch) this.open = undefined;
        const outcome = await this.readAll([...batch.ids]).catch(() => ({ presences: [], unread: [...batch.ids] }));
        void this.handle(outcome)
          .catch(() => undefined)
          .finally(() => batch.resolve());
      });
    }
    for (const id of ids) this.open.ids.add(id);
    return this.open.done;
  }

  private async readAll(ids: string[]): Promise<ReadBatch> {
    const out: ReadBatch = { presences: [], unread: [] };
    const jobs: Array<Promise<void>> = [];
    for (const [owner, owned] of this.options.readersOf(ids)) {
      for (let i = 0; i < owned.length; i += MAX_IDS_PER_READ) {
        const chunk = owned.slice(i, i + MAX_IDS_PER_READ);
        if (!owner) {
          out.unread.push(...chunk);
          continue;
        }
        jobs.push(
          this.readAs(owner, chunk).then(
            (presences) => void out.presences.push(...presences),
            () => void out.unread.push(...chunk),
          ),
        );
      }
    }
    await Promise.all(jobs);
    this.stats.unread += out.unread.length;
    return out;
  }

  /** One owner's read, within the budget and any Retry-After, given up past `maxWaitMs`. */
  private async readAs(owner: string, ids: string[]): Promise<RelayPresence[]> {
    const deadline = Date.now() + this.maxWaitMs;
    const token = await this.options.tokenFor(owner);
    if (!token) throw new Error(`owner ${owner} cannot read presence`);
    for (;;) {
      await this.waitForTurn(deadline);
      this.stats.reads++;
      this.stats.ids += ids.length;
      const left = Math.max(1, deadline - Date.now());
      const reply: Reply = await graphCall(
        'POST',
        `${this.options.graphBaseUrl.replace(/\/+$/, '')}/v1.0/communications/getPresencesByUserId`,
        token,
        { ids },
        left,
      );
      if (reply.status === 200) return presencesOf(reply.body, new Set(ids));
      if (reply.status !== 429 && reply.status !== 503)
        throw new Error(`getPresencesByUserId answered ${reply.status}`);
      if (reply.status === 429) this.stats.throttled++;
      const wait = reply.retryAfterMs ?? 1_000;
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
    }
  }

  /**
   * Waits for the next read's turn: reads are paced evenly over the budget, with a small burst allowed (so a quiet
   * relay reads at once), never let out in bursts that then stall; none starts before a Retry-After has passed.
   * Throws when the turn would come after the deadline.
   */
  private async waitForTurn(deadline: number): Promise<void> {
    const spacing = 30_000 / this.readsPer30s;
    const now = Date.now();
    // When the read would be due if reads went at exactly the budget's pace; up to BURST of them may go early.
    const due = Math.max(this.nextTurn, now);
    const turn = Math.max(now, due - (BURST - 1) * spacing, this.pausedUntil);
    if (turn > deadline) throw new Error('no read possible in time');
    this.nextTurn = due + spacing;
    if (turn > now) await new Promise((r) => setTimeout(r, turn - now));
  }
}

/** The presences of an answer, for the ids asked only; anything of the wrong shape is left out. */
function presencesOf(body: unknown, asked: Set<string>): RelayPresence[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw new Error('getPresencesByUserId answered without a value list');
  const out: RelayPresence[] = [];
  for (const item of value as Array<Record<string, unknown> | null>) {
    if (!item || typeof item.id !== 'string' || !asked.has(item.id)) continue;
    const presence = pushable(item);
    if (!presence) continue;
    out.push(presence);
  }
  return out;
}
