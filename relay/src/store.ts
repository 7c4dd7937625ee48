// What the relay must remember across restarts: who can own subscriptions (their refresh tokens), the
// subscriptions it keeps, who watches what (per session, with each lease's end), the clientState its subscriptions were made with, and the last
// sequenceNumber sent per id. A small JSON file by default; a shared store (Redis, Table Storage) implements the
// same interface when several relay instances run.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeptSubscription {
  id: string;
  ownerId: string;
  ids: string[];
  expiresAt: number;
  /** The encryption certificate Graph was last given for it (absent: kept by an earlier version of the relay). */
  certificateId?: string;
}
/** What one session of a user (a page, a tab) watches, and when its lease ends (milliseconds since the epoch). */
export interface StoredSession { ids: string[]; expiresAt: number }
export interface RelayState {
  owners: Record<string, { refreshToken: string }>;
  subscriptions: KeptSubscription[];
  /** What each user's sessions watch, by user then session, so a restarted relay still knows whom to send what. */
  sessions?: Record<string, Record<string, StoredSession>>;
  /** The earlier form: one list per user. Read (as each user's session without an id), never written. */
  watchers?: Record<string, string[]>;
}

export interface RelayStore {
  load(): Promise<RelayState>;
  save(state: RelayState): Promise<void>;
  /**
   * The secret Graph echoes in every notification: the one stored, or else `proposed`, stored. The first one stored
   * wins (a shared store sets it only if absent), so restarts and every instance sharing the store agree.
   */
  clientState(proposed: string): Promise<string>;
  /** The newest sequenceNumber sent per id. */
  loadSequences(): Promise<Record<string, string>>;
  /** Records newer sequence numbers, merged with what is stored (the newer one wins). Called in batches. */
  saveSequences(latest: Record<string, string>): Promise<void>;
}

const empty = (): RelayState => ({ owners: {}, subscriptions: [] });

/** The most sequence numbers a store keeps; the ones updated longest ago go first. */
export const MAX_SEQUENCES = 50_000;

/** Merges newer sequence numbers into `into`, keeping the most recently updated ids when there are too many. */
export function mergeSequences(into: Map<string, string>, latest: Record<string, string>, max = MAX_SEQUENCES): void {
  for (const [id, seq] of Object.entries(latest)) {
    const previous = into.get(id);
    if (previous !== undefined && seq <= previous) continue;
    // Re-inserted, so the map's order is the order of updates.
    into.delete(id);
    into.set(id, seq);
  }
  for (const id of into.keys()) {
    if (into.size <= max) break;
    into.delete(id);
  }
}

export class MemoryStore implements RelayStore {
  private state = empty();
  private secret: string | undefined;
  private readonly sequences = new Map<string, string>();
  async load(): Promise<RelayState> {
    return structuredClone(this.state);
  }
  async save(state: RelayState): Promise<void> {
    this.state = structuredClone(state);
  }
  async clientState(proposed: string): Promise<string> {
    return (this.secret ??= proposed);
  }
  async loadSequences(): Promise<Record<string, string>> {
    return Object.fromEntries(this.sequences);
  }
  async saveSequences(latest: Record<string, string>): Promise<void> {
    mergeSequences(this.sequences, latest);
  }
}

function writeAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(value), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON files, written atomically (write then rename): the state (with the clientState beside it) in `path`, the
 * sequence numbers in `<path>.sequences`, since they change with every notification and need not rewrite the
 * refresh tokens. Holds refresh tokens and the clientState: keep it private to the relay.
 */
export class FileStore implements RelayStore {
  private secret: string | undefined;
  private sequences: Map<string, string> | undefined;
  constructor(private readonly path: string) {}

  async load(): Promise<RelayState> {
    const stored = readJson(this.path);
    if (!stored) return empty();
    const { clientState, ...state } = stored;
    if (typeof clientState === 'string') this.secret = clientState;
    return { ...empty(), ...(state as Partial<RelayState>) };
  }

  async save(state: RelayState): Promise<void> {
    // The state's owner (the keeper) does not carry the clientState: it is kept beside it, never dropped.
    if (this.secret === undefined) {
      const stored = readJson(this.path)?.clientState;
      if (typeof stored === 'string') this.secret = stored;
    }
    writeAtomically(this.path, { ...state, ...(this.secret !== undefined ? { clientState: this.secret } : {}) });
  }

  async clientState(proposed: string): Promise<string> {
    const stored = readJson(this.path);
    if (typeof stored?.clientState === 'string') return (this.secret = stored.clientState);
    this.secret = proposed;
    writeAtomically(this.path, { ...(stored ?? empty()), clientState: proposed });
    return proposed;
  }

  private sequenceMap(): Map<string, string> {
    if (!this.sequences) {
      const stored = readJson(`${this.path}.sequences`);
      this.sequences = new Map(Object.entries(stored ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    return this.sequences;
  }

  async loadSequences(): Promise<Record<string, string>> {
    return Object.fromEntries(this.sequenceMap());
  }

  async saveSequences(latest: Record<string, string>): Promise<void> {
    const sequences = this.sequenceMap();
    mergeSequences(sequences, latest);
    writeAtomically(`${this.path}.sequences`, Object.fromEntries(sequences));
  }
}
