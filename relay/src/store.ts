// What the relay must remember across restarts: who can own subscriptions (their refresh tokens) and the
// subscriptions it keeps. A small JSON file by default; a shared store (Redis, Table Storage) implements the same
// interface when several relay instances run.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeptSubscription { id: string; ownerId: string; ids: string[]; expiresAt: number }
export interface RelayState {
  owners: Record<string, { refreshToken: string }>;
  subscriptions: KeptSubscription[];
  /** What each user watches, so a restarted relay still knows whom to send what. */
  watchers?: Record<string, string[]>;
}

export interface RelayStore {
  load(): Promise<RelayState>;
  save(state: RelayState): Promise<void>;
}

const empty = (): RelayState => ({ owners: {}, subscriptions: [] });

export class MemoryStore implements RelayStore {
  private state = empty();
  async load(): Promise<RelayState> {
    return structuredClone(this.state);
  }
  async save(state: RelayState): Promise<void> {
    this.state = structuredClone(state);
  }
}

/** A JSON file, written atomically (write then rename). Holds refresh tokens: keep it private to the relay. */
export class FileStore implements RelayStore {
  constructor(private readonly path: string) {}
  async load(): Promise<RelayState> {
    try {
      return { ...empty(), ...JSON.parse(readFileSync(this.path, 'utf8')) };
    } catch {
      return empty();
    }
  }
  async save(state: RelayState): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(`${this.path}.tmp`, JSON.stringify(state), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
  }
}
