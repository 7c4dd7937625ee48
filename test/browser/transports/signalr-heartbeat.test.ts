// The SignalR transport and the relay's heartbeat. The page's connection is to SignalR Service, which stays up when
// the relay dies: once the page has heard the relay's heartbeat, a silence of 2.5 of its intervals is taken as the
// relay being down (everything watched is polled, the state says so, the watch is tried again at once), and when the
// beats come back everything is read again once. A page that never heard a beat (an older relay, heartbeats turned
// off) waits for its watch renewals, as before.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/auth/token-provider.js';
import { SignalRTransport } from '../../../src/transports/signalr.js';
import type { ConnectionState, PresenceTransport, TransportSink } from '../../../src/transports/transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

/** The SignalR JSON protocol's record separator. */
const RS = '\u001e';

/**
 * A WebSocket to a hub that exists only in this page: it answers the SignalR handshake, and the test pushes
 * invocations through it (the real SignalR client reads them).
 */
class HubSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static open: HubSocket[] = [];
  readyState = HubSocket.CONNECTING;
  binaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    HubSocket.open.push(this);
    setTimeout(() => {
      this.readyState = HubSocket.OPEN;
      this.onopen?.({});
    });
  }

  send(data: string): void {
    // The handshake request is answered with an empty handshake response; pings need no answer.
    if (data.includes('"protocol"')) setTimeout(() => this.onmessage?.({ data: `{}${RS}` }));
  }

  close(code = 1000): void {
    if (this.readyState === HubSocket.CLOSED) return;
    this.readyState = HubSocket.CLOSED;
    HubSocket.open = HubSocket.open.filter((s) => s !== this);
    this.onclose?.({ code, reason: '', wasClean: true });
  }

  /** The hub calls `target` on the page. */
  invoke(target: string, ...args: unknown[]): void {
    this.onmessage?.({ data: JSON.stringify({ type: 1, target, arguments: args }) + RS });
  }
}

describe('SignalRTransport and the relay heartbeat', () => {
  const realFetch = window.fetch;
  const realWebSocket = window.WebSocket;
  const INTERVAL = 15_000;
  /** Clock times of the watch lists sent. */
  let sent: number[];
  let relay: 'up' | 'down';
  /** Whether the relay's negotiate answers (SignalR's reconnections fail while it does not). */
  let negotiating: boolean;
  let polled: string[];
  let states: ConnectionState[];
  /** Re-reads asked for: `all` for everything watched, else the ids. */
  let resyncs: Array<string[] | 'all'>;
  /** The ids the transport vouched for (nothing pushed for them since, as nothing changed), each time. */
  let vouched: string[][];
  let transport: SignalRTransport | undefined;
  let clock: FakeClock;

  beforeEach(() => {
    sent = [];
    relay = 'up';
    negotiating = true;
    polled = [];
    states = [];
    resyncs = [];
    vouched = [];
    clock = new FakeClock();
    HubSocket.open = [];
    // The relay: negotiate answers for a WebSocket connection to the page's own hub; /watch answers with a 10-minute
    // lease, or fails as an unreachable host.
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/negotiate') && !negotiating) throw new TypeError('Failed to fetch');
      if (url.includes('/negotiate'))
        return new Response(
          JSON.stringify({
            negotiateVersion: 1,
            connectionId: 'c1',
            connectionToken: 't1',
            availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        );
      if (url.endsWith('/watch') && !init?.keepalive) {
        sent.push(clock.now());
        if (relay === 'down') throw new TypeError('Failed to fetch');
        const body = JSON.parse(String(init?.body)) as { ids: string[] };
        return new Response(JSON.stringify({ watching: body.ids.length, covered: true, leaseSeconds: 600 }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return new Response('not found', { status: 404 });
    };
    (window as { WebSocket: unknown }).WebSocket = HubSocket;
  });

  afterEach(() => {
    transport?.stop();
    transport = undefined;
    window.fetch = realFetch;
    window.WebSocket = realWebSocket;
  });

  const state = () => states[states.length - 1];
  const hub = () => HubSocket.open[0]!;
  const beat = () => hub().invoke('heartbeat', { intervalMs: INTERVAL });

  /** A transport watching a and b, connected, its watch answered. */
  async function start(): Promise<SignalRTransport> {
    const sink: TransportSink = {
      update: () => undefined,
      state: (s) => states.push(s),
      error: () => undefined,
      resync: (ids) => void resyncs.push(ids ?? 'all'),
      current: (ids) => void vouched.push([...ids]),
    };
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
    t.watch(new Set(['a', 'b']), ['a', 'b'], []);
    // Connected, the watch is sent, and its answer has the new ids read once more; then the list made in the same
    // 30 ms is sent, and answered (nothing new to read).
    await until(() => state() === 'connected' && sent.length === 1, 'the connection and its watch');
    await until(() => resyncs.length === 1, 'the new ids read once more');
    await clock.advance(30);
    await until(() => sent.length === 2, 'the watch list');
    await until(() => !(t as unknown as { inflight?: Promise<void> }).inflight, 'the watch list answered');
    expect(resyncs.length).to.equal(1);
    await clock.advance(10);
    expect(polled).to.deep.equal([]);
    return t;
  }

  it('silent for 2.5 intervals: reconnecting, everything polled, the watch tried; beats back: one re-read, connected', async () => {
    transport = await start();
    for (let i = 0; i < 4; i++) {
      beat();
      await clock.advance(INTERVAL);
    }
    expect(state()).to.equal('connected');
    expect(polled).to.deep.equal([]);

    // The relay dies; SignalR Service keeps the connection up. The last beat was one interval ago.
    relay = 'down';
    beat();
    const lastBeat = clock.now();
    const watches = sent.length;
    await clock.advance(2.5 * INTERVAL - 1);
    expect(state()).to.equal('connected');
    await clock.advance(1);
    expect(clock.now() - lastBeat).to.equal(2.5 * INTERVAL);
    expect(state()).to.equal('reconnecting');
    expect(polled).to.have.members(['a', 'b']);
    const detected = clock.now();
    const before = resyncs.length;
    // The watch is tried again at once, then within the failed-watch backoff.
    await clock.runUntil(() => sent.length >= watches + 2, 'two tries of the watch', 50, 4_000);
    expect(sent[watches]! - lastBeat - 2.5 * INTERVAL).to.be.at.most(250);
    expect(state()).to.equal('reconnecting');
    // Nothing was pushed since the relay died: with no answer, everything watched is read 3 s after, not at the
    // fallback's first poll.
    await clock.advance(Math.max(0, detected + 3_000 - clock.now()));
    expect(resyncs.slice(before)).to.deep.equal(['all']);
    const rereads = resyncs.length;

    // The relay is back, and so are its beats: the watch is sent at once, and its answer has everything read again.
    relay = 'up';
    const tries = sent.length;
    beat();
    await until(() => state() === 'connected', 'connected again');
    expect(sent.length).to.equal(tries + 1);
    expect(resyncs.slice(rereads)).to.deep.equal(['all']);
    expect(polled).to.deep.equal([]);
    // Beats go on: nothing more is read, nothing polled.
    for (let i = 0; i < 4; i++) {
      await clock.advance(INTERVAL);
      beat();
    }
    await clock.advance(10);
    expect(resyncs.slice(rereads)).to.deep.equal(['all']);
    expect(state()).to.equal('connected');
  });

  it('a watch answered while the beats are silent (heartbeats turned off) ends it; the page waits for none since', async () => {
    transport = await start();
    beat();
    await clock.advance(INTERVAL);
    beat();
    await clock.advance(2.5 * INTERVAL);
    expect(state()).to.equal('reconnecting');
    // The relay answers the watch tried at once, though it sends no beat.
    await clock.runUntil(() => state() === 'connected', 'connected again', 50, 1_000);
    expect(resyncs.slice(1)).to.deep.equal(['all']);
    await clock.advance(10 * INTERVAL);
    expect(state()).to.equal('connected');
    expect(polled).to.deep.equal([]);
  });

  it('the connection drops and stays down: everything watched is read once, 3 s after, while it is polled', async () => {
    transport = await start();
    const before = resyncs.length;
    negotiating = false;
    hub().close(1006);
    await until(() => state() === 'reconnecting', 'reconnecting');
    expect(polled).to.have.members(['a', 'b']);
    // A connection back within seconds is read again as it comes back: nothing is read before.
    await clock.advance(2_999);
    expect(resyncs.length).to.equal(before);
    // Still down: the first poll is an interval away, so what was pushed is read now.
    await clock.advance(1);
    expect(resyncs.slice(before)).to.deep.equal(['all']);
    // Once: the fallback polls from now on.
    await clock.advance(60_000);
    expect(resyncs.slice(before)).to.deep.equal(['all']);
    expect(state()).to.equal('reconnecting');
  });

  it('the connection drops and is back within 3 s: everything is read once, after the reconnection', async () => {
    transport = await start();
    const before = resyncs.length;
    hub().close(1006);
    await until(() => state() === 'reconnecting', 'reconnecting');
    await until(() => state() === 'connected', 'connected again', 6_000);
    await until(() => resyncs.length > before, 'the read after the reconnection');
    await clock.advance(10_000);
    expect(resyncs.slice(before)).to.deep.equal(['all']);
  });

  it('each beat vouches for what is pushed (nothing changed, nothing came); not while the relay is silent', async () => {
    transport = await start();
    const before = vouched.length;
    for (let i = 0; i < 3; i++) {
      beat();
      await clock.advance(INTERVAL);
    }
    expect(vouched.slice(before)).to.deep.equal([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    // The relay loses Graph's coverage of b: polled from now on, b is no longer vouched for by the beats.
    hub().invoke('coverage', { uncovered: ['b'] });
    beat();
    await clock.advance(10);
    expect(vouched.at(-1)).to.deep.equal(['a']);
    // The relay goes silent and is taken for down; a beat heard while its watch still fails vouches for nothing.
    relay = 'down';
    await clock.advance(3 * INTERVAL);
    expect(state()).to.equal('reconnecting');
    const silentFrom = vouched.length;
    beat();
    await clock.advance(10);
    expect(vouched.length).to.equal(silentFrom);
  });

  it('no heartbeat ever: nothing changes until a watch renewal fails', async () => {
    transport = await start();
    relay = 'down';
    const watches = sent.length;
    // The renewal is due at half the 10-minute lease: until then the page is connected and polls nothing.
    await clock.advance(299_000);
    expect(sent.length).to.equal(watches);
    expect(state()).to.equal('connected');
    expect(polled).to.deep.equal([]);
    expect(resyncs).to.have.length(1);
  });
});
