// The local cloud as clients written elsewhere meet it: tokens from the Entra ID emulator, and Microsoft Graph over
// HTTPS as Graph always is (Microsoft's clients assume https links: the Graph client's PageIterator only follows an
// `@odata.nextLink` that starts with https://). Node is told to trust the emulators' certificate for 127.0.0.1 alone.
import { request } from 'node:https';
import { after, before } from 'node:test';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../../../emulator/entra/clients.js';
import { GraphEmulator } from '../../../emulator/graph/graph.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeServerCertificate } from '../../../emulator/shared/tls.js';

export interface FidelityCloud {
  cloud: Emulators;
  /** Graph over HTTPS, e.g. https://127.0.0.1:41234 (the plain emulator in `cloud` stays on HTTP). */
  graph: GraphEmulator;
  /** A delegated token for `userId` (default the first user) with `scopes`. */
  token(scopes: string[], userId?: string, clientId?: string): string;
  /** An application's own token, with `roles`. */
  appToken(roles: string[]): string;
}

export const CLIENT_ID = 'f1de1177-0000-4000-8000-000000000001';

/** A fetch that reaches https://127.0.0.1 trusting `ca`, through node:https; anything else goes to `fallback`. */
function fetchTrusting(ca: string, fallback: typeof fetch): typeof fetch {
  return async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (url.protocol !== 'https:' || url.hostname !== '127.0.0.1') return fallback(input, init);
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        url,
        { method: req.method, headers: Object.fromEntries(req.headers), ca, signal: req.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
            const status = res.statusCode ?? 0;
            resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
          });
          res.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}

/** Registers hooks that start the local cloud and an HTTPS Graph on its tenant, and stop them after the file. */
export function fidelityCloud(tenant = { seed: 'fidelity', userCount: 320, teamSizes: [5, 250] }): FidelityCloud {
  const stage = {} as FidelityCloud;
  const originalFetch = globalThis.fetch;
  before(async () => {
    const cloud = await startEmulators({ simulatorRate: 0, tenant });
    const tls = await makeServerCertificate();
    const graph = new GraphEmulator({
      tenant: cloud.tenant,
      tls,
      verifyToken: (token) =>
        cloud.entra.verifyAccessToken(token, { audience: [GRAPH_RESOURCE, GRAPH_APP_ID], allowAppTokens: true }),
    });
    await graph.start();
    globalThis.fetch = fetchTrusting(tls.cert, originalFetch);
    Object.assign(stage, {
      cloud,
      graph,
      token: (scopes: string[], userId = cloud.tenant.users[0]!.id, clientId = CLIENT_ID) =>
        cloud.entra.issueToken({ userId, clientId, audience: GRAPH_RESOURCE, scopes }),
      appToken: (roles: string[]) => cloud.entra.issueToken({ clientId: CLIENT_ID, audience: GRAPH_RESOURCE, roles }),
    });
  });
  after(async () => {
    globalThis.fetch = originalFetch;
    await stage.graph?.stop();
    await stage.cloud?.stop();
  });
  return stage;
}
