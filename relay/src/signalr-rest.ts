// Calls to Azure SignalR Service's REST API over a bounded pool of kept-alive sockets: however many users a burst of
// changes reaches, the relay holds at most `maxSockets` connections to the service, and requests beyond them wait
// their turn in the pool instead of each opening a socket of its own.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { retryAfterMs } from '../../common/retry-after.js';

/** How one call went: its status (0 when the service could not be reached) and any Retry-After. */
export interface RestReply {
  status: number;
  retryAfterMs?: number;
}

/**
 * Connections kept to the service at most, by default. One send per user is in flight at a time, so the bound is what
 * limits the sends per second (connections / round trip). With one message per user, 256 is where a 2-core machine's
 * relay ran out of CPU before connections (500 changes/s to 1,000 users: p99 0.1–2.7 s with the load average at 4–7);
 * fewer queued sends behind each other (64: p99 about 1.1 s). The group fan-out needs far fewer (67–200 at the peak).
 */
export const DEFAULT_MAX_SOCKETS = 256;

export class SignalRRest {
  private readonly agent: HttpAgent;
  private readonly secure: boolean;
  /** The service's origin, and where to connect: every call's URL starts with it, so none is parsed again. */
  private readonly origin: string;
  private readonly target: { protocol: string; hostname: string; port: string };

  constructor(endpoint: string, maxSockets = DEFAULT_MAX_SOCKETS) {
    const url = new URL(endpoint);
    this.secure = url.protocol === 'https:';
    this.origin = url.origin;
    this.target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port };
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
    this.agent = this.secure ? new HttpsAgent(options) : new HttpAgent(options);
  }

  /** Sockets open to the service now (in use and idle). */
  get sockets(): number {
    const count = (group: NodeJS.ReadOnlyDict<unknown[]>) =>
      Object.values(group).reduce((n, list) => n + (list?.length ?? 0), 0);
    return count(this.agent.sockets) + count(this.agent.freeSockets);
  }

  /** Requests waiting for a socket. */
  get queued(): number {
    return Object.values(this.agent.requests).reduce((n, list) => n + (list?.length ?? 0), 0);
  }

  post(url: string, token: string, body: string): Promise<RestReply> {
    return this.call('POST', url, token, body);
  }

  /** A call with no body: adding a user to a group (`PUT`) or removing them (`DELETE`). */
  send(method: 'PUT' | 'DELETE', url: string, token: string): Promise<RestReply> {
    return this.call(method, url, token);
  }

  /** `GET /api/v1/health`: 200 when the service is serving. */
  health(url: string, token: string): Promise<RestReply> {
    return this.call('GET', url, token);
  }

  /** Lets go of every socket (the relay stops). */
  close(): void {
    this.agent.destroy();
  }

  private call(method: string, url: string, token: string, body?: string): Promise<RestReply> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
      if (body !== undefined)
        Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      const where = url.startsWith(`${this.origin}/`)
        ? { ...this.target, path: url.slice(this.origin.length) }
        : httpOptionsOf(url);
      const req = (this.secure ? httpsRequest : httpRequest)(
        { ...where, method, headers, agent: this.agent, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            const wait = retryAfterMs(res.headers['retry-after']);
            resolve({ status: res.statusCode ?? 0, ...(wait !== undefined ? { retryAfterMs: wait } : {}) });
          });
          res.on('error', () => resolve({ status: 0 }));
        },
      );
      req.on('error', () => resolve({ status: 0 }));
      req.on('timeout', () => req.destroy(new Error('SignalR Service timed out')));
      req.end(body);
    });
  }
}

function httpOptionsOf(url: string): { protocol: string; hostname: string; port: string; path: string } {
  const parsed = new URL(url);
  return {
    protocol: parsed.protocol,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port,
    path: `${parsed.pathname}${parsed.search}`,
  };
}
