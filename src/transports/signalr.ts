import type { HubConnection } from '@microsoft/signalr';
import type { TokenProvider } from '../auth/token-provider.js';
import type { GraphPresence } from '../presence/types.js';
import type { PresenceTransport, TransportSink } from './transport.js';

export interface SignalRTransportOptions {
  /** The relay's API root, e.g. `https://relay.contoso.com/api` (its `/negotiate` and `/watch` live there). */
  relayUrl: string;
  /** Tokens for the relay's API. */
  auth: TokenProvider;
  /** The relay API's scope, e.g. `api://<relay client id>/access_as_user`. */
  relayScopes: string[];
  /** Makes a transport to use while the relay is unreachable (polling); none by default. */
  fallback?: () => PresenceTransport;
  /** The hub method the relay sends presence with. Default `presence`. */
  target?: string;
}

/** A random id for one transport's watch session at the relay (a UUID where the page can make one). */
export function watchSessionId(): string {
  const crypto = globalThis.crypto;
  // randomUUID exists only in secure contexts; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** While the relay cannot cover some ids, it is asked again this often (they are polled meanwhile). */
const UNCOVERED_RECHECK_MS = 60_000;

/** A token older than this is fetched again before the relay is told the page stopped watching. */
const REUSABLE_TOKEN_MS = 30 * 60_000;

/** Whether the page is shown (outside a browser: yes). */
const pageVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

/**
 * Reconnection never gives up: exponential backoff with full jitter, capped at 5 s while the page is visible (what
 * it shows is re-read as soon as the connection is back) and at 30 s while it is hidden.
 */
export function reconnectDelay(attempt: number, random = Math.random, visible = pageVisible()): number {
  return Math.round(250 + random() * Math.min(visible ? 5_000 : 30_000, 500 * 2 ** Math.min(attempt, 10)));
}

/**
 * Live presence pushed by the relay through Azure SignalR Service. `@microsoft/signalr` is loaded only when this
 * transport starts. After every reconnection the client re-reads presence from Graph, so nothing stale stays on
 * screen; while the relay is unreachable, the fallback (polling) takes over.
 *
 * Each transport is one watch session at the relay (`{ ids, session }`), so several tabs of one user never undo each
 * other's watches. The relay gives each session a lease, renewed at half its length; `stop()` and leaving the page
 * (`pagehide`) end the session at once, and a page back from the back/forward cache watches again.
 */
export class SignalRTransport implements PresenceTransport {
  private sink: TransportSink | undefined;
  private connection: HubConnection | undefined;
  private ids: string[] = [];
  private stopped = false;
  private fallback: PresenceTransport | undefined;
  private watchTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  /** Whether the connection is up, so the relay's pushes reach this page. */
  private live = false;
  /** Ids added since the relay last confirmed, while connected, that it covers them. */
  private readonly unconfirmed = new Set<string>();
  /** Ids the relay said Graph does not cover yet: polled (by the fallback) until a later answer says they are. */
  private uncovered = new Set<string>();
  /** The ids the fallback polls now. */
  private polled = new Set<string>();
  /** This transport's watch session at the relay. */
  readonly session = watchSessionId();
  /** How long the relay keeps this session's watch unless renewed (from its last answer). */
  private leaseMs: number | undefined;
  private leaseTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the relay may hold a watch for this session, so leaving has something to end. */
  private watching = false;
  /** The watch request under way, if any. */
  private inflight: Promise<void> | undefined;
  /** The last token for the relay, kept so leaving the page can say so without waiting for one. */
  private lastToken: { value: string; at: number } | undefined;
  private readonly onPageHide = () => this.leave();
  private readonly onPageShow = (event: PageTransitionEvent) => {
    // Back from the back/forward cache: the watch was ended when the page was hidden.
    if (event.persisted && !this.stopped) void this.sendWatch();
  };
  /** Updates received, for tests and benchmarks. */
  received = 0;

  constructor(private readonly options: SignalRTransportOptions) {}

  start(sink: TransportSink): void {
    this.sink = sink;
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.onPageHide);
      window.addEventListener('pageshow', this.onPageShow);
    }
    void this.connect();
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = [...ids];
    for (const id of added) this.unconfirmed.add(id);
    for (const id of removed) this.unconfirmed.delete(id);
    this.syncFallback();
    clearTimeout(this.watchTimer);
    // Watches made together are told to the relay together.
    this.watchTimer = setTimeout(() => void this.sendWatch(), 30);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.watchTimer);
    clearTimeout(this.retryTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.onPageHide);
      window.removeEventListener('pageshow', this.onPageShow);
    }
    // The relay drops this session's watch now, not when its lease lapses; a watch request still under way could
    // reach it later, so it is ended once more after that one.
    const inflight = this.inflight;
    this.leave();
    if (inflight) void inflight.then(() => this.endSession());
    this.stopFallback();
    void this.connection?.stop();
    this.sink?.state('idle');
  }

  private async token(): Promise<string> {
    const value = await this.options.auth.getToken(this.options.relayScopes);
    this.lastToken = { value, at: Date.now() };
    return value;
  }

  private get watchUrl(): string {
    return `${this.options.relayUrl.replace(/\/+$/, '')}/watch`;
  }

  private sendWatch(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    clearTimeout(this.leaseTimer);
    const run = this.postWatch().finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  private async postWatch(): Promise<void> {
    const live = this.live;
    const pending = [...this.unconfirmed];
    const ids = this.ids;
    try {
      const token = await this.token();
      if (this.stopped) return;
      if (ids.length) this.watching = true;
      const res = await fetch(this.watchUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids, session: this.session }),
      });
      if (!res.ok) throw new Error(`The relay refused the watch list (${res.status}).`);
      if (!ids.length) this.watching = false;
      const answer = (await res.json().catch(() => ({}))) as { leaseSeconds?: unknown; covered?: unknown; uncovered?: unknown };
      // Renewed at half the lease, so one failed renewal still leaves time for another.
      const lease = Number(answer?.leaseSeconds);
      this.leaseMs = Number.isFinite(lease) && lease > 0 ? lease * 1000 : undefined;
      // What the relay cannot cover yet is polled meanwhile, and the relay asked again soon.
      const uncovered = Array.isArray(answer?.uncovered) ? answer.uncovered.filter((id): id is string => typeof id === 'string') : answer?.covered === false ? ids : [];
      this.uncovered = new Set(uncovered);
      this.syncFallback();
      if (ids.length && this.leaseMs) this.renewIn(this.uncovered.size ? Math.min(this.leaseMs / 2, UNCOVERED_RECHECK_MS) : this.leaseMs / 2);
      // The relay answers once Graph's subscriptions cover the new ids. They were first read before that (and
      // perhaps before this connection was up): read them once more, so a change in between is not missed.
      if (live && pending.length) {
        for (const id of pending) this.unconfirmed.delete(id);
        const watched = new Set(this.ids);
        const again = pending.filter((id) => watched.has(id));
        if (again.length) this.sink?.resync?.(again);
      }
    } catch (error) {
      this.sink?.error(error as Error);
      // Tried again well before the lease would lapse.
      if (this.leaseMs && this.ids.length) this.renewIn(Math.min(this.leaseMs / 4, 60_000));
    }
  }

  private renewIn(ms: number): void {
    clearTimeout(this.leaseTimer);
    if (this.stopped) return;
    this.leaseTimer = setTimeout(() => void this.sendWatch(), Math.max(1_000, ms));
  }

  /** The page goes away (or the transport stops): the relay is told this session watches nothing. */
  private leave(): void {
    clearTimeout(this.leaseTimer);
    if (!this.watching) return;
    this.watching = false;
    this.endSession();
  }

  /**
   * `{ ids: [], session }` with `keepalive`, so it is sent even as the page unloads. The last token is used when it
   * is recent: a page being hidden may not get to wait for a new one.
   */
  private endSession(): void {
    const send = (token: string) =>
      fetch(this.watchUrl, {
        method: 'POST',
        keepalive: true,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [], session: this.session }),
      }).then(
        () => undefined,
        () => undefined,
      );
    const recent = this.lastToken && Date.now() - this.lastToken.at < REUSABLE_TOKEN_MS ? this.lastToken.value : undefined;
    if (recent) void send(recent);
    else void this.options.auth.getToken(this.options.relayScopes).then(send, () => undefined);
  }

  /**
   * Polling fills what pushes cannot: every watched id while the relay is unreachable; while connected, only the
   * ids the relay said Graph does not cover yet. Nothing to poll: no poller.
   */
  private syncFallback(): void {
    const ids = this.stopped ? [] : this.live ? this.ids.filter((id) => this.uncovered.has(id)) : this.ids;
    if (!ids.length || !this.options.fallback || !this.sink) {
      this.stopFallback();
      return;
    }
    const next = new Set(ids);
    const added = ids.filter((id) => !this.polled.has(id));
    const removed = [...this.polled].filter((id) => !next.has(id));
    if (!this.fallback) {
      this.fallback = this.options.fallback();
      this.fallback.start({ ...this.sink, state: () => undefined });
    }
    this.polled = next;
    if (added.length || removed.length) this.fallback.watch(next, added, removed);
  }

  private stopFallback(): void {
    this.fallback?.stop();
    this.fallback = undefined;
    this.polled = new Set();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.sink?.state(this.attempts === 0 ? 'connecting' : 'reconnecting');
    try {
      const { HubConnectionBuilder, HttpTransportType, LogLevel } = await import('@microsoft/signalr');
      const connection = new HubConnectionBuilder()
        .withUrl(this.options.relayUrl, { accessTokenFactory: () => this.token(), transport: HttpTransportType.WebSockets })
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => reconnectDelay(context.previousRetryCount) })
        .configureLogging(LogLevel.None)
        .build();
      connection.on(this.options.target ?? 'presence', (presences: GraphPresence[]) => {
        if (!Array.isArray(presences)) {
          // Said, not thrown: the connection and every other update go on.
          this.sink?.error(new Error(`The relay sent a presence message that is not a list (${typeof presences}); it was ignored.`));
          return;
        }
        this.received += presences.length;
        this.sink?.update(presences);
      });
      // The relay could not read these people's change from Graph itself: read them here, so nothing is missed.
      connection.on('resync', (ids: unknown) => {
        const list = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, 10_000) : [];
        if (!list.length) {
          this.sink?.error(new Error('The relay asked to re-read presence without a list of ids; it was ignored.'));
          return;
        }
        const watched = new Set(this.ids);
        const again = list.filter((id) => watched.has(id));
        if (again.length) this.sink?.resync?.(again);
      });
      connection.on('coverage', (message: unknown) => this.coverageChanged(message));
      connection.onreconnecting(() => {
        this.live = false;
        this.sink?.state('reconnecting', 'The connection to the relay dropped; reconnecting.');
        this.syncFallback();
      });
      connection.onreconnected(() => this.connected(false));
      connection.onclose(() => {
        this.live = false;
        if (this.stopped) return;
        // Closed for good (the relay refused, or the service closed without reconnect): start over.
        this.syncFallback();
        this.scheduleRetry();
      });
      this.connection = connection;
      await connection.start();
      this.connected(this.attempts === 0);
    } catch (error) {
      if (this.stopped) return;
      this.sink?.error(error as Error);
      this.syncFallback();
      this.scheduleRetry();
    }
  }

  /**
   * The relay lost Graph coverage of some watched people (`uncovered`: polled from now on, so none shows as live
   * while nothing pushes it) or has it again (`covered`: read once, for what changed meanwhile, then pushed only).
   */
  private coverageChanged(message: unknown): void {
    const ids = (value: unknown) => (Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string').slice(0, 10_000) : undefined);
    const { uncovered, covered } = (message && typeof message === 'object' ? message : {}) as { uncovered?: unknown; covered?: unknown };
    const lost = ids(uncovered);
    const regained = ids(covered);
    if (!lost && !regained) {
      this.sink?.error(new Error('The relay sent a coverage message without lists of ids; it was ignored.'));
      return;
    }
    const watched = new Set(this.ids);
    for (const id of lost ?? []) if (watched.has(id)) this.uncovered.add(id);
    const again = (regained ?? []).filter((id) => watched.has(id));
    for (const id of again) this.uncovered.delete(id);
    this.syncFallback();
    if (again.length) this.sink?.resync?.(again);
    // While some are uncovered, the relay is asked again soon, as after a watch answer naming them.
    if (this.uncovered.size && this.leaseMs) this.renewIn(Math.min(this.leaseMs / 2, UNCOVERED_RECHECK_MS));
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.sink?.state('reconnecting', 'The relay is unreachable; polling meanwhile.');
    this.retryTimer = setTimeout(() => void this.connect(), reconnectDelay(this.attempts++));
  }

  private connected(first: boolean): void {
    this.attempts = 0;
    this.live = true;
    this.syncFallback();
    this.sink?.state('connected');
    void this.sendWatch();
    // Nothing is replayed after a reconnection: read everything again. (The first time, watching seeds it.)
    if (!first) this.sink?.resync?.();
  }
}
