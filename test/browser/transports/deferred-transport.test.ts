// A transport whose code loads on demand: what the client says while it loads is not lost, and a failed load is
// reported instead of leaving the page silently without updates.
import { expect } from '@open-wc/testing';
import type { PresenceTransport, TransportSink } from '../../../src/index.js';
import { DeferredTransport } from '../../../src/transports/deferred-transport.js';

/** A transport that writes down what it is told. */
class Recorder implements PresenceTransport {
  readonly calls: string[] = [];
  start(): void {
    this.calls.push('start');
  }
  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.calls.push(`watch ${[...ids].join(',')} +${added.join(',')} -${removed.join(',')}`);
  }
  stop(): void {
    this.calls.push('stop');
  }
}

function sink(errors: Error[] = []): TransportSink {
  return { update: () => {}, state: () => {}, error: (e) => errors.push(e) };
}

describe('DeferredTransport', () => {
  it('hands the ids watched while it loaded to the transport once it is here, then passes changes on', async () => {
    const inner = new Recorder();
    const transport = new DeferredTransport(async () => inner);
    transport.start(sink());
    transport.watch(new Set(['a']), ['a'], []);
    transport.watch(new Set(['a', 'b']), ['b'], []);
    await transport.loaded();
    await Promise.resolve();
    transport.watch(new Set(['b']), [], ['a']);
    transport.stop();
    expect(inner.calls).to.deep.equal(['start', 'watch a,b +a,b -', 'watch b + -a', 'stop']);
  });

  it('never starts a transport stopped before its code arrived', async () => {
    const inner = new Recorder();
    const transport = new DeferredTransport(async () => inner);
    transport.start(sink());
    transport.stop();
    await transport.loaded();
    await Promise.resolve();
    expect(inner.calls).to.deep.equal([]);
  });

  it('reports a failed load to the client', async () => {
    const errors: Error[] = [];
    const transport = new DeferredTransport(() => Promise.reject(new Error('chunk not found')));
    transport.start(sink(errors));
    await transport.loaded().catch(() => undefined);
    await Promise.resolve();
    expect(errors.map((e) => e.message)).to.deep.equal(['The transport could not be loaded (Error: chunk not found).']);
    transport.stop();
  });
});
