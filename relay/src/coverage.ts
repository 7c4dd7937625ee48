// Tells pages when ids they watch lose Graph coverage, or regain it, so a page never shows "live" for someone no
// subscription covers: one small message per watching user, through Azure SignalR Service's REST API, target
// `coverage`, argument `{ uncovered: [...], covered: [...] }` (only the ids that user watches). A page polls the
// uncovered ids, and reads the covered ones once (for what changed during the gap) before it stops polling them.
// A change that concerns many users (a shard of 650 people re-made) is told in paced batches (paced-sends.ts),
// since every page told reads from Graph.
import { isUserId } from '../../common/signalr-names.js';
import type { Watchers } from './watchers.js';
import type { PacedSends } from './paced-sends.js';
import type { CoverageChange } from './subscriptions.js';

/** The hub method pages hear coverage changes on. */
export const COVERAGE_TARGET = 'coverage';

/** What a page receives: the ids it watches that lost coverage, and those covered again. */
export interface CoverageMessage {
  uncovered: string[];
  covered: string[];
}

export class CoverageNotices {
  /** Messages sent and given up, for operators. */
  readonly counts = { sent: 0, failed: 0 };

  constructor(
    /** Sends in paced batches, through the fan-out's connections to SignalR Service, with retries. */
    private readonly sends: Pick<PacedSends, 'send'>,
  ) {}

  /** What each watching user is told about a change, by user. */
  static messages(change: CoverageChange, watchers: Watchers): Map<string, CoverageMessage> {
    const out = new Map<string, CoverageMessage>();
    const add = (ids: string[], key: keyof CoverageMessage) => {
      for (const id of ids) {
        for (const user of watchers.watchersOf(id)) {
          let message = out.get(user);
          if (!message) out.set(user, (message = { uncovered: [], covered: [] }));
          message[key].push(id);
        }
      }
    };
    add(change.lost, 'uncovered');
    add(change.regained, 'covered');
    return out;
  }

  /** Sends every user watching the ids concerned their part of the change. */
  async send(change: CoverageChange, watchers: Watchers): Promise<void> {
    const messages = CoverageNotices.messages(change, watchers);
    await Promise.all([...messages].map(([user, message]) => this.sendTo(user, message)));
  }

  private async sendTo(user: string, message: CoverageMessage): Promise<void> {
    if (!isUserId(user)) return;
    this.counts[(await this.sends.send(user, COVERAGE_TARGET, message)) ? 'sent' : 'failed']++;
  }
}
