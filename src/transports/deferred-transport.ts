import type { PresenceTransport, TransportSink } from './transport.js';

/**
 * A transport whose code arrives with `import()` when the client starts it: the page that never uses it never
 * downloads it. Ids watched while it loads are handed over once it is here; a failed load is reported to the client.
 */
export class DeferredTransport implements PresenceTransport {
  private inner: PresenceTransport | undefined;
  private loading: Promise<PresenceTransport> | undefined;
  private ids: ReadonlySet<string> = new Set();
  private running = false;
  private stopped = false;

  /** `load` makes the real transport (its module imported on demand). */
  constructor(private readonly load: () => Promise<PresenceTransport>) {}

  /** The real transport, once its code is here (loading it now if nothing has yet). */
  loaded(): Promise<PresenceTransport> {
    return (this.loading ??= this.load().then((inner) => (this.inner = inner)));
  }

  start(sink: TransportSink): void {
    this.stopped = false;
    this.loaded().then(
      (inner) => {
        if (this.stopped || this.running) return;
        this.running = true;
        inner.start(sink);
        if (this.ids.size) inner.watch(this.ids, [...this.ids], []);
      },
      (error: unknown) => {
        if (!this.stopped) sink.error(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = new Set(ids);
    if (this.running) this.inner!.watch(ids, added, removed);
  }

  stop(): void {
    this.stopped = true;
    if (!this.running) return;
    this.running = false;
    this.inner!.stop();
  }
}
