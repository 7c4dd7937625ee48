// A page hidden while it cannot reach SignalR Service backs off up to 30 s between tries; shown again, it tries at
// once, so that once the fault is over what it shows is pushed again within seconds, not after a wait grown hidden.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/auth/token-provider.js';
import { SignalRTransport } from '../../../src/transports/signalr.js';
import type { PresenceTransport, TransportSink } from '../../../src/transports/transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

/** Makes the document say it is hidden or shown, and tells whoever listens. */
function setVisibility(state: 'hidden' | 'visible' | undefined): void {
  if (state === undefined) {
    delete (document as { visibilityState?: unknown }).visibilityState;
    return;
  }
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('SignalRTransport on a page shown again', () => {
  const realFetch = window.fetch;
  let negotiations: number;
  let transport: SignalRTransport | undefined;
  let clock: FakeClock;

  beforeEach(() => {
    negotiations = 0;
    clock = new FakeClock();
    // SignalR Service (through the relay's negotiate) answers 503; the relay's /watch answers.
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/negotiate')) {
        negotiations++;
        return new Response('unavailable', { status: 503 });
      }
      const body = JSON.parse(String(init?.body)) as { ids: string[] };
      return new Response(JSON.stringify({ watching: body.ids.length, covered: true, leaseSeconds: 600 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
  });

  afterEach(() => {
    transport?.stop();
    transport = undefined;
    window.fetch = realFetch;
    setVisibility(undefined);
  });

  it('tries to connect at once when shown, however long the wait grown while hidden', async () => {
    const states: string[] = [];
    const sink: TransportSink = {
      update: () => undefined,
      state: (state) => states.push(state),
      error: () => undefined,
    };
    const fallback = (): PresenceTransport => ({
      start: () => undefined,
      watch: () => undefined,
      stop: () => undefined,
    });
    setVisibility('hidden');
    transport = new SignalRTransport({
      relayUrl: 'https://relay.invalid/api',
      auth: bringYourOwnToken(() => 'user-token'),
      relayScopes: ['api://relay/access_as_user'],
      scheduler: clock,
      fallback,
    });
    transport.start(sink);
    transport.watch(new Set(['a']), ['a'], []);
    // Hidden, the tries back off towards 30 s apart.
    await clock.runUntil(() => negotiations >= 8, 'eight tries while hidden', 250, 300_000);
    await until(() => states.at(-1) === 'reconnecting', 'the failed try taken in');
    const before = negotiations;
    setVisibility('visible');
    await until(() => negotiations > before, 'a try as soon as the page is shown');
    expect(negotiations).to.equal(before + 1);
  });
});
