// The control API of the local cloud, for tests and demos: set a user's presence, drive the simulator, inject
// faults, move the clock, drop SignalR connections, end or deauthorise subscriptions, mint tokens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Emulators } from './index.js';
import type { FaultRule } from './shared/faults.js';
import {
  applyCors,
  close,
  HttpError,
  listen,
  makeRequest,
  requestUrl,
  Router,
  sendEmpty,
  sendJson,
  type Request,
} from './shared/http.js';
import { DEMO_SPA_CLIENT_ID } from './entra/clients.js';

export type ControlDeps = Pick<
  Emulators,
  'tenant' | 'entra' | 'graph' | 'signalr' | 'simulator' | 'faults' | 'describe'
>;

export class ControlApi {
  private server: Server | undefined;
  private baseUrl = '';
  private readonly router = new Router();

  constructor(
    private readonly deps: ControlDeps,
    private readonly options: { host?: string; port?: number } = {},
  ) {
    this.routes();
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const host = this.options.host ?? '127.0.0.1';
    this.baseUrl = `http://${host}:${await listen(this.server, this.options.port ?? 0, host)}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private routes(): void {
    const { tenant, entra, graph, signalr, simulator, faults } = this.deps;
    const r = this.router;
    const body = async (req: Request) => {
      const text = await req.text();
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };
    r.on('GET', '/status', (_req, res) => sendJson(res, 200, this.deps.describe()));
    r.on('GET', '/presence/:id', (req, res) => {
      const presence = tenant.getPresence(req.params.id!);
      return presence ? sendJson(res, 200, presence) : sendJson(res, 404, { error: `no user ${req.params.id}` });
    });
    // A user's presence sessions (setPresence), preferred presence and status message, with their expiries, and the
    // Teams clients' state that `POST /presence/:id` and the simulator set.
    r.on('GET', '/presence/:id/sessions', (req, res) => {
      const user = tenant.user(req.params.id!);
      if (!user) return sendJson(res, 404, { error: `no user ${req.params.id}` });
      sendJson(res, 200, graph.sessions.describe(user.id));
    });
    r.on('POST', '/presence/:id', async (req, res) => {
      const user = tenant.user(req.params.id!);
      if (!user) return sendJson(res, 404, { error: `no user ${req.params.id}` });
      const change = await body(req);
      const allowed = ['availability', 'activity', 'statusMessage', 'outOfOfficeSettings', 'workLocation'];
      const unknown = Object.keys(change).filter((k) => !allowed.includes(k));
      if (unknown.length)
        return sendJson(res, 400, { error: `unknown fields ${unknown.join(', ')}; allowed: ${allowed.join(', ')}` });
      sendJson(res, 200, tenant.setPresence(user.id, change));
    });
    r.on('POST', '/simulator', async (req, res) => {
      try {
        simulator.configure(await body(req));
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message });
      }
      sendJson(res, 200, simulator.status);
    });
    r.on('POST', '/simulator/step', (_req, res) => sendJson(res, 200, simulator.step() ?? null));
    r.on('GET', '/faults', (_req, res) => sendJson(res, 200, faults.list()));
    r.on('POST', '/faults', async (req, res) => {
      try {
        sendJson(res, 201, faults.add((await body(req)) as unknown as FaultRule));
      } catch (error) {
        sendJson(res, 400, { error: (error as Error).message });
      }
    });
    r.on('DELETE', '/faults', (_req, res) => {
      faults.clear();
      sendEmpty(res, 204);
    });
    r.on('DELETE', '/faults/:id', (req, res) => {
      faults.clear(Number(req.params.id));
      sendEmpty(res, 204);
    });
    r.on('POST', '/clock/advance', async (req, res) => {
      const { seconds } = await body(req);
      try {
        graph.clock.advance(Number(seconds) * 1000);
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message });
      }
      sendJson(res, 200, { offsetSeconds: graph.clock.offset / 1000, now: new Date(graph.clock.now()).toISOString() });
    });
    r.on('POST', '/throttle', async (req, res) => {
      const { requests, windowSeconds } = await body(req);
      if (!(Number(requests) > 0 && Number(windowSeconds) > 0))
        return sendJson(res, 400, { error: 'requests and windowSeconds must be positive numbers' });
      graph.throttle.budget = { requests: Number(requests), windowSeconds: Number(windowSeconds) };
      graph.throttle.reset();
      sendJson(res, 200, graph.throttle.budget);
    });
    r.on('GET', '/subscriptions', (_req, res) => sendJson(res, 200, graph.subscriptions.describe()));
    r.on('GET', '/deliveries', (_req, res) => sendJson(res, 200, graph.subscriptions.deliveries.slice(-500)));
    r.on('POST', '/subscriptions/:id/reauthorization-required', async (req, res) =>
      sendJson(res, (await graph.subscriptions.requireReauthorization(req.params.id!)) ? 200 : 404, {}),
    );
    r.on('POST', '/subscriptions/:id/remove', async (req, res) =>
      sendJson(res, (await graph.subscriptions.removeByService(req.params.id!)) ? 200 : 404, {}),
    );
    r.on('GET', '/signalr/connections', (_req, res) => sendJson(res, 200, signalr.list()));
    r.on('POST', '/signalr/drop', async (req, res) =>
      sendJson(res, 200, { dropped: signalr.dropConnections(await body(req)) }),
    );
    r.on('POST', '/signalr/close', async (req, res) =>
      sendJson(res, 200, { closed: signalr.closeConnections(await body(req)) }),
    );
    r.on('POST', '/sign-in-as', async (req, res) => {
      const { user } = await body(req);
      const found = typeof user === 'string' ? tenant.user(user) : undefined;
      if (user !== null && !found) return sendJson(res, 404, { error: `no user ${String(user)}` });
      entra.signInAs = found?.id;
      sendJson(res, 200, { signInAs: found ? { id: found.id, displayName: found.displayName } : null });
    });
    // Scopes users must consent to in an interactive sign-in before silent requests get them; setting them forgets
    // the consents given so far. Body `{ "scopes": [...] }` or `?scope=...` (repeatable); no scopes: none needed.
    r.on('GET', '/consent-required', (_req, res) => sendJson(res, 200, { scopes: entra.scopesRequiringConsent }));
    r.on('POST', '/consent-required', async (req, res) => {
      const b = await body(req);
      const scopes = Array.isArray(b.scopes) ? b.scopes : req.url.searchParams.getAll('scope');
      if (!scopes.every((s) => typeof s === 'string')) return sendJson(res, 400, { error: 'scopes must be strings' });
      entra.requireConsent(scopes as string[]);
      sendJson(res, 200, { scopes: entra.scopesRequiringConsent });
    });
    r.on('POST', '/sessions/revoke', async (req, res) => {
      const { user } = await body(req);
      const found = typeof user === 'string' ? tenant.user(user) : undefined;
      if (!found) return sendJson(res, 404, { error: `no user ${String(user)}` });
      sendJson(res, 200, { revoked: entra.revokeSignInSessions(found.id) });
    });
    r.on('POST', '/tokens', async (req, res) => {
      const b = await body(req);
      try {
        const token = entra.issueToken({
          userId: typeof b.userId === 'string' ? b.userId : undefined,
          clientId: typeof b.clientId === 'string' ? b.clientId : DEMO_SPA_CLIENT_ID,
          audience: typeof b.audience === 'string' ? b.audience : 'https://graph.microsoft.com',
          scopes: Array.isArray(b.scopes) ? (b.scopes as string[]) : undefined,
          roles: Array.isArray(b.roles) ? (b.roles as string[]) : undefined,
          lifetimeSeconds: typeof b.lifetimeSeconds === 'number' ? b.lifetimeSeconds : undefined,
        });
        sendJson(res, 200, { accessToken: token });
      } catch (error) {
        sendJson(res, 400, { error: (error as Error).message });
      }
    });
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(raw, res)) return;
    if (!requestUrl(raw, 'http://x')) return sendJson(res, 400, { error: 'the request target is not a URL' });
    const req = makeRequest(raw, this.baseUrl || 'http://x');
    const found = this.router.match(req.method, req.path);
    if (!found || found === 'method')
      return sendJson(res, found ? 405 : 404, { error: `no control endpoint ${req.method} ${req.path}` });
    req.params = found.params;
    try {
      await found.handler(req, res);
    } catch (error) {
      sendJson(res, error instanceof HttpError ? error.status : 400, { error: (error as Error).message });
    }
  }
}
