// What the relay must remember across restarts: who can own subscriptions (their refresh tokens), the
// subscriptions it keeps, who watches what (per session, with each lease's end), the clientState its subscriptions were made with, and the last
// sequenceNumber sent per id. A small JSON file by default; a shared store (Redis, Table Storage) implements the
// same interface when several relay instances run.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
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
export interface StoredSession {
  ids: string[];
  expiresAt: number;
}
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
  /** What loading had to work around (a state file read from its previous copy), for operators. */
  readonly notes?: readonly string[];
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

/** Where the copy of a file before its last write is kept. */
export const previousOf = (path: string) => `${path}.previous`;

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content under its name, both whole:
 * written to `<path>.tmp` and flushed to disk (fsync) before the rename, then the folder flushed so the rename
 * lasts. With `keepPrevious`, the content being replaced stays in `<path>.previous` (a hard link, else a copy).
 */
export function writeDurably(path: string, value: unknown, keepPrevious = false): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (keepPrevious && existsSync(path)) {
    const previous = previousOf(path);
    rmSync(previous, { force: true });
    try {
      linkSync(path, previous);
    } catch {
      copyFileSync(path, previous);
    }
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some platforms cannot open a folder to flush it; the rename is then as durable as they make it.
  }
}

/** A JSON object file: its content, `missing`, or why it cannot be read (torn, not JSON, not an object). */
type Read = { value: Record<string, unknown> } | { missing: true } | { unreadable: string };

function readObject(path: string): Read {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { unreadable: (error as Error).message };
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as Record<string, unknown> };
    return { unreadable: 'it does not hold a JSON object' };
  } catch (error) {
    return { unreadable: `it is not whole JSON (${(error as Error).message}; ${text.length} bytes)` };
  }
}

/** The state file cannot be read and no readable copy of it is kept: the relay must not start on a blank state. */
export class StateUnreadableError extends Error {
  constructor(path: string, reason: string) {
    super(
      `The relay's state file ${path} cannot be read (${reason}), and there is no readable copy in ${previousOf(path)}. ` +
        'It holds the clientState the live Graph subscriptions were made with: starting afresh would mint a new one and refuse all their notifications. ' +
        'Restore the file from a backup, or, to start afresh on purpose, delete it and its copy (the old subscriptions then lapse within the hour).',
    );
    this.name = 'StateUnreadableError';
  }
}

/**
 * JSON files, written durably (write, fsync, rename): the state (with the clientState beside it) in `path`, with
 * the copy before its last write in `<path>.previous`, and the sequence numbers in `<path>.sequences`, since they
 * change with every notification and need not rewrite the refresh tokens. A torn or unreadable state file is read
 * from its previous copy (the keeper then reconciles with Graph what that copy does not know); with no readable copy
 * either, loading throws rather than start blank with a new clientState. Holds refresh tokens and the clientState:
 * keep it private to the relay.
 */
export class FileStore implements RelayStore {
  private secret: string | undefined;
  private sequences: Map<string, string> | undefined;
  /** Whether the file under `path` is known to be whole, so it may become the previous copy. */
  private whole = false;
  /** What happened while reading, for operators (a recovery from the previous copy). */
  readonly notes: string[] = [];
  /**
   * `warn`: where a recovery is said as it happens, so whoever runs the relay sees it in its output (default
   * `console.warn`); it is also kept in `notes`.
   */
  constructor(
    private readonly path: string,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** Records a recovery once, however many times the same file is read before it is written whole again. */
  private note(message: string): void {
    if (this.notes.includes(message)) return;
    this.notes.push(message);
    this.warn(message);
  }

  /** The stored object: from `path`, else its previous copy; undefined when neither exists (a first start). */
  private read(): Record<string, unknown> | undefined {
    const main = readObject(this.path);
    if ('value' in main) {
      this.whole = true;
      return main.value;
    }
    this.whole = false;
    const previous = readObject(previousOf(this.path));
    if ('value' in previous) {
      if ('unreadable' in main)
        this.note(
          `The relay's state file ${this.path} cannot be read (${main.unreadable}): its previous copy was used (${previousOf(this.path)}).`,
        );
      return previous.value;
    }
    if ('missing' in main && 'missing' in previous) return undefined;
    throw new StateUnreadableError(
      this.path,
      'unreadable' in main ? main.unreadable : 'it is missing while its copy is not readable',
    );
  }

  private write(value: Record<string, unknown>): void {
    writeDurably(this.path, value, this.whole);
    this.whole = true;
  }

  async load(): Promise<RelayState> {
    const stored = this.read();
    if (!stored) return empty();
    const { clientState, ...state } = stored;
    if (typeof clientState === 'string') this.secret = clientState;
    return { ...empty(), ...(state as Partial<RelayState>) };
  }

  async save(state: RelayState): Promise<void> {
    // The state's owner (the keeper) does not carry the clientState: it is kept beside it, never dropped.
    if (this.secret === undefined) {
      const stored = this.read()?.clientState;
      if (typeof stored === 'string') this.secret = stored;
    }
    this.write({ ...state, ...(this.secret !== undefined ? { clientState: this.secret } : {}) });
  }

  async clientState(proposed: string): Promise<string> {
    const stored = this.read();
    if (typeof stored?.clientState === 'string') return (this.secret = stored.clientState);
    this.secret = proposed;
    this.write({ ...(stored ?? empty()), clientState: proposed });
    return proposed;
  }

  private sequenceMap(): Map<string, string> {
    if (!this.sequences) {
      // Not worth refusing to start for: without them, only replays of notifications already sent get through.
      const path = `${this.path}.sequences`;
      const main = readObject(path);
      const read = 'value' in main ? main : readObject(previousOf(path));
      const stored = 'value' in read ? read.value : {};
      this.sequences = new Map(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    return this.sequences;
  }

  async loadSequences(): Promise<Record<string, string>> {
    return Object.fromEntries(this.sequenceMap());
  }

  async saveSequences(latest: Record<string, string>): Promise<void> {
    const sequences = this.sequenceMap();
    mergeSequences(sequences, latest);
    writeDurably(`${this.path}.sequences`, Object.fromEntries(sequences), true);
  }
}
