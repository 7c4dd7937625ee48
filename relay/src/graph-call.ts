// One Microsoft Graph call with a bearer token, answered as status and parsed JSON (or the raw text).
import { httpCall, type HttpReply } from './http-client.js';

export type Reply = Pick<HttpReply, 'status' | 'body' | 'headers' | 'retryAfterMs'>;

export function graphCall(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  timeoutMs = 20_000,
): Promise<Reply> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return httpCall(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}),
    },
    ...(text !== undefined ? { body: text } : {}),
    timeoutMs,
    timeoutMessage: 'Graph timed out',
  });
}
