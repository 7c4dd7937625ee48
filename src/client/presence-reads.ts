import { chunk, PRESENCE_CHUNK } from '../graph/chunk.js';
import { mergePresence, presenceFields } from '../presence/merge.js';
import { normalizePresence } from '../presence/normalize.js';
import { compareSequence } from '../presence/sequence.js';
import { isStale } from '../presence/stale.js';
import type { GraphPresence } from '../presence/types.js';
import { tell, type Entry } from './entry.js';
import type { ErrorReporter } from './errors.js';
import type { Scheduler } from './scheduler.js';
import type { PresenceSource } from './types.js';

/** Presence in: read from the source in chunks, or pushed by a transport, and applied in `sequenceNumber` order. */
export class PresenceReads {
  constructor(
    private readonly source: PresenceSource,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly errors: ErrorReporter,
    private readonly signal: AbortSignal,
    private readonly clock: Scheduler,
    private readonly staleAfterMs: number,
    /** Whether the transport says the browser is offline. */
    private readonly offline: () => boolean,
  ) {}

  /**
   * Applies presences from any source. An update whose `sequenceNumber` is older than the one shown is dropped (it
   * arrived out of order); one with the same `sequenceNumber` confirms the presence shown: it is fresh again, but
   * unchanged. One without a valid `sequenceNumber` is applied as unordered. Presences read from Graph (`readAt`,
   * when the read was sent) are the truth at read time: they are dropped as older only for a presence pushed after
   * the read was sent. Returns how many presences changed.
   */
  apply(presences: GraphPresence[], receivedAt: number, readAt?: number): number {
    let applied = 0;
    const refused: string[] = [];
    let field = '';
    for (const raw of presences) {
      const id = typeof raw?.id === 'string' ? raw.id : undefined;
      const entry = id ? this.entries.get(id) : undefined;
      if (!entry) continue;
      // Graph sends both as text (or leaves them out of a partial update): an update with anything else there is not
      // trusted. What was known stays, marked possibly out of date, rather than turning into unknown.
      const wrong = (['availability', 'activity'] as const).find((f) => raw[f] != null && typeof raw[f] != 'string');
      if (wrong) {
        refused.push(id!);
        field = wrong;
        continue;
      }
      // A partial update (a push with availability and activity only) keeps what it does not send.
      const merged = entry.raw ? mergePresence(entry.raw, raw) : raw;
      const next = normalizePresence(merged);
      const order = compareSequence(next.sequenceNumber, entry.presence?.sequenceNumber);
      if (order === 'same') {
        this.confirm(entry, receivedAt);
        continue;
      }
      if (order === 'older' && (readAt === undefined || (entry.receivedAt ?? 0) > readAt)) continue;
      entry.presence = next;
      entry.raw = presenceFields(merged);
      entry.receivedAt = receivedAt;
      this.trust(entry);
      applied++;
      tell(entry);
    }
    if (refused.length)
      this.errors.fail('presence', new Error(`A presence update's ${field} is not text; it was ignored.`), refused);
    return applied;
  }

  /** Reads the presence of `ids`, 650 to a request; an id Graph says nothing about shows unknown. */
  async read(ids: string[]): Promise<void> {
    await Promise.all(
      chunk(ids, PRESENCE_CHUNK).map(async (part) => {
        const readAt = this.clock.now();
        try {
          const presences = await this.source.presences(part, this.signal);
          this.apply(presences, this.clock.now(), readAt);
          const seen = new Set(presences.map((p) => p.id));
          // An id Graph said nothing about shows unknown, not a stale guess.
          const missing = part.filter((id) => !seen.has(id));
          this.apply(
            missing.map((id) => ({
              id,
              availability: 'PresenceUnknown',
              activity: 'PresenceUnknown',
              statusMessage: null,
              outOfOfficeSettings: null,
            })),
            this.clock.now(),
            readAt,
          );
        } catch (error) {
          if (!this.signal.aborted) this.errors.fail('presence', error, part);
        } finally {
          for (const id of part) {
            const entry = this.entries.get(id);
            if (entry) entry.reading = false;
          }
        }
      }),
    );
  }

  /** The transport vouches that the presences of `ids` are still current at `at` (see `TransportSink.current`). */
  current(ids: string[], at: number): void {
    for (const id of ids) {
      const entry = this.entries.get(id);
      // A presence whose refresh failed stays marked until it is read; a name or photo that failed is no matter here.
      if (entry?.presence && !entry.failed) this.freshen(entry, at, isStale(entry, this.staleAfterMs, at));
    }
  }

  /**
   * A poll read the presence already shown. Listeners mark a presence stale from the `receivedAt` they were given,
   * so they hear of a confirmation when the presence was stale or failed, and once it is half as old as
   * `staleAfterMs` (before they would mark it), not after every poll.
   */
  private confirm(entry: Entry, receivedAt: number): void {
    const wasStale = isStale(entry, this.staleAfterMs, receivedAt);
    this.trust(entry);
    this.freshen(entry, receivedAt, wasStale);
  }

  /**
   * A presence read or pushed is the truth, and clears the mark of a failed refresh; not while the transport says
   * the browser is offline: a read sent before the network went may land after, and nothing can tell of a change
   * until the browser is back, so what is shown stays marked as possibly out of date.
   */
  private trust(entry: Entry): void {
    entry.failed = this.offline();
    if (!entry.failed) delete entry.error;
  }

  /** The presence shown is current at `at`: listeners hear of it when it was stale, or before they would mark it. */
  private freshen(entry: Entry, at: number, wasStale: boolean): void {
    entry.receivedAt = Math.max(entry.receivedAt ?? 0, at);
    if (wasStale || entry.receivedAt - (entry.toldAt ?? 0) >= this.staleAfterMs / 2) tell(entry);
  }
}
