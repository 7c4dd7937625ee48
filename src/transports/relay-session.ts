import type { TokenProvider } from '../auth/token-provider.js';
import type { Scheduler } from '../client/scheduler.js';

/** A random id for one transport's watch session at the relay (a UUID where the page can make one). */
export function watchSessionId(): string {
  const crypto = globalThis.crypto;
  // randomUUID exists only in secure contexts; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A token older than this is fetched again before the relay is told the page stopped watching. */
const REUSABLE_TOKEN_MS = 30 * 60_000;

/** What the relay answered a watch list with. */
export interface WatchAnswer {
  /** How long the relay keeps the watch unless renewed. */
  leaseMs: number | undefined;
  /** The ids Graph does not cover yet (polled meanwhile). */
  uncovered: string[];
}

/** The relay answered a watch list with an error status. */
export class WatchRefused extends Error {
  constructor(readonly status: number) {
    super(`The relay refused the watch list (${status}).`);
  }

  /** A server error (5xx): the relay, or what is in front of it, is failing, as much as unreachable. */
  get serverFault(): boolean {
    return this.status >= 500;
  }
}

export interface RelaySessionOptions {
  relayUrl: string;
  auth: TokenProvider;
  relayScopes: string[];
}

/**
 * One watch session at the relay (`{ ids, session }` posted to its `/watch`), so several tabs of one user never undo
 * each other's watches: the requests, the tokens they carry, and ending the session when the page goes.
 */
export class RelaySession {
  readonly id = watchSessionId();
  /** Whether the relay may hold a watch for this session, so leaving has something to end. */
  private watching = false;
  /** The last token for the relay, kept so leaving the page can say so without waiting for one. */
  private lastToken: { value: string; at: number } | undefined;

  constructor(
    private readonly options: RelaySessionOptions,
    private readonly clock: Scheduler,
  ) {}

  async token(): Promise<string> {
    const value = await this.options.auth.getToken(this.options.relayScopes);
    this.lastToken = { value, at: this.clock.now() };
    return value;
  }

  /**
   * The relay refused the last token (401): it is not given again, so the next request gets a new one. A token the
   * page takes for good may have expired for the relay (their clocks differ), or been replaced meanwhile.
   */
  forgetToken(): void {
    if (this.lastToken) this.options.auth.invalidate?.(this.lastToken.value);
  }

  private get watchUrl(): string {
    return `${this.options.relayUrl.replace(/\/+$/, '')}/watch`;
  }

  /** Tells the relay the ids this session watches; undefined when the session was stopped while a token came. */
  async post(ids: string[], stopped: () => boolean, again = true): Promise<WatchAnswer | undefined> {
    const token = await this.token();
    if (stopped()) return undefined;
    if (ids.length) this.watching = true;
    const res = await fetch(this.watchUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids, session: this.id }),
    });
    // The token was refused: asked again once, with a new one.
    if (res.status === 401 && again && this.options.auth.invalidate) {
      this.forgetToken();
      return this.post(ids, stopped, false);
    }
    if (!res.ok) throw new WatchRefused(res.status);
    if (!ids.length) this.watching = false;
    const answer = (await res.json().catch(() => ({}))) as {
      leaseSeconds?: unknown;
      covered?: unknown;
      uncovered?: unknown;
    };
    const lease = Number(answer?.leaseSeconds);
    // What the relay cannot cover yet is polled meanwhile.
    const uncovered = Array.isArray(answer?.uncovered)
      ? answer.uncovered.filter((id): id is string => typeof id === 'string')
      : answer?.covered === false
        ? ids
        : [];
    return { leaseMs: Number.isFinite(lease) && lease > 0 ? lease * 1000 : undefined, uncovered };
  }

  /** The page goes away (or the transport stops): the relay is told this session watches nothing. */
  leave(): void {
    if (!this.watching) return;
    this.watching = false;
    this.end();
  }

  /**
   * `{ ids: [], session }` with `keepalive`, so it is sent even as the page unloads. The last token is used when it
   * is recent: a page being hidden may not get to wait for a new one.
   */
  end(): void {
    const send = (token: string) =>
      fetch(this.watchUrl, {
        method: 'POST',
        keepalive: true,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [], session: this.id }),
      }).then(
        () => undefined,
        () => undefined,
      );
    const recent =
      this.lastToken && this.clock.now() - this.lastToken.at < REUSABLE_TOKEN_MS ? this.lastToken.value : undefined;
    if (recent) void send(recent);
    else void this.options.auth.getToken(this.options.relayScopes).then(send, () => undefined);
  }
}
