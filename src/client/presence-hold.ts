/** Graph's limit of ids per presence call. */
export const PRESENCE_CHUNK = 650;

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
    for (let i = 0; i < full; i += PRESENCE_CHUNK) this.read(all.slice(i, i + PRESENCE_CHUNK));
  }

  /** What is left, to be read with everything else; the hold is empty afterwards. */
  take(): string[] {
    const left = [...this.ids];
    this.ids.clear();
    return left;
  }
}
