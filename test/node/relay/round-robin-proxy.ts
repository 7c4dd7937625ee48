// A small round-robin HTTP proxy in front of several relay instances, as a load balancer would be: each request
// (a page's negotiate or watch, a Graph delivery) goes to the next instance; one that refuses the connection (killed)
// is skipped and the request goes to the one after. Records which instance each Graph delivery went to.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface RoundRobinProxy {
  readonly url: string;
  /** The instances' base URLs (`http://127.0.0.1:port`), in turn. */
  targets: string[];
  /** Each notification collection forwarded: to which instance, and the status it answered. */
  readonly deliveries: Array<{ target: string; status: number }>;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(
  target: string,
  req: IncomingMessage,
  payload: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: new URL(target).host, 'content-length': String(payload.length) };
    const out = request(`${target}${req.url}`, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(payload);
  });
}

export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const deliveries: RoundRobinProxy['deliveries'] = [];
  const proxy = {
    url: '',
    targets,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      // Each instance in turn; one that cannot be reached is skipped.
      for (let tries = 0; tries < proxy.targets.length; tries++) {
        const target = proxy.targets[next++ % proxy.targets.length]!;
        try {
          const reply = await forward(target, req, payload);
          if (req.url?.startsWith('/api/notifications') && !req.url.includes('validationToken'))
            deliveries.push({ target, status: reply.status });
          res.writeHead(reply.status, reply.headers).end(reply.body);
          return;
        } catch {
          // Refused or reset: the next instance.
        }
      }
      res.writeHead(502).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}
