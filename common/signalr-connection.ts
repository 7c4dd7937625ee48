// Azure SignalR Service connection strings and the tokens made from them, as the service and its SDKs do it (used by the relay and the emulator).
import { signHs256 } from './jwt.js';

export interface SignalRConnection {
  /** The endpoint with its port applied, without a trailing slash. */
  endpoint: string;
  accessKey: string;
  version: string;
}

/** Reads `Endpoint=https://x.service.signalr.net;AccessKey=...;Version=1.0;` (with an optional `Port=`). */
export function parseConnectionString(connectionString: string): SignalRConnection {
  const parts = new Map<string, string>();
  for (const piece of connectionString.split(';')) {
    const at = piece.indexOf('=');
    if (at > 0) parts.set(piece.slice(0, at).trim().toLowerCase(), piece.slice(at + 1).trim());
  }
  const endpoint = parts.get('endpoint');
  const accessKey = parts.get('accesskey');
  if (!endpoint || !accessKey) throw new Error('A SignalR connection string needs Endpoint and AccessKey.');
  const url = new URL(endpoint);
  const port = parts.get('port');
  if (port) url.port = port;
  return { endpoint: url.toString().replace(/\/$/, ''), accessKey, version: parts.get('version') ?? '1.0' };
}

export function connectionStringFor(endpoint: string, accessKey: string): string {
  const url = new URL(endpoint);
  const port = url.port;
  url.port = '';
  return `Endpoint=${url.toString().replace(/\/$/, '')};${port ? `Port=${port};` : ''}AccessKey=${accessKey};Version=1.0;`;
}

/** What an app's negotiate returns to a browser: the client URL for the hub and an access token for one user. */
export function clientAccessToken(options: { endpoint: string; accessKey: string; hub: string; userId?: string; ttlSeconds?: number }): { url: string; accessToken: string } {
  const url = `${options.endpoint}/client/?hub=${encodeURIComponent(options.hub.toLowerCase())}`;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { aud: url, iat: now, nbf: now, exp: now + (options.ttlSeconds ?? 3600) };
  if (options.userId) claims['asrs.s.uid'] = options.userId;
  return { url, accessToken: signHs256(claims, Buffer.from(options.accessKey, 'utf8')) };
}

/** A bearer token for one REST API call: `aud` is the request URL without its query. */
export function serverToken(options: { accessKey: string; audience: string; ttlSeconds?: number }): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ aud: options.audience, iat: now, nbf: now, exp: now + (options.ttlSeconds ?? 300) }, Buffer.from(options.accessKey, 'utf8'));
}
