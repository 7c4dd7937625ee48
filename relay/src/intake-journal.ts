// The relay's intake journal: every notification collection is written to disk (and synced) before Graph gets its
// 202, and marked done once processed. Graph never redelivers what was acknowledged, so a relay that dies between
// the two would otherwise lose those changes; a relay starting on the same journal processes what was left.
//
// One file per relay instance, appended as lines of JSON: `{"n":1,"c":{...}}` for a collection, `{"d":1}` once it is
// processed. Writes arriving together share one sync (group commit), so the cost per acknowledgement stays one
// sync however many arrive. The file is emptied whenever nothing is left in it and it has grown past a limit.
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A collection acknowledged but not processed when the relay stopped. */
export interface JournalEntry {
  n: number;
  collection: unknown;
}

interface Write {
  line: string;
  synced: boolean;
  resolve(): void;
  reject(error: Error): void;
}

export class IntakeJournal {
  private handle: FileHandle | undefined;
  private next = 1;
  private readonly unprocessed = new Set<number>();
  private queue: Write[] = [];
  private flushing: Promise<void> | undefined;
  private size = 0;
  /** Syncs made, and the longest one in milliseconds, for operators. */
  readonly stats = { appended: 0, syncs: 0, longestSyncMs: 0 };

  constructor(
    readonly path: string,
    /** The file is emptied once it is past this many bytes with nothing left to process. Default 1 MB. */
    private readonly compactBytes = 1024 * 1024,
  ) {}

  /** Opens the journal and returns what was acknowledged but never processed, oldest first; they stay open until `done`. */
  async start(): Promise<JournalEntry[]> {
    await mkdir(dirname(this.path), { recursive: true });
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const left = new Map<number, unknown>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: { n?: unknown; c?: unknown; d?: unknown };
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a line cut short by a crash mid-write was never acknowledged
      }
      if (typeof record.n === 'number') left.set(record.n, record.c);
      else if (typeof record.d === 'number') left.delete(record.d);
    }
    // Rewritten with only what is left, numbered afresh, then appended to (so emptying it starts it over).
    const entries: JournalEntry[] = [];
    for (const collection of left.values()) entries.push({ n: this.next++, collection });
    const lines = entries.map((e) => JSON.stringify({ n: e.n, c: e.collection }) + '\n').join('');
    const rewrite = await open(this.path, 'w');
    try {
      if (lines) await rewrite.write(lines);
      await rewrite.datasync();
    } finally {
      await rewrite.close();
    }
    this.handle = await open(this.path, 'a');
    this.size = Buffer.byteLength(lines);
    for (const e of entries) this.unprocessed.add(e.n);
    return entries;
  }

  /** Writes a collection and syncs it to disk; resolves with its number once it is safe to acknowledge. */
  async append(collection: unknown): Promise<number> {
    if (!this.handle) throw new Error('the intake journal is not open');
    const n = this.next++;
    this.unprocessed.add(n);
    try {
      await this.write(JSON.stringify({ n, c: collection }) + '\n', true);
    } catch (error) {
      this.unprocessed.delete(n);
      throw error;
    }
    this.stats.appended++;
    return n;
  }

  /** Marks a collection processed (not synced: at worst a crash has it processed twice, which the relay tolerates). */
  done(n: number): void {
    if (!this.unprocessed.delete(n) || !this.handle) return;
    void this.write(JSON.stringify({ d: n }) + '\n', false).catch(() => undefined);
  }

  /** Collections acknowledged and not yet processed. */
  get pending(): number {
    return this.unprocessed.size;
  }

  async close(): Promise<void> {
    await this.flushing;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private write(line: string, synced: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line, synced, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length && this.handle) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.unprocessed.size && this.size > this.compactBytes && batch.every((w) => !w.synced)) {
          await this.handle.truncate(0);
          this.size = 0;
        } else {
          const text = batch.map((w) => w.line).join('');
          await this.handle.write(text);
          this.size += Buffer.byteLength(text);
          if (batch.some((w) => w.synced)) {
            const started = performance.now();
            await this.handle.datasync();
            this.stats.syncs++;
            this.stats.longestSyncMs = Math.max(this.stats.longestSyncMs, performance.now() - started);
          }
        }
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error as Error);
      }
    }
  }
}
