/** What the client reads about people. */
export type FetchKind = 'presence' | 'profile' | 'photo';

/**
 * Reads asked for in the same task, gathered into one batch per kind: every watch made in a task lands before the
 * batch is sent, so they cost one fetch for all of them.
 */
export class FetchQueue {
  private pending: Record<FetchKind, Set<string>> = { presence: new Set(), profile: new Set(), photo: new Set() };
  private scheduled = false;

  constructor(private readonly read: (kind: FetchKind, ids: string[]) => Promise<void>) {}

  add(kind: FetchKind, id: string): void {
    this.pending[kind].add(id);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = { presence: new Set(), profile: new Set(), photo: new Set() };
    const kinds: FetchKind[] = ['presence', 'profile', 'photo'];
    await Promise.all(kinds.map((kind) => (batch[kind].size ? this.read(kind, [...batch[kind]]) : undefined)));
  }
}
