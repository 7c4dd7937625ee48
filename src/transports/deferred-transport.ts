import { loadOnce } from '../loading/load-once.js';
import { retryLater } from '../loading/retry-later.js';
import type { PresenceTransport, TransportSink } from './transport.js';

/**
 * A transport whose code arrives with `import()` when the client starts it: the page that never uses it never
 * downloads it. Ids watched while it loads are handed over once it is here. A failed load is reported to the client
 * (saying what could not be loaded) and tried again a few seconds later, longer after each failure (at most a
 * minute), or as soon as the browser is back online, until the transport starts or is stopped.
 */
export class DeferredTransport implements PresenceTransport {
  private inner: PresenceTransport | undefined;
  private ids: ReadonlySet<string> = new Set();
  private running = false;
  private stopped = false;
  private failures = 0;
  private cancelRetry: (() => void) | undefined;

  /** `load` makes the real transport (its module imported on demand); `what` names it in errors. */
  constructor(
    private readonly load: () => Promise<PresenceTransport>,
    readonly what = 'The transport',
  ) {}

  /** The real transport, once its code is here (loading it now if nothing has yet; again after a failure). */
  readonly loaded: () => Promise<PresenceTransport> = loadOnce(this.what, () =>
    this.load().then((inner) => (this.inner = inner)),
  );

  start(sink: TransportSink): void {
    this.stopped = false;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.loaded().then(
      (inner) => {
        if (this.stopped || this.running) return;
        this.running = true;
        this.failures = 0;
        inner.start(sink);
        if (this.ids.size) inner.watch(this.ids, [...this.ids], []);
      },
      (error: Error) => {
        if (this.stopped) return;
        sink.error(error);
        this.cancelRetry = retryLater(this.failures++, () => {
          this.cancelRetry = undefined;
          if (!this.stopped) this.start(sink);
        });
      },
    );
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = new Set(ids);
    if (this.running) this.inner!.watch(ids, added, removed);
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    if (!this.running) return;
    this.running = false;
    this.inner!.stop();
  }
}
