// "Notify me when available", as `client.alerts`: its methods at once, its waits (waiting-list.ts, the saved list)
// loaded the first time one is used. A page that never arms anyone never downloads them.
import type { AlertsHost, AvailabilityAlert } from './availability-alert.js';
import { loadOnce } from '../loading/load-once.js';
import { retryLater } from '../loading/retry-later.js';
import type { WaitingList } from './waiting-list.js';

export { NO_ACCOUNT, showsAvailable } from './availability-alert.js';
export type { AlertsHost, AvailabilityAlert } from './availability-alert.js';

/**
 * "Notify me when available", as `client.alerts` (and the short forms on the client). Each person armed is watched
 * while armed. The alert fires once, when the client knows from a fresh presence (not stale, no failed refresh)
 * that the person is `Available`, then the person is disarmed: `AvailableIdle` does not count; someone already
 * Available when armed fires at once; a presence read again after a reconnection that shows Available fires. An
 * alert nobody listens for (no `onAlert` listener, such as `<presence-alerts>` or an avatar with
 * `notify-when-available` for that person) is not spent: the person stays armed until a listener comes.
 *
 * The list is saved in `localStorage` for the signed-in account (`auth.account()`; one fixed key for a client
 * without sign-in), read when first used and again after a sign-in (`client.reload()`), and followed across tabs.
 * Signing out stops the alerts of that account without deleting its list; what is armed or disarmed while nobody is
 * signed in waits for the next sign-in. Nothing is loaded, read or watched before the first use of any of these methods: until the list is read (after its
 * code has loaded and the account is known), `list()` is empty and `has()` false, and what is asked waits, in order.
 */
export class AvailabilityAlerts {
  private waits: WaitingList | undefined;
  private loading: Promise<WaitingList> | undefined;
  private failures = 0;
  private retrying = false;
  /** What was asked before the waits' code loaded, in order. */
  private queued: Array<(waits: WaitingList) => void> = [];

  /** `load` imports the waits' code (replaced in tests). */
  constructor(
    private readonly host: AlertsHost,
    private readonly loadModule: () => Promise<Pick<typeof import('./waiting-list.js'), 'WaitingList'>> = () =>
      import('./waiting-list.js'),
  ) {}

  /** Arms `key`: the alert fires once when the person becomes Available (at once when they are). */
  add(key: string): void {
    this.use((w) => w.add(key));
  }

  /** Disarms `key`. */
  remove(key: string): void {
    this.use((w) => w.remove(key));
  }

  /** Disarms everyone. */
  clear(): void {
    this.use((w) => w.clear());
  }

  /** The object ids armed, oldest first. */
  list(): string[] {
    if (this.waits) return this.waits.list();
    this.use((w) => w.list());
    return [];
  }

  /** Whether `key` is armed. */
  has(key: string): boolean {
    if (this.waits) return this.waits.has(key);
    this.use((w) => w.list());
    return false;
  }

  /**
   * Called with each alert (only those for the id `only()` returns, when given). Returns the function that stops
   * listening. Whoever became Available while nobody listened for them is told now.
   */
  onAlert(listener: (alert: AvailabilityAlert) => void, only?: () => string | undefined): () => void {
    return this.listen((w) => w.onAlert(listener, only));
  }

  /** Called with the ids armed after every change (here, in another tab, or of account). */
  onChange(listener: (ids: string[]) => void): () => void {
    return this.listen((w) => w.onChange(listener));
  }

  /**
   * Asks the token provider again who is signed in, and switches to that account's list (none when signed out).
   * Done after `client.reload()`, after the client's calls fail, and by `<presence-sign-in>` after signing out; an
   * app that signs out by itself calls it after.
   */
  async checkAccount(): Promise<void> {
    await (await this.load()).checkAccount();
  }

  /**
   * Stops every wait and stops following other tabs, keeping the saved list (`client.dispose()` does it). Any use
   * afterwards starts again.
   */
  dispose(): void {
    if (this.waits) this.waits.dispose();
    // Loading: what was asked is dropped, and the waits stop as soon as they are there.
    else if (this.loading) this.queued = [(w) => w.dispose()];
  }

  /** Runs `call` on the waits now, or once their code has loaded. */
  private use(call: (waits: WaitingList) => void): void {
    if (this.waits) return call(this.waits);
    this.queued.push(call);
    void this.load().catch(() => undefined);
  }

  private listen(start: (waits: WaitingList) => () => void): () => void {
    if (this.waits) return start(this.waits);
    let stop: (() => void) | undefined;
    let stopped = false;
    this.use((w) => {
      if (!stopped) stop = start(w);
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /**
   * The waits, once their code is here. A failed load (offline, a replaced chunk) rejects, saying so; what was asked
   * meanwhile stays queued, and is handed over by the next use or a later try (longer after each failure, at most a
   * minute, or once the browser is back online).
   */
  private load(): Promise<WaitingList> {
    const loading = (this.loading = this.loadCode());
    loading.then(
      () => (this.failures = 0),
      (error: Error) => {
        if (this.loading === loading) this.loading = undefined;
        if (this.retrying || !this.queued.length) return;
        console.warn(`client.alerts: ${error.message}`);
        this.retrying = true;
        retryLater(this.failures++, () => {
          this.retrying = false;
          if (!this.waits && this.queued.length) void this.load().catch(() => undefined);
        });
      },
    );
    return loading;
  }

  private readonly loadCode = loadOnce('The code of "notify me when available"', () =>
    this.loadModule().then(({ WaitingList }) => {
      const waits = (this.waits ??= new WaitingList(this.host));
      for (const call of this.queued.splice(0)) call(waits);
      return waits;
    }),
  );
}
