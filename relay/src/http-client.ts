// The relay's one way of making an HTTP request to a service (Entra ID's keys and token endpoint, Graph): a body
// out, the status, headers, text and parsed JSON back, within a time limit, trusting extra certificate
// authorities if given. SignalR Service's calls go through their own pool of connections (signalr-rest.ts).
import { request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { retryAfterMs } from '../../common/retry-after.js';

export interface HttpCall {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string;
  /** The whole call is given up after this long without data, with `timeoutMessage`. */
  timeoutMs: number;
  timeoutMessage: string;
  /** Extra certificate authorities to trust (the local emulator's certificate). */
  ca?: string;
  /** Refuse any URL but `https:` (what holds keys or secrets is never fetched in the clear). */
  httpsOnly?: boolean;
}

export interface HttpReply {
  /** The status code (0 if Node gives none). */
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON; the text itself when it is not JSON; null when empty. */
  body: any;
  /** The Retry-After header in milliseconds, when there is one. */
  retryAfterMs?: number;
}

/** One request; rejects when the service cannot be reached, the connection breaks or the time limit passes. */
export function httpCall(url: string | URL, call: HttpCall): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const target = typeof url === 'string' ? new URL(url) : url;
    const send = call.httpsOnly || target.protocol === 'https:' ? tlsRequest : plainRequest;
    const req = send(
      target,
      {
        method: call.method ?? 'GET',
        ...(call.headers ? { headers: call.headers } : {}),
        ...(call.ca ? { ca: call.ca } : {}),
        timeout: call.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: the text stands
          }
          const wait = retryAfterMs(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            ...(wait !== undefined ? { retryAfterMs: wait } : {}),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(call.timeoutMessage)));
    req.end(call.body);
  });
}
