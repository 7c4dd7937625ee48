import type { ErrorReporter } from './errors.js';
import type { PresenceSource, Profile } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Told the id a key resolved to (undefined: nobody by that name), with the profile read on the way; or, when the
 * lookup failed, why (`error`; it is tried again by `retryFailed()`, and told again then).
 */
export type Resolved = (id: string | undefined, profile?: Profile, error?: string) => void;

/**
 * Keys other than object ids (userPrincipalNames, `me`) resolved to ids: every key asked in the same task is looked
 * up in one read, and remembered.
 */
export class Aliases {
  private readonly known = new Map<string, string>();
  private readonly pending = new Map<string, Set<Resolved>>();
  /** Keys whose lookup failed (for example before sign-in), retried by `retryFailed()`. */
  private readonly failed = new Map<string, Set<Resolved>>();

  constructor(
    private readonly source: PresenceSource,
    private readonly errors: ErrorReporter,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * The object id for `key`, when it is one (in lower case, as Graph and the relay write ids: an id typed in capitals
   * is the same person) or was resolved already.
   */
  idFor(key: string): string | undefined {
    return GUID.test(key) ? key.toLowerCase() : this.known.get(key.toLowerCase());
  }

  resolve(key: string, done: Resolved): void {
    const lower = key.toLowerCase();
    let waiting = this.pending.get(lower);
    if (waiting) {
      waiting.add(done);
      return;
    }
    waiting = new Set([done]);
    this.pending.set(lower, waiting);
    queueMicrotask(() => void this.lookUp());
  }

  /** Looks up again every key whose lookup failed. */
  retryFailed(): void {
    const failed = [...this.failed];
    this.failed.clear();
    for (const [key, callbacks] of failed) for (const callback of callbacks) this.resolve(key, callback);
  }

  private async lookUp(): Promise<void> {
    const keys = [...this.pending.keys()];
    if (keys.length === 0) return;
    const waiting = new Map(keys.map((k) => [k, this.pending.get(k)!]));
    for (const k of keys) this.pending.delete(k);
    let found: Map<string, Profile>;
    try {
      const answer = this.source.profiles ? await this.source.profiles(keys, this.signal) : [];
      // Read here, so that an answer of another shape (from a source of the page's own) is a failed lookup.
      found = new Map(answer.map((p) => [p.key.toLowerCase(), p]));
    } catch (error) {
      if (this.signal.aborted) return;
      this.errors.fail('profile', error);
      const message = error instanceof Error ? error.message : String(error);
      for (const [key, callbacks] of waiting) {
        this.failed.set(key, callbacks);
        for (const callback of callbacks) callback(undefined, undefined, message);
      }
      return;
    }
    for (const [key, callbacks] of waiting) {
      const profile = found.get(key);
      if (profile) this.known.set(key, profile.id);
      for (const callback of callbacks) callback(profile?.id, profile);
    }
  }
}
