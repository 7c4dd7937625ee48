// What the relay must remember across restarts: who can own subscriptions (their refresh tokens), the
// subscriptions it keeps, who watches what (per session, with each lease's end), the clientState its subscriptions
// were made with, and the last sequenceNumber sent per id. Each is written on its own (see `RelayStore`). A small
// JSON file by default (one instance, `npm start`); several instances share the table store (table-store.ts).
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
  /**
   * When the watch request that wrote it was made (the relay's clock): of two writes of one session, the later
   * request wins, whichever instance stores it last. Absent in what earlier versions stored.
   */
  updatedAt?: number;
}
export interface RelayState {
  owners: Record<string, { refreshToken: string }>;
  subscriptions: KeptSubscription[];
  /** What each user's sessions watch, by user then session, so a restarted relay still knows whom to send what. */
  sessions?: Record<string, Record<string, StoredSession>>;
  /** The earlier form: one list per user. Read (as each user's session without an id), never written. */
  watchers?: Record<string, string[]>;
}

/** One watch session as stored, with whose it is. `ids` empty: the session ended. */
export interface SessionRecord {
  userId: string;
  session: string;
  value: StoredSession;
}

/** Where a sequence number came from: a change notification, or a read of the presence from Graph. */
export type SequenceSource = 'notification' | 'read';

/** Where reading the sessions changed by other instances stopped, for the next read (opaque to the relay). */
export type SessionCursor = string;

/**
 * What the relay keeps, one thing at a time: each thing that changes on its own is written on its own, so a watch
 * request writes its session and nothing else, a renewal its subscription, a token refresh its owner.
 *
 * - `load` reads everything once, when an instance starts.
 * - `writeSession` stores one session of a user (an empty `ids` ends it); of two writes of one session the one made
 *   later (`updatedAt`) wins, whatever order they arrive in. Returns whether this write is what is stored now.
 * - `writeSubscription` / `writeOwner` store or delete (`undefined`) one subscription, one owner's refresh token.
 * - `clientState` is set only if absent: the first one stored wins for every instance.
 * - sequence numbers: `saveSequences` merges a batch (the newer number wins); `advanceSequence` is the
 *   compare-and-swap a shared store needs for per-person order across instances (see `shared`).
 *
 * A store shared by several instances (`shared`: the table store) also answers `sessionsSince`: the sessions written
 * since a cursor (by any instance), so each instance knows who watches what, wherever the watch was made. A keeper
 * holding a lease on a shard (one keeper per shard) writes that shard's subscriptions and reads owners' tokens
 * through the same calls; the store never overwrites a write it has not seen (ETags), so two keepers that overlap
 * for a moment (a lease taken over) lose nothing, and the later renewal of a subscription is the one kept.
 */
export interface RelayStore {
  load(): Promise<RelayState>;
  writeSession(userId: string, session: string, value: StoredSession): Promise<boolean>;
  writeSubscription(id: string, value: KeptSubscription | undefined): Promise<void>;
  writeOwner(ownerId: string, refreshToken: string | undefined): Promise<void>;
  /**
   * The secret Graph echoes in every notification: the one stored, or else `proposed`, stored. The first one stored
   * wins (a shared store sets it only if absent), so restarts and every instance sharing the store agree.
   */
  clientState(proposed: string): Promise<string>;
  /** The newest sequenceNumber sent per id. */
  loadSequences(): Promise<Record<string, string>>;
  /** Records newer sequence numbers, merged with what is stored (the newer one wins). Called in batches. */
  saveSequences(latest: Record<string, string>): Promise<void>;
  /**
   * Stores `seq` as the person's newest sequence number if it is newer than the one stored, atomically: true when
   * this caller advanced it (it then sends the change), false when the stored one is as new or newer (another
   * instance sent it, or it is a replay). Never goes backwards. Numbers read back from Graph (`source` `read`) are
   * kept apart: a read is the truth when made, so it is ordered only against other reads (see SequenceFilter).
   */
  advanceSequence(id: string, seq: string, source?: SequenceSource): Promise<boolean>;
  /** Several instances share this store: sessions are read with `sessionsSince`, sequences advanced one by one. */
  readonly shared?: boolean;
  /**
   * The sessions written since `cursor` (from the start when undefined), by any instance, and the cursor to give
   * next time. Only shared stores have it.
   */
  sessionsSince?(cursor: SessionCursor | undefined): Promise<{ sessions: SessionRecord[]; cursor: SessionCursor }>;
  /** What the store wrote, for operators and the bench: writes made and bytes sent or written. */
  readonly written?: { writes: number; bytes: number };
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

/** Whether a write of a session made at `next` may replace what is stored (made at `stored`): the later one wins. */
export function laterSession(stored: StoredSession | undefined, next: StoredSession): boolean {
  return !stored || (stored.updatedAt ?? Number.NEGATIVE_INFINITY) <= (next.updatedAt ?? Number.POSITIVE_INFINITY);
}

/** Applies one change to a state held whole (the memory and file stores). True when it changed the state. */
function applyTo(state: RelayState, change: Change): boolean {
  switch (change.kind) {
    case 'session': {
      const { userId, session, value } = change;
      const mine = state.sessions?.[userId];
      if (!laterSession(mine?.[session], value)) return false;
      if (!value.ids.length && !mine?.[session] && !state.watchers) return false;
      // Written in the current form from now on: the earlier one (read at load, written back as sessions) goes.
      delete state.watchers;
      const sessions = (state.sessions ??= {});
      if (value.ids.length) (sessions[userId] ??= {})[session] = structuredClone(value);
      else if (mine) {
        delete mine[session];
        if (!Object.keys(mine).length) delete sessions[userId];
      }
      return true;
    }
    case 'subscription': {
      const rest = state.subscriptions.filter((s) => s.id !== change.id);
      state.subscriptions = change.value ? [...rest, structuredClone(change.value)] : rest;
      return true;
    }
    case 'owner':
      if (change.refreshToken === undefined) delete state.owners[change.ownerId];
      else state.owners[change.ownerId] = { refreshToken: change.refreshToken };
      return true;
  }
}

type Change =
  | { kind: 'session'; userId: string; session: string; value: StoredSession }
  | { kind: 'subscription'; id: string; value: KeptSubscription | undefined }
  | { kind: 'owner'; ownerId: string; refreshToken: string | undefined };

/** Everything in memory: for tests and the local cloud (`npm start`'s relay); gone when the process ends. */
export class MemoryStore implements RelayStore {
  private state = empty();
  private secret: string | undefined;
  private readonly sequences = new Map<string, string>();
  private readonly reads = new Map<string, string>();
  async load(): Promise<RelayState> {
    return structuredClone(this.state);
  }
  async writeSession(userId: string, session: string, value: StoredSession): Promise<boolean> {
    return applyTo(this.state, { kind: 'session', userId, session, value });
  }
  async writeSubscription(id: string, value: KeptSubscription | undefined): Promise<void> {
    applyTo(this.state, { kind: 'subscription', id, value });
  }
  async writeOwner(ownerId: string, refreshToken: string | undefined): Promise<void> {
    applyTo(this.state, { kind: 'owner', ownerId, refreshToken });
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
  async advanceSequence(id: string, seq: string, source: SequenceSource = 'notification'): Promise<boolean> {
    const into = source === 'read' ? this.reads : this.sequences;
    const stored = into.get(id);
    if (stored !== undefined && seq <= stored) return false;
    mergeSequences(into, { [id]: seq });
    return true;
  }
}

/** Where the copy of a file before its last write is kept. */
export const previousOf = (path: string) => `${path}.previous`;

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content under its name, both whole:
 * written to `<path>.tmp` and flushed to disk (fsync) before the rename, then the folder flushed so the rename
 * lasts. With `keepPrevious`, the content being replaced stays in `<path>.previous` (a hard link, else a copy).
 */
export function writeDurably(path: string, value: unknown, keepPrevious = false): number {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  const bytes = Buffer.from(JSON.stringify(value));
  try {
    writeSync(fd, bytes);
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
  return bytes.length;
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
  private readonly reads = new Map<string, string>();
  /** Whether the file under `path` is known to be whole, so it may become the previous copy. */
  private whole = false;
  /** The state as last read or written (see `state`). */
  private held: RelayState | undefined;
  /** The state file's writes and the bytes written (the whole state each time; sequences apart). */
  readonly written = { writes: 0, bytes: 0 };
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
    this.written.bytes += writeDurably(this.path, value, this.whole);
    this.written.writes++;
    this.whole = true;
  }

  async load(): Promise<RelayState> {
    this.held = undefined;
    return structuredClone(this.state().state);
  }

  /**
   * The whole state as last read or written. Read once, then kept: this store is one instance's, so what it wrote
   * is what the file holds.
   */
  private state(): { state: RelayState; clientState?: string } {
    if (!this.held) {
      const stored = this.read();
      const { clientState, ...state } = stored ?? {};
      if (typeof clientState === 'string') this.secret = clientState;
      this.held = { ...empty(), ...(state as Partial<RelayState>) };
    }
    return { state: this.held, ...(this.secret !== undefined ? { clientState: this.secret } : {}) };
  }

  /** One change, then the whole file written durably (one instance's state is small: a write is one file). */
  private change(change: Change): boolean {
    const { state } = this.state();
    if (!applyTo(state, change)) return false;
    // The state's owner (the keeper) does not carry the clientState: it is kept beside it, never dropped.
    this.write({ ...state, ...(this.secret !== undefined ? { clientState: this.secret } : {}) });
    return true;
  }

  async writeSession(userId: string, session: string, value: StoredSession): Promise<boolean> {
    return this.change({ kind: 'session', userId, session, value });
  }

  async writeSubscription(id: string, value: KeptSubscription | undefined): Promise<void> {
    this.change({ kind: 'subscription', id, value });
  }

  async writeOwner(ownerId: string, refreshToken: string | undefined): Promise<void> {
    this.change({ kind: 'owner', ownerId, refreshToken });
  }

  async clientState(proposed: string): Promise<string> {
    const { state, clientState } = this.state();
    if (clientState !== undefined) return clientState;
    this.secret = proposed;
    this.write({ ...state, clientState: proposed });
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
    // Read again first: merged with what the file holds now, never with an older copy in memory.
    this.sequences = undefined;
    const sequences = this.sequenceMap();
    mergeSequences(sequences, latest);
    writeDurably(`${this.path}.sequences`, Object.fromEntries(sequences), true);
  }

  /**
   * Compared with the file and stored at once (one instance has no one to race: the relay calls it only on a shared
   * store). The numbers of reads are compared in memory only.
   */
  async advanceSequence(id: string, seq: string, source: SequenceSource = 'notification'): Promise<boolean> {
    if (source === 'read') {
      const stored = this.reads.get(id);
      if (stored !== undefined && seq <= stored) return false;
      mergeSequences(this.reads, { [id]: seq });
      return true;
    }
    const stored = this.sequenceMap().get(id);
    if (stored !== undefined && seq <= stored) return false;
    await this.saveSequences({ [id]: seq });
    return true;
  }
}
