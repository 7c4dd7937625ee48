// The subscription handshake (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation):
// Graph POSTs to the notification URL (and the lifecycle URL) with `?validationToken=…` and wants the decoded token
// back within 10 seconds, 200, as text/plain. The token is reflected only there: on POST to those two routes, when
// it is short (Graph's are a sentence of about a hundred characters) and printable, and with `nosniff`, so the relay
// cannot be made to serve markup of a stranger's choosing.

/** The longest validation token answered. */
export const MAX_VALIDATION_TOKEN = 1024;

/** Printable characters only: no control characters, no line breaks. */
const PRINTABLE = /^[^\p{Cc}]*$/u;

export interface PlainReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A plain-text answer that is not sniffed nor cached. */
export const plainReply = (status: number, body: string, headers: Record<string, string> = {}): PlainReply => ({
  status,
  headers: {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...headers,
  },
  body,
});

/**
 * For a request to a notification route: the answer when it is not a notification delivery (a handshake, a wrong
 * method, a token refused), or undefined when it is one (a POST without `validationToken`) to be read as such.
 */
export function notificationRouteReply(
  method: string | undefined,
  validationToken: string | null,
): PlainReply | undefined {
  if (method !== 'POST') return plainReply(405, 'POST only', { allow: 'POST' });
  if (validationToken === null) return undefined;
  if (!validationToken || validationToken.length > MAX_VALIDATION_TOKEN || !PRINTABLE.test(validationToken)) {
    return plainReply(400, `validationToken must be 1 to ${MAX_VALIDATION_TOKEN} printable characters`);
  }
  return plainReply(200, validationToken);
}
