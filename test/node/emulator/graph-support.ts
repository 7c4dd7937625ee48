// A Graph emulator on a free port with a token issuer of its own, for the Graph tests.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphEmulator, type GraphEmulatorOptions } from '../../../emulator/graph/graph.js';
import { signRs256, verifyRs256 } from '../../../common/jwt.js';
import { Clock } from '../../../emulator/shared/clock.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';
import { until } from '../until.js';

export const tenant = new Tenant({ seed: 'graph-tests', userCount: 2_000, teamSizes: [5, 50, 650, 2_000] });
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
export const ISSUER = `https://login.test/${tenant.id}/v2.0`;
export const APP_ID = '11111111-2222-4333-8444-555555555555';
/** The clock of the Graph emulators started here, which the tokens made here follow too, as Entra ID's would. */
export const clock = new Clock();
const seconds = () => Math.floor(clock.now() / 1000);

export interface TokenOptions {
  userId?: string | null;
  scopes?: string[];
  roles?: string[];
  audience?: string;
  expiresIn?: number;
  key?: 'good' | 'forged';
  appId?: string;
}

export function token(options: TokenOptions = {}): string {
  const now = seconds();
  const userId = options.userId === undefined ? tenant.users[0]!.id : options.userId;
  const claims: Record<string, unknown> = {
    aud: options.audience ?? 'https://graph.microsoft.com',
    iss: ISSUER,
    iat: now,
    nbf: now - 5,
    exp: now + (options.expiresIn ?? 3600),
    tid: tenant.id,
    appid: options.appId ?? APP_ID,
    azp: options.appId ?? APP_ID,
    ver: '2.0',
    uti: randomUUID(),
  };
  if (userId) claims.oid = userId;
  if (options.roles) claims.roles = options.roles;
  else
    claims.scp = (
      options.scopes ?? [
        'User.Read',
        'User.ReadBasic.All',
        'Presence.Read.All',
        'Presence.ReadWrite',
        'TeamMember.Read.All',
        'GroupMember.Read.All',
      ]
    ).join(' ');
  return signRs256(claims, options.key === 'forged' ? otherKey : privateKey, 'test-key');
}

export function verify(t: string) {
  return verifyRs256(t, (kid) => (kid === 'test-key' ? publicKey : undefined), {
    audience: 'https://graph.microsoft.com',
    issuer: ISSUER,
    now: seconds(),
  }).claims;
}

export function issueValidationToken(appId: string): string {
  const now = seconds();
  return signRs256(
    {
      aud: appId,
      iss: `https://sts.windows.net/${tenant.id}/`,
      appid: '0bf30f3b-4a52-48df-9a82-234910c4a086',
      appidacr: '2',
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: tenant.id,
      ver: '1.0',
    },
    privateKey,
    'test-key',
    { x5t: 'test-key' },
  );
}
export { publicKey as signingPublicKey };

export async function startGraph(options: Partial<GraphEmulatorOptions> = {}): Promise<GraphEmulator> {
  const graph = new GraphEmulator({ tenant, verifyToken: verify, issueValidationToken, clock, ...options });
  await graph.start();
  return graph;
}

/** What a relay would POST to /subscriptions: rich presence notifications for `ids`, delivered to `receiverUrl`. */
export function presenceSubscription(
  graph: GraphEmulator,
  receiverUrl: string,
  ids: string[],
  options: { clientState: string; certificate: string; certificateId: string; minutes?: number; lifecycle?: boolean },
): Record<string, unknown> {
  return {
    changeType: 'updated',
    notificationUrl: `${receiverUrl}/notify`,
    ...(options.lifecycle ? { lifecycleNotificationUrl: `${receiverUrl}/lifecycle` } : {}),
    resource: `/communications/presences?$filter=id in (${ids.map((id) => `'${id}'`).join(',')})`,
    expirationDateTime: new Date(graph.clock.now() + (options.minutes ?? 55) * 60_000).toISOString(),
    clientState: options.clientState,
    includeResourceData: true,
    encryptionCertificate: options.certificate,
    encryptionCertificateId: options.certificateId,
  };
}

export async function call(
  graph: GraphEmulator,
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = token(),
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${graph.url}${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, data: data as any };
}

/** A notification receiver: answers validation, records what arrives, answers with what `reply` says. */
export class Receiver {
  readonly received: Array<{ url: string; body: any; at: number }> = [];
  reply: (req: IncomingMessage, body: string) => { status: number; delayMs?: number; text?: string } = () => ({
    status: 202,
  });
  /** How the handshake is answered: the token as plain text, another text, or the token as HTML or untyped. */
  validation: 'echo' | 'wrong' | 'html' | 'untyped' = 'echo';
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const validationToken = url.searchParams.get('validationToken');
    if (validationToken !== null) {
      if (this.validation === 'html') res.setHeader('content-type', 'text/html');
      else if (this.validation !== 'untyped') res.setHeader('content-type', 'text/plain');
      res.writeHead(200);
      res.end(this.validation === 'wrong' ? 'nope' : validationToken);
      return;
    }
    this.received.push({ url: url.pathname, body: text ? JSON.parse(text) : null, at: Date.now() });
    const answer = this.reply(req, text);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (!res.destroyed) {
      res.writeHead(answer.status);
      res.end(answer.text ?? '');
    }
  }

  async waitFor(count: number, timeoutMs = 5000): Promise<void> {
    await until(() => this.received.length >= count, `${count} deliveries`, timeoutMs);
  }
}
