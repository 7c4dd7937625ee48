import type { PresenceTransport, TransportSink } from './transport.js';

/** The transport (polling) that reads what pushes cannot, for the ids it is given; none while there are none. */
export class FallbackPoller {
  private transport: PresenceTransport | undefined;
  /** The ids it polls now. */
  private polled = new Set<string>();

  constructor(private readonly make: (() => PresenceTransport) | undefined) {}

  /** Polls exactly `ids` from now on (nothing to poll, or no fallback: no poller). */
  sync(ids: string[], sink: TransportSink | undefined): void {
    if (!ids.length || !this.make || !sink) {
      this.stop();
      return;
    }
    const next = new Set(ids);
    const added = ids.filter((id) => !this.polled.has(id));
    const removed = [...this.polled].filter((id) => !next.has(id));
    if (!this.transport) {
      this.transport = this.make();
      this.transport.start({ ...sink, state: () => undefined });
    }
    this.polled = next;
    if (added.length || removed.length) this.transport.watch(next, added, removed);
  }

  stop(): void {
    this.transport?.stop();
    this.transport = undefined;
    this.polled = new Set();
  }
}
