// One Microsoft Graph call with a bearer token, answered as status and parsed JSON (or the raw text).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

export function graphCall(method: string, url: string, token: string, body?: unknown, timeoutMs = 20_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method, headers: { authorization: `Bearer ${token}`, ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = raw;
          try {
            parsed = raw ? JSON.parse(raw) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('Graph timed out')));
    req.end(text);
  });
}
