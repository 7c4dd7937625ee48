import { chunk, PRESENCE_CHUNK } from '../graph/chunk.js';

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
