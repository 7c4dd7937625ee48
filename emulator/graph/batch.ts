// JSON batching as https://learn.microsoft.com/graph/json-batching describes it: at most 20 requests, ids unique
// (not case-sensitive), a write must carry a body and its Content-Type (else the whole batch is refused, in the words
// microsoftgraph/msgraph-sdk-dotnet#2628 quotes), `dependsOn` orders requests and fails a
// request whose dependency failed with 424, each answer has its own status and headers in Graph's casing
// (`Content-Type`, `Retry-After`, `Cache-Control`...), and answers "might appear in a different order than the
// requests": they do here, so a client that matches by position rather than by id fails against the emulator too.
import { badRequest, GraphError, newRequestId } from './errors.js';
import type { GraphResult } from './types.js';

interface Step {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, unknown>;
  body?: unknown;
  dependsOn?: unknown;
}

/** Runs one step (already a path under /v1.0) and gives its answer. */
export type StepRunner = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
) => Promise<GraphResult>;

const MAX_REQUESTS = 20;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/** Header names as Graph writes them inside batch answers (HTTP header names are case-insensitive; JSON keys are not). */
const GRAPH_CASING: Record<string, string> = {
  'content-type': 'Content-Type',
  'retry-after': 'Retry-After',
  'cache-control': 'Cache-Control',
  location: 'Location',
  etag: 'ETag',
  'odata-version': 'OData-Version',
  'content-length': 'Content-Length',
  'www-authenticate': 'WWW-Authenticate',
};

/** Per-response headers that Graph does not repeat inside a batch item (the batch's own response carries them). */
const NOT_PER_ITEM = new Set(['request-id', 'client-request-id']);

function refuse(message: string): GraphResult {
  const error = badRequest(message);
  return { status: error.status, body: error.body(newRequestId()) };
}

function itemHeaders(result: GraphResult): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    const lower = name.toLowerCase();
    if (NOT_PER_ITEM.has(lower)) continue;
    headers[GRAPH_CASING[lower] ?? name] = value;
  }
  if (result.body !== undefined && !Buffer.isBuffer(result.body) && !('Content-Type' in headers)) {
    const isError = result.status >= 400;
    headers['Content-Type'] = isError
      ? 'application/json'
      : 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    if (!isError) headers['OData-Version'] = '4.0';
  }
  headers['Cache-Control'] ??= 'no-cache';
  return headers;
}

function validate(requests: unknown): Step[] | string {
  if (!Array.isArray(requests) || requests.length === 0) return 'Invalid batch payload format: requests is required.';
  if (requests.length > MAX_REQUESTS)
    return `Number of batch requests in a single batch exceeds the maximum of ${MAX_REQUESTS}.`;
  const ids = new Set<string>();
  for (const step of requests as Step[]) {
    if (typeof step?.id !== 'string' || typeof step.method !== 'string' || typeof step.url !== 'string')
      return 'Each batch request needs an id, a method and a url.';
    const key = step.id.toLowerCase();
    if (ids.has(key)) return `Batch request ids must be unique: '${step.id}' is repeated.`;
    ids.add(key);
    const headerNames = Object.keys(step.headers ?? {}).map((h) => h.toLowerCase());
    if (WRITES.has(step.method.toUpperCase()) && (step.body === undefined || !headerNames.includes('content-type'))) {
      return `Write request id : ${step.id} does not contain Content-Type header or body.`;
    }
  }
  for (const step of requests as Step[]) {
    if (step.dependsOn === undefined) continue;
    if (
      !Array.isArray(step.dependsOn) ||
      step.dependsOn.some((d) => typeof d !== 'string' || !ids.has(d.toLowerCase()))
    ) {
      return `Request '${step.id}' depends on a request that is not in the batch.`;
    }
  }
  return requests as Step[];
}

/** Answers `POST /v1.0/$batch`. */
export async function runBatch(
  rawBody: Buffer,
  authorization: string | string[] | undefined,
  run: StepRunner,
): Promise<GraphResult> {
  let payload: { requests?: unknown };
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return refuse('Invalid batch payload format.');
  }
  const steps = validate(payload?.requests);
  if (typeof steps === 'string') return refuse(steps);
  const statuses = new Map<string, number>();
  const responses: unknown[] = [];
  for (const step of steps) {
    const failed = ((step.dependsOn as string[] | undefined) ?? []).find((d) => {
      const status = statuses.get(d.toLowerCase());
      return status === undefined || status >= 400;
    });
    let result: GraphResult;
    if (failed !== undefined) {
      const error = new GraphError(
        424,
        'FailedDependency',
        `The request depends on request '${failed}', which failed.`,
      );
      result = { status: 424, body: error.body(newRequestId()) };
    } else {
      const path = `/v1.0${step.url.startsWith('/') ? '' : '/'}${step.url}`;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(step.headers ?? {})) headers[name.toLowerCase()] = String(value);
      if (typeof authorization === 'string') headers.authorization = authorization;
      const body =
        step.body === undefined
          ? Buffer.alloc(0)
          : Buffer.from(typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
      result = await run(step.method.toUpperCase(), path, headers, body);
    }
    statuses.set(step.id.toLowerCase(), result.status);
    const bytes = Buffer.isBuffer(result.body);
    responses.push({
      id: step.id,
      status: result.status,
      headers: itemHeaders(result),
      ...(result.body === undefined ? {} : { body: bytes ? (result.body as Buffer).toString('base64') : result.body }),
    });
  }
  return { status: 200, body: { responses: responses.reverse() } };
}
