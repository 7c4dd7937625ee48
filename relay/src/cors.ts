// Cross-origin access to negotiate and watch, the same on every host: only the origins configured
// (`RELAY_ALLOWED_ORIGINS`) get `Access-Control-Allow-Origin` and credentials; with none configured, no origin does
// (a page on the relay's own origin needs no CORS). The SignalR client sends `X-Requested-With` and
// `X-SignalR-User-Agent`, so a preflight allows them.

const ALLOWED_HEADERS = 'authorization, content-type, x-requested-with, x-signalr-user-agent';
const ALLOWED_METHODS = 'POST, OPTIONS';

/** An origin as a browser sends it (`https://host[:port]`), or undefined when `text` is not one. */
export function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.origin !== text.replace(/\/+$/, '').toLowerCase()
    )
      return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Reads `RELAY_ALLOWED_ORIGINS`: origins separated by commas; throws naming what is not an origin (`*` included). */
export function parseAllowedOrigins(text: string): string[] {
  const given = text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const wrong = given.filter((o) => !originOf(o));
  if (wrong.length)
    throw new Error(
      `RELAY_ALLOWED_ORIGINS: not origins (scheme://host[:port], no path, no wildcard): ${wrong.join(', ')}`,
    );
  return [...new Set(given.map((o) => originOf(o)!))];
}

/**
 * The CORS headers for a request from `origin` (the `Origin` header, if any): `Vary: Origin` always, since the
 * answer depends on it; the rest only for an allowed origin; for a preflight, the methods and headers too.
 */
export function corsHeaders(
  origin: string | null | undefined,
  allowed: readonly string[] | undefined,
  preflight: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { vary: 'Origin' };
  const normalised = origin ? originOf(origin) : undefined;
  if (!normalised || !allowed?.includes(normalised)) return headers;
  headers['access-control-allow-origin'] = origin!;
  headers['access-control-allow-credentials'] = 'true';
  if (preflight) {
    headers['access-control-allow-methods'] = ALLOWED_METHODS;
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return headers;
}
