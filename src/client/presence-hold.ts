import { chunk, PRESENCE_CHUNK } from '../graph/chunk.js';
import type { Profile } from './types.js';

export { PRESENCE_CHUNK } from '../graph/chunk.js';

/**
 * Presence reads held back while a list's members arrive page by page: every full chunk of 650 ids is read as soon
 * as it is complete, the rest waits for the next page or the end of the list. A list of N members costs
 * ceil(N / 650) reads, whatever the size of its pages.
 */
export class PresenceHold {
  private ids = new Set<string>();

  constructor(private readonly read: (ids: string[]) => void) {}

  add(id: string): void {
    this.ids.add(id);
  }

  /** Reads every full chunk held. */
  readFull(): void {
    if (this.ids.size < PRESENCE_CHUNK) return;
    const all = [...this.ids];
    const full = all.length - (all.length % PRESENCE_CHUNK);
    this.ids = new Set(all.slice(full));
    for (const part of chunk(all.slice(0, full), PRESENCE_CHUNK)) this.read(part);
  }

  /** What is left, to be read with everything else; the hold is empty afterwards. */
  take(): string[] {
    const left = [...this.ids];
    this.ids.clear();
    return left;
  }
}

/** What paging a list's members needs from the client. */
export interface MemberPaging {
  /** Reads presences now (a full chunk of 650). */
  read(ids: string[]): void;
  /** The hold that people watched while a page is handed over go to (undefined: read as usual). */
  holdDuring(hold: PresenceHold | undefined): void;
  /** An id still held when the list ended: read it with the next batch, or forget it when no one watches it. */
  leftOver(id: string): void;
}

/**
 * Pages a team's or group's members through `list`, holding back the presence reads of the people watched from
 * `onPage` so that they go 650 to a request across pages; what is left when the last page is in is handed back.
 */
export async function pageMembers(
  paging: MemberPaging,
  list: (onPage: (profiles: Profile[]) => void) => Promise<void>,
  onPage: (profiles: Profile[]) => void,
): Promise<void> {
  const held = new PresenceHold((ids) => paging.read(ids));
  try {
    await list((profiles) => {
      paging.holdDuring(held);
      try {
        onPage(profiles);
      } finally {
        paging.holdDuring(undefined);
      }
      held.readFull();
    });
  } finally {
    for (const left of held.take()) paging.leftOver(left);
  }
}
