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
export function clientAccessToken(options: {
  endpoint: string;
  accessKey: string;
  hub: string;
  userId?: string;
  ttlSeconds?: number;
}): { url: string; accessToken: string } {
  const url = `${options.endpoint}/client/?hub=${encodeURIComponent(options.hub.toLowerCase())}`;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { aud: url, iat: now, nbf: now, exp: now + (options.ttlSeconds ?? 3600) };
  if (options.userId) claims['asrs.s.uid'] = options.userId;
  return { url, accessToken: signHs256(claims, Buffer.from(options.accessKey, 'utf8')) };
}

/** A bearer token for one REST API call: `aud` is the request URL without its query. */
export function serverToken(options: {
  accessKey: string;
  audience: string;
  ttlSeconds?: number;
  now?: number;
}): string {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  return signHs256(
    { aud: options.audience, iat: now, nbf: now, exp: now + (options.ttlSeconds ?? 300) },
    Buffer.from(options.accessKey, 'utf8'),
  );
}

export interface ServerTokenCacheOptions {
  /** Lifetime of each token. Default 300 s. */
  ttlSeconds?: number;
  /** A token is not handed out once it has less than this left (clocks differ; a request takes time). Default 60 s. */
  renewBeforeSeconds?: number;
  /** Audiences kept at most; beyond that, the one signed longest ago is forgotten. Default 10,000. */
  maxAudiences?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Server tokens per audience (request URL), signed once and reused until shortly before they expire, instead of one
 * signature per call. The service checks a REST call's token for its `aud` (the request URL) and `exp` only: any
 * unexpired token for that URL is accepted, however often it is used
 * (https://learn.microsoft.com/azure/azure-signalr/signalr-reference-data-plane-rest-api, "Authentication via
 * AccessKey in Azure SignalR Service": claims `aud` and `exp`, signed HS256 with the AccessKey).
 */
export class ServerTokenCache {
  private readonly key: Buffer;
  private readonly ttl: number;
  private readonly renewBefore: number;
  private readonly max: number;
  private readonly now: () => number;
  /** audience -> token and when (ms) it stops being handed out; in order of signing, oldest first. */
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(accessKey: string, options: ServerTokenCacheOptions = {}) {
    this.key = Buffer.from(accessKey, 'utf8');
    this.ttl = options.ttlSeconds ?? 300;
    this.renewBefore = Math.min(options.renewBeforeSeconds ?? 60, this.ttl / 2);
    this.max = options.maxAudiences ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Audiences with a token kept. */
  get size(): number {
    return this.tokens.size;
  }

  /** A token for `audience` with more than `renewBeforeSeconds` left. */
  for(audience: string): string {
    const now = this.now();
    const kept = this.tokens.get(audience);
    if (kept && now < kept.until) return kept.token;
    const issued = Math.floor(now / 1000);
    const token = signHs256({ aud: audience, iat: issued, nbf: issued, exp: issued + this.ttl }, this.key);
    this.tokens.delete(audience);
    if (this.tokens.size >= this.max) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(audience, { token, until: (issued + this.ttl - this.renewBefore) * 1000 });
    return token;
  }
}
