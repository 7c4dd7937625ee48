// The SignalR transport while the relay does not answer its watch: the relay may no longer watch for the page, so
// everything watched is polled, and the relay is asked again within seconds (not at the next quarter of the lease);
// a relay that refuses the list (4xx) is asked again at most a minute apart; answered, renewals go back to half the
// lease.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/auth/token-provider.js';
import { SignalRTransport } from '../../../src/transports/signalr.js';
import type { PresenceTransport, TransportSink } from '../../../src/transports/transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

describe('SignalRTransport when the relay does not answer its watch', () => {
  const realFetch = window.fetch;
  /** Clock times of the watch lists sent. */
  let sent: number[];
  /** How the relay answers a watch list now. */
  let relay: 'up' | 'down' | 'refusing';
  let polled: string[];
  let transport: SignalRTransport | undefined;
  /** The watch request under way in the transport, if any: the clock moves on only once its answer is taken in. */
  const inflight = () => (transport as unknown as { inflight?: Promise<void> } | undefined)?.inflight;
  let clock: FakeClock;

  beforeEach(() => {
    sent = [];
    relay = 'up';
    polled = [];
    clock = new FakeClock();
    // The relay's /watch answers with a 10-minute lease, fails as an unreachable host, or refuses; negotiating fails,
    // so no SignalR connection is made.
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/watch') && !init?.keepalive) {
        sent.push(clock.now());
        if (relay === 'down') throw new TypeError('Failed to fetch');
        if (relay === 'refusing') return new Response('{"error":"Forbidden"}', { status: 403 });
        const body = JSON.parse(String(init?.body)) as { ids: string[] };
        return new Response(JSON.stringify({ watching: body.ids.length, covered: true, leaseSeconds: 600 }), {
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
    const fallback = (): PresenceTransport => ({
      start: () => undefined,
      watch: (ids) => (polled = [...ids]),
      stop: () => (polled = []),
    });
    const t = new SignalRTransport({
      relayUrl: 'https://relay.invalid/api',
      auth: bringYourOwnToken(() => 'user-token'),
      relayScopes: ['api://relay/access_as_user'],
      scheduler: clock,
      fallback,
    });
    t.start(sink);
    return t;
  }

  it('asks an unreachable relay again within seconds, polling meanwhile; answered, renews at half the lease', async () => {
    transport = start();
    transport.watch(new Set(['a', 'b']), ['a', 'b'], []);
    await clock.advance(30);
    await until(() => sent.length === 1, 'the watch list');

    relay = 'down';
    // The renewal, at half the lease, fails.
    await clock.runUntil(() => sent.length === 2, 'the renewal', 1_000, 301_000);
    await until(() => sent.length === 2, 'the renewal sent');
    const failedAt = sent[1]!;
    // Asked again within the backoff (at most 3.25 s while the page is shown), twice.
    await clock.runUntil(() => sent.length === 4, 'two more tries', 100, 7_000);
    expect(sent[2]! - failedAt).to.be.at.most(3_250);
    expect(sent[3]! - sent[2]!).to.be.at.most(3_250);
    expect(polled).to.have.members(['a', 'b']);

    relay = 'up';
    await clock.runUntil(() => sent.length === 5, 'a try answered', 100, 4_000);
    await until(() => !inflight(), 'the answer taken in');
    const answeredAt = sent[4]!;
    // Then only at half the lease again.
    await clock.advance(299_000);
    expect(sent.length).to.equal(5);
    await clock.runUntil(() => sent.length === 6, 'the next renewal', 100, 2_000);
    expect(sent[5]! - answeredAt).to.equal(300_000);
  });

  it('asks a relay that refuses the list again within a minute, not within seconds', async () => {
    transport = start();
    transport.watch(new Set(['a']), ['a'], []);
    await clock.advance(30);
    await until(() => sent.length === 1, 'the watch list');
    relay = 'refusing';
    await clock.runUntil(() => sent.length === 2, 'the renewal', 1_000, 301_000);
    await until(() => sent.length === 2 && !inflight(), 'the renewal refused');
    await clock.runUntil(() => sent.length === 3, 'asked again', 1_000, 61_000);
    expect(sent[2]! - sent[1]!).to.equal(60_000);
    expect(polled).to.deep.equal(['a']);
  });
});
