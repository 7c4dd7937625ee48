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

/** Reconnection never gives up: exponential backoff with full jitter, capped at 30 s. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  return Math.round(250 + random() * Math.min(30_000, 500 * 2 ** Math.min(attempt, 10)));
}

/**
 * Live presence pushed by the relay through Azure SignalR Service. `@microsoft/signalr` is loaded only when this
 * transport starts. After every reconnection the client re-reads presence from Graph, so nothing stale stays on
 * screen; while the relay is unreachable, the fallback (polling) takes over.
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
  /** Updates received, for tests and benchmarks. */
  received = 0;

  constructor(private readonly options: SignalRTransportOptions) {}

  start(sink: TransportSink): void {
    this.sink = sink;
    void this.connect();
  }

  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void {
    this.ids = [...ids];
    for (const id of added) this.unconfirmed.add(id);
    for (const id of removed) this.unconfirmed.delete(id);
    this.fallback?.watch(ids, added, removed);
    clearTimeout(this.watchTimer);
    // Watches made together are told to the relay together.
    this.watchTimer = setTimeout(() => void this.sendWatch(), 30);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.watchTimer);
    clearTimeout(this.retryTimer);
    this.stopFallback();
    void this.connection?.stop();
    this.sink?.state('idle');
  }

  private async token(): Promise<string> {
    return this.options.auth.getToken(this.options.relayScopes);
  }

  private async sendWatch(): Promise<void> {
    if (this.stopped) return;
    const live = this.live;
    const pending = [...this.unconfirmed];
    try {
      const res = await fetch(`${this.options.relayUrl.replace(/\/+$/, '')}/watch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: this.ids }),
      });
      if (!res.ok) throw new Error(`The relay refused the watch list (${res.status}).`);
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
    }
  }

  private startFallback(): void {
    if (this.fallback || !this.options.fallback || !this.sink) return;
    this.fallback = this.options.fallback();
    this.fallback.start({ ...this.sink, state: () => undefined });
    this.fallback.watch(new Set(this.ids), this.ids, []);
  }

  private stopFallback(): void {
    this.fallback?.stop();
    this.fallback = undefined;
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
      connection.onreconnecting(() => {
        this.live = false;
        this.sink?.state('reconnecting', 'The connection to the relay dropped; reconnecting.');
        this.startFallback();
      });
      connection.onreconnected(() => this.connected(false));
      connection.onclose(() => {
        this.live = false;
        if (this.stopped) return;
        // Closed for good (the relay refused, or the service closed without reconnect): start over.
        this.startFallback();
        this.scheduleRetry();
      });
      this.connection = connection;
      await connection.start();
      this.connected(this.attempts === 0);
    } catch (error) {
      if (this.stopped) return;
      this.sink?.error(error as Error);
      this.startFallback();
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.sink?.state('reconnecting', 'The relay is unreachable; polling meanwhile.');
    this.retryTimer = setTimeout(() => void this.connect(), reconnectDelay(this.attempts++));
  }

  private connected(first: boolean): void {
    this.attempts = 0;
    this.live = true;
    this.stopFallback();
    this.sink?.state('connected');
    void this.sendWatch();
    // Nothing is replayed after a reconnection: read everything again. (The first time, watching seeds it.)
    if (!first) this.sink?.resync?.();
  }
}
