// Faults a test or a demo can inject into any emulated service: added latency, an error status (429 with
// Retry-After, 503...), or a dropped socket. Each rule applies to matching requests, `times` times or forever.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ServiceName = 'graph' | 'entra' | 'signalr';

export interface FaultRule {
  /** Which service; omitted: every service. */
  service?: ServiceName;
  /** Only requests whose path starts with this (case-insensitive), e.g. `/v1.0/communications/getPresencesByUserId`. */
  path?: string;
  /** Only this method. */
  method?: string;
  /** Only requests whose bearer token is for this application (`appid`/`azp`), so tests running side by side keep to their own. */
  appId?: string;
  kind: 'latency' | 'status' | 'drop';
  /** For `latency`: milliseconds to wait before handling the request normally. */
  latencyMs?: number;
  /** For `status`: the status to answer with (429, 503...). */
  status?: number;
  /** For `status`: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** How many matching requests it applies to; omitted: all until cleared. */
  times?: number;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  add(rule: FaultRule): ActiveFault {
    if (!['latency', 'status', 'drop'].includes(rule.kind)) throw new Error(`unknown fault kind ${String(rule.kind)}`);
    if (rule.kind === 'status' && !(Number.isInteger(rule.status) && rule.status! >= 400 && rule.status! <= 599)) {
      throw new Error('a status fault needs a status between 400 and 599');
    }
    const active: ActiveFault = { ...rule, id: this.nextId++, hits: 0 };
    this.rules.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
  }

  private take(service: ServiceName, method: string, path: string, appId: () => string | undefined): ActiveFault[] {
    const hits: ActiveFault[] = [];
    for (const rule of this.rules) {
      if (rule.service && rule.service !== service) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.appId && rule.appId !== appId()) continue;
      if (rule.path && !path.toLowerCase().startsWith(rule.path.toLowerCase())) continue;
      rule.hits++;
      hits.push(rule);
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.hits < r.times);
    return hits;
  }

  /**
   * Applies the faults matching a request. Resolves true when the request was answered (or dropped) by a fault and
   * must not be handled further.
   */
  async apply(service: ServiceName, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hits = this.take(service, (req.method ?? 'GET').toUpperCase(), path, () =>
      appIdOf(req.headers.authorization),
    );
    for (const fault of hits) {
      if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
    }
    const drop = hits.find((f) => f.kind === 'drop');
    if (drop) {
      req.socket.destroy();
      return true;
    }
    const status = hits.find((f) => f.kind === 'status');
    if (status) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status.retryAfter !== undefined) headers['retry-after'] = String(status.retryAfter);
      const code =
        status.status === 429 ? 'TooManyRequests' : status.status === 503 ? 'ServiceUnavailable' : 'InjectedFault';
      res.writeHead(status.status!, headers);
      res.end(JSON.stringify({ error: { code, message: `Injected fault: ${status.status}` } }));
      return true;
    }
    return false;
  }
}

/** The application a bearer token is for, read without checking the token (the service checks it). */
function appIdOf(authorization: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from((authorization ?? '').replace(/^Bearer\s+/i, '').split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    const id = payload.appid ?? payload.azp;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
