// The SignalR transport's watch session at the relay, through the page's lifecycle: leaving the page ends the
// session at once (a keepalive request, so it survives the unload), and a page restored from the back/forward
// cache watches again under the same session.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/auth/token-provider.js';
import { SignalRTransport } from '../../../src/transports/signalr.js';
import type { TransportSink } from '../../../src/transports/transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

interface WatchCall {
  ids: string[];
  session: string;
  keepalive: boolean;
  authorization: string | null;
}

describe('SignalRTransport watch session', () => {
  const realFetch = window.fetch;
  let calls: WatchCall[];
  let transport: SignalRTransport | undefined;
  let clock: FakeClock;

  beforeEach(() => {
    calls = [];
    clock = new FakeClock();
    // The relay: /watch answers with a lease; negotiating fails, so no SignalR connection is made.
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/watch')) {
        const body = JSON.parse(String(init?.body)) as { ids: string[]; session: string };
        calls.push({
          ...body,
          keepalive: init?.keepalive === true,
          authorization: new Headers(init?.headers).get('authorization'),
        });
        return new Response(JSON.stringify({ watching: body.ids.length, covered: true, leaseSeconds: 1800 }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return new Response('unavailable', { status: 503 });
    };
  });

  afterEach(() => {
    transport?.stop();
    transport = undefined;
    window.fetch = realFetch;
  });

  function start(): SignalRTransport {
    const sink: TransportSink = { update: () => undefined, state: () => undefined, error: () => undefined };
    const t = new SignalRTransport({
      relayUrl: 'https://relay.invalid/api',
      auth: bringYourOwnToken(() => 'user-token'),
      relayScopes: ['api://relay/access_as_user'],
      scheduler: clock,
    });
    t.start(sink);
    return t;
  }

  it('pagehide ends the session with a keepalive request; pageshow from the back/forward cache watches again', async () => {
    transport = start();
    transport.watch(new Set(['a', 'b']), ['a', 'b'], []);
    // Watches made together are sent together, 30 ms later.
    await clock.advance(30);
    await until(() => calls.length === 1, 'the watch list');
    expect(calls[0]).to.deep.include({
      ids: ['a', 'b'],
      session: transport.session,
      keepalive: false,
      authorization: 'Bearer user-token',
    });

    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    await until(() => calls.length === 2, 'the session ended');
    expect(calls[1]).to.deep.include({
      ids: [],
      session: transport.session,
      keepalive: true,
      authorization: 'Bearer user-token',
    });

    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => calls.length === 3, 'the watch list sent again');
    expect(calls[2]).to.deep.include({ ids: ['a', 'b'], session: transport.session, keepalive: false });
  });

  it('a first pageshow (not from the cache) sends nothing more; two transports have two sessions', async () => {
    transport = start();
    const other = start();
    try {
      transport.watch(new Set(['a']), ['a'], []);
      other.watch(new Set(['c']), ['c'], []);
      await clock.advance(30);
      await until(() => calls.length === 2, 'both watch lists');
      expect(transport.session).to.not.equal(other.session);
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
      // Past the time a watch list would be sent, and every turn after it.
      await clock.advance(1000);
      expect(calls.length).to.equal(2);
    } finally {
      other.stop();
    }
    await until(() => calls.length === 3, 'the stopped transport ending its session');
    expect(calls[2]).to.deep.include({ ids: [], keepalive: true });
  });
});
