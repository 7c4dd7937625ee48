// "Notify me when available": the people the user waits for, kept live while armed, saved per signed-in account.
import type { TokenProvider } from '../auth/token-provider.js';
import type { Availability } from '../presence/values.js';
import { NO_ACCOUNT, showsAvailable, type AlertsHost, type AvailabilityAlert } from './availability-alert.js';
import { MAX_WAITING, WaitingStore } from './waiting-store.js';
import type { PersonSnapshot } from './types.js';

/** One armed person: the watch keeping them live. */
interface Wait {
  stop?: () => void;
  /** The availability last known fresh before Available. */
  previous?: Availability;
}

/**
 * The people the user waits for, armed and watched, behind `client.alerts` (availability-alerts.ts), which loads
 * this the first time it is used. What it does is told there.
 */
export class WaitingList {
  /** Armed ids, oldest first, with the watch keeping each live. */
  private readonly armed = new Map<string, Wait>();
  /** Keys waiting to resolve to an id (userPrincipalNames), or asked before the account was known. */
  private readonly pending = new Map<string, 'add' | 'remove'>();
  /** Each listener, with the one person it is for (none: everyone). */
  private readonly alertListeners = new Map<
    (alert: AvailabilityAlert) => void,
    (() => string | undefined) | undefined
  >();
  private readonly changeListeners = new Set<(ids: string[]) => void>();
  private readonly store = new WaitingStore((ids) => this.replace(ids));
  /** undefined: not started; null: the account is being asked for; then the account's key (or signed out: ''). */
  private account: string | null | undefined;
  private checking: Promise<void> | undefined;
  private askAgain = false;
  /** Counts `dispose()` calls, so that an account answer asked for before one is dropped. */
  private generation = 0;

  constructor(private readonly host: AlertsHost) {}

  /** Arms `key`: the alert fires once when the person becomes Available (at once when they are). */
  add(key: string): void {
    const trimmed = typeof key === 'string' ? key.trim() : '';
    if (!trimmed) return;
    this.start();
    const id = this.host.peek(trimmed).id;
    if (!this.account) {
      this.later(id ?? trimmed, 'add');
      return;
    }
    if (id) this.arm(id, true);
    else this.resolve(trimmed);
  }

  /** Disarms `key`. */
  remove(key: string): void {
    const trimmed = typeof key === 'string' ? key.trim() : '';
    if (!trimmed) return;
    this.start();
    const id = this.host.peek(trimmed).id ?? trimmed;
    if (!this.account) {
      this.later(id, 'remove');
      return;
    }
    this.pending.delete(trimmed);
    if (this.disarm(id)) this.changed();
  }

  /** Disarms everyone. */
  clear(): void {
    this.start();
    this.pending.clear();
    if (!this.armed.size) return;
    for (const id of [...this.armed.keys()]) this.disarm(id);
    this.changed();
  }

  /** The object ids armed, oldest first. */
  list(): string[] {
    this.start();
    return [...this.armed.keys()];
  }

  /** Whether `key` is armed. */
  has(key: string): boolean {
    const id = this.host.peek(typeof key === 'string' ? key.trim() : '').id;
    return !!id && this.list().includes(id);
  }

  /**
   * Called with each alert (only those for the id `only()` returns, when given). Returns the function that stops
   * listening. Whoever became Available while nobody listened for them is told now.
   */
  onAlert(listener: (alert: AvailabilityAlert) => void, only?: () => string | undefined): () => void {
    this.start();
    this.alertListeners.set(listener, only);
    for (const [id, wait] of [...this.armed]) this.check(id, wait, this.host.peek(id));
    return () => this.alertListeners.delete(listener);
  }

  /** Called with the ids armed after every change (here, in another tab, or of account). */
  onChange(listener: (ids: string[]) => void): () => void {
    this.start();
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Asks the token provider again who is signed in, and switches to that account's list (none when signed out).
   * Done after `client.reload()`, after the client's calls fail, and by `<presence-sign-in>` after signing out; an
   * app that signs out by itself calls it after.
   */
  checkAccount(): Promise<void> {
    // Asked again while asking (a sign-in during the first look): the answer in flight may be from before it.
    if (this.checking) {
      this.askAgain = true;
      return this.checking;
    }
    const generation = this.generation;
    this.checking = (async () => {
      do {
        this.askAgain = false;
        const key = await accountKey(this.host.auth);
        // Disposed meanwhile: the answer opens nothing.
        if (generation !== this.generation) break;
        if (key === this.account) continue;
        this.account = key;
        this.store.open(key || undefined);
        this.replace(key ? this.store.read() : []);
        this.applyPending();
      } while (this.askAgain);
      if (generation === this.generation) this.checking = undefined;
    })();
    return this.checking;
  }

  /**
   * Stops every wait and stops following other tabs, keeping the saved list (`client.dispose()` does it). Any use
   * afterwards starts again.
   */
  dispose(): void {
    this.generation++;
    this.checking = undefined;
    this.store.close();
    this.pending.clear();
    for (const id of [...this.armed.keys()]) this.disarm(id);
    this.account = undefined;
  }

  /** Kept until someone is signed in (at most MAX_WAITING keys: the oldest go first). */
  private later(key: string, op: 'add' | 'remove'): void {
    this.pending.delete(key);
    this.pending.set(key, op);
    if (this.pending.size > MAX_WAITING) this.pending.delete(this.pending.keys().next().value!);
  }

  private start(): void {
    if (this.account !== undefined) return;
    this.account = null;
    this.host.onReload(() => void this.checkAccount());
    // A session that ended shows as failing calls: whoever is signed in is asked again.
    this.host.onError(() => void this.checkAccount());
    void this.checkAccount();
  }

  /** What was asked before the account was known (or while signed out), applied to the signed-in list. */
  private applyPending(): void {
    if (!this.account) return;
    const asked = [...this.pending];
    this.pending.clear();
    for (const [key, op] of asked) (op === 'add' ? this.add : this.remove).call(this, key);
  }

  /** A userPrincipalName or `me`: armed once the client knows its id. */
  private resolve(key: string): void {
    this.pending.set(key, 'add');
    let done = false;
    const finish = () => {
      done = true;
      queueMicrotask(() => stop());
    };
    const stop = this.host.watch(
      key,
      (snapshot) => {
        if (done) return;
        if (snapshot.id) {
          finish();
          if (this.pending.get(key) === 'add') {
            this.pending.delete(key);
            this.arm(snapshot.id, true);
          }
        } else if (snapshot.error) {
          finish();
          this.pending.delete(key);
        }
      },
      { photo: false },
    );
  }

  /** Arms one id (watching it) when it is not; `save`: tell and save the change. */
  private arm(id: string, save: boolean): void {
    if (this.armed.has(id)) return;
    const wait: Wait = {};
    this.armed.set(id, wait);
    // The oldest wait goes past the most one list holds.
    if (this.armed.size > MAX_WAITING) this.disarm(this.armed.keys().next().value!);
    if (save) this.changed();
    wait.stop = this.host.watch(id, (snapshot) => this.check(id, wait, snapshot), { photo: false });
  }

  /**
   * Fires for `id` when `snapshot` is a fresh Available and someone listens for `id`; an alert nobody would hear
   * waits, armed, for a listener (a page with a team list but no `<presence-alerts>` spends none).
   */
  private check(id: string, wait: Wait, snapshot: PersonSnapshot): void {
    // Disarmed (fired, removed) already: a duplicate or late presence tells nothing more.
    if (this.armed.get(id) !== wait) return;
    if (!showsAvailable(snapshot)) {
      if (snapshot.presence && !snapshot.stale) wait.previous = snapshot.presence.availability;
      return;
    }
    const listeners = [...this.alertListeners].filter(([, only]) => !only || only() === id).map(([l]) => l);
    if (!listeners.length) return;
    const alert: AvailabilityAlert = {
      userId: id,
      displayName: snapshot.profile?.displayName ?? null,
      availability: 'Available',
      activity: snapshot.presence!.activity,
    };
    if (wait.previous) alert.previousAvailability = wait.previous;
    // Disarmed first: a listener that arms the person again starts a new wait.
    if (this.disarm(id)) this.changed();
    for (const listener of listeners) listener(alert);
  }

  private disarm(id: string): boolean {
    const wait = this.armed.get(id);
    if (!wait) return false;
    this.armed.delete(id);
    // Once the watch that may be calling this has returned (and handed back its stop function).
    queueMicrotask(() => wait.stop?.());
    return true;
  }

  /** The list another tab saved (or another account's): armed as it says, without saving it back. */
  private replace(ids: string[]): void {
    const next = new Set(ids);
    let changed = false;
    for (const id of [...this.armed.keys()]) if (!next.has(id)) changed = this.disarm(id) || changed;
    for (const id of ids)
      if (!this.armed.has(id)) {
        this.arm(id, false);
        changed = true;
      }
    if (changed) this.tell();
  }

  private changed(): void {
    this.store.write(this.list());
    this.tell();
  }

  private tell(): void {
    const ids = [...this.armed.keys()];
    for (const listener of [...this.changeListeners]) listener(ids);
  }
}

/** The key of the signed-in account's list: its user name; NO_ACCOUNT without sign-in; '' when signed out. */
async function accountKey(auth: TokenProvider | undefined): Promise<string> {
  if (typeof auth?.account !== 'function') return NO_ACCOUNT;
  try {
    const account = await auth.account();
    return typeof account?.username === 'string' && account.username ? account.username.toLowerCase() : '';
  } catch {
    return '';
  }
}
