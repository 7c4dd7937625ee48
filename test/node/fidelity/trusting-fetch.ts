// A `fetch` that trusts one more certificate authority (an emulator's self-signed certificate), for clients written
// elsewhere that take a custom fetch (openid-client's `customFetch`, jose's `[customFetch]`): certificate checks stay
// on for everything else, nothing is disabled globally.
import { request } from 'node:https';

/** What the clients' custom fetch options have in common with `fetch`. */
export interface FetchOptions {
  method?: string;
  headers?: HeadersInit;
  body?: unknown;
  redirect?: RequestRedirect;
  signal?: AbortSignal | null;
}

/** `fetch` over HTTPS trusting `ca`, adding `headers` to every request (say, the `Origin` a browser would send). */
export function fetchTrusting(
  ca: string,
  headers: Record<string, string> = {},
): (input: string | URL | Request, init?: FetchOptions) => Promise<Response> {
  return async (input, init) => {
    const outgoing = new Request(input, init as RequestInit);
    const body = outgoing.body ? Buffer.from(await outgoing.arrayBuffer()) : undefined;
    const sent = { ...Object.fromEntries(outgoing.headers), ...headers };
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        outgoing.url,
        { method: outgoing.method, headers: sent, ca, signal: init?.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const replyHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const v of ([] as string[]).concat(value ?? [])) replyHeaders.append(name, v);
            }
            const status = res.statusCode ?? 0;
            const empty = status === 204 || status === 304 || outgoing.method === 'HEAD';
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: replyHeaders,
              }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}
