import { callSafely } from './call-safely.js';
import { tell, type Entry } from './entry.js';

export interface ClientErrorDetail {
  message: string;
  ids?: string[];
  kind: 'presence' | 'profile' | 'photo' | 'transport';
}

/** Shows failures on the people they concern and tells the client's error listeners. */
export class ErrorReporter {
  private readonly listeners = new Set<(detail: ClientErrorDetail) => void>();

  constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  listen(listener: (detail: ClientErrorDetail) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  report(detail: ClientErrorDetail): void {
    for (const listener of this.listeners) callSafely(listener, detail);
  }

  /**
   * Shows a failure on the people it concerns and tells the error listeners. Only a failed presence read (or
   * transport) marks the presence shown as possibly out of date; a photo or profile that did not load leaves it be.
   */
  fail(kind: ClientErrorDetail['kind'], error: unknown, ids?: string[]): void {
    const message = error instanceof Error ? error.message : String(error);
    for (const id of ids ?? []) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      if (kind === 'presence' || kind === 'transport') entry.failed = true;
      entry.error = message;
      entry.errorKind = kind;
      tell(entry);
    }
    const detail: ClientErrorDetail = { message, kind };
    if (ids) detail.ids = ids;
    this.report(detail);
  }
}
