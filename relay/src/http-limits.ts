// How much the Node server takes from a client: bodies up to a size (413 beyond, as RFC 9110 says), and time limits
// on the request headers, the whole request and idle keep-alive sockets, well below Node's defaults (a minute for
// the headers, five for a request), so a slow or stalled client cannot hold sockets for long.
import type { IncomingMessage, ServerOptions } from 'node:http';

export interface HttpLimits {
  /** The largest watch request body. Default 1 MiB (10,000 ids take about 400 KB). */
  watchBodyBytes?: number;
  /** The largest notification collection. Default 4 MiB. */
  notificationBodyBytes?: number;
  /** Time to receive a request's headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive socket stays open. Default 5 s. */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_HTTP_LIMITS: Required<HttpLimits> = {
  watchBodyBytes: 1024 * 1024,
  notificationBodyBytes: 4 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export function httpLimits(given: HttpLimits = {}): Required<HttpLimits> {
  const limits = {
    ...DEFAULT_HTTP_LIMITS,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
  // Node wants the headers' limit within the request's.
  limits.requestTimeoutMs = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return limits;
}

/** The server's options for these limits; Node checks them every `connectionsCheckingInterval`, so that is short too. */
export function serverOptions(limits: Required<HttpLimits>): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** A body larger than the limit: answered 413. */
export class BodyTooLarge extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/**
 * A request's body as text, at most `limit` bytes; `BodyTooLarge` as soon as it is known to be larger (from its
 * Content-Length, or once that much has come). The caller answers 413 and closes the connection.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
