// One Microsoft Graph request over the page's `fetch`: Graph's root and version, the bearer token, a JSON body,
// throttling retried through `withRetry` (429/503/504 with Retry-After, https://learn.microsoft.com/graph/throttling),
// and a failed answer read as a `GraphCallError` from Graph's error body
// (https://learn.microsoft.com/graph/errors: `{ "error": { "code", "message" } }`).
import { GraphCallError, retryAfterMs, withRetry, type RetryPolicy } from './retry.js';

export interface GraphRequest {
  /** A path under the version (`/me`, `/$batch`), with its query. */
  path: string;
  token: string;
  /** Sent as JSON with a POST; a GET without it. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** A write sent as the page goes away (`pagehide`) must outlive it. */
  keepalive?: boolean;
}

/** Graph's root without a trailing slash or version: `https://graph.microsoft.com`, or the emulator's. */
export function graphRoot(baseUrl: string | undefined): string {
  return (baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '').replace(/\/v1\.0$/, '');
}

/** The answer's body: JSON when it says so, text otherwise, undefined when empty. */
async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A failed answer as the library's error: Graph's code and message when its body has them. */
async function failure(response: Response): Promise<GraphCallError> {
  const body = (await bodyOf(response).catch(() => undefined)) as
    { error?: { code?: unknown; message?: unknown } } | undefined;
  const error = typeof body === 'object' && body !== null ? body.error : undefined;
  const message = typeof error?.message === 'string' && error.message ? error.message : undefined;
  return new GraphCallError(
    message ?? `Microsoft Graph call failed (${response.status})`,
    response.status,
    retryAfterMs(response.headers.get('retry-after')),
    typeof error?.code === 'string' ? error.code : undefined,
  );
}

/**
 * Sends `request` to Graph v1.0 under `root`, trying again while Graph throttles it (as `policy` allows), and
 * resolves with the answer's body. A failed answer rejects with a `GraphCallError`; a network failure with one of
 * status 0; an abort with the abort itself.
 */
export async function graphFetch(root: string, request: GraphRequest, policy: RetryPolicy): Promise<unknown> {
  const { path, token, body, signal, keepalive } = request;
  const init: RequestInit = {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
    ...(keepalive ? { keepalive } : {}),
  };
  let response: Response;
  try {
    response = await withRetry(() => fetch(`${root}/v1.0${path}`, init), signal, policy);
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new GraphCallError(error instanceof Error ? error.message : String(error), 0, undefined, 'NetworkError');
  }
  if (!response.ok) throw await failure(response);
  return bodyOf(response);
}
