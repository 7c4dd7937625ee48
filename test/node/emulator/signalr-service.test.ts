import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  HttpTransportType,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
} from '@microsoft/signalr';
import WebSocket from 'ws';
import { clientAccessToken, parseConnectionString, serverToken } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
import { signHs256 } from '../../../common/jwt.js';
import { FaultInjector } from '../../../emulator/shared/faults.js';

let service: SignalRServiceEmulator;
let app: Server;
let appUrl: string;
const HUB = 'presence';
const open: HubConnection[] = [];

before(async () => {
  service = new SignalRServiceEmulator({ pingIntervalMs: 1_000 });
  await service.start();
  // The app's negotiate, as a relay or Azure Functions would serve it: a redirect to the service with a token.
  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    if (req.method === 'POST' && url.pathname === '/api/negotiate') {
      const userId = url.searchParams.get('user') ?? 'anonymous';
      const { endpoint, accessKey } = parseConnectionString(service.connectionString);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(clientAccessToken({ endpoint, accessKey, hub: HUB, userId })));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api?user=`;
});
after(async () => {
  app.close();
  await service.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.stop()));
});

function connect(user: string, reconnect = false): HubConnection {
  let builder = new HubConnectionBuilder()
    .withUrl(`${appUrl}${encodeURIComponent(user)}`, { transport: HttpTransportType.WebSockets })
    .configureLogging(LogLevel.None);
  if (reconnect) builder = builder.withAutomaticReconnect([0, 100, 200, 400]);
  const connection = builder.build();
  open.push(connection);
  return connection;
}

function nextMessage(connection: HubConnection, target: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const handler = (...args: unknown[]) => {
      connection.off(target, handler);
      resolve(args);
    };
    connection.on(target, handler);
  });
}

async function rest(method: string, path: string, body?: unknown, token?: string | null): Promise<number> {
  const url = `${service.url}${path}`;
  const auth = token === undefined ? serverToken({ accessKey: service.accessKey, audience: url }) : token;
  const res = await fetch(url, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status;
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('client endpoint', () => {
  test("the real client connects through the app's negotiate redirect and receives a broadcast", async () => {
    const c = connect('adele');
    await c.start();
    assert.equal(c.state, HubConnectionState.Connected);
    const got = nextMessage(c, 'presence');
    assert.equal(
      await rest('POST', `/api/v1/hubs/${HUB}`, {
        target: 'presence',
        arguments: [{ id: 'u1', availability: 'Busy' }],
      }),
      202,
    );
    assert.deepEqual(await got, [{ id: 'u1', availability: 'Busy' }]);
    assert.deepEqual(
      service.list().map((x) => x.userId),
      ['adele'],
    );
  });

  test('a bad client token is refused at negotiate, and start() rejects', async () => {
    const bad = signHs256(
      { aud: `${service.url}/client/?hub=${HUB}`, exp: Math.floor(Date.now() / 1000) + 60 },
      'wrong-key',
    );
    const res = await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bad}` },
    });
    assert.equal(res.status, 401);
    const c = new HubConnectionBuilder()
      .withUrl(`${service.url}/client/?hub=${HUB}`, {
        accessTokenFactory: () => bad,
        transport: HttpTransportType.WebSockets,
      })
      .configureLogging(LogLevel.None)
      .build();
    await assert.rejects(c.start());
  });

  test('a token for another hub, or expired, is refused', async () => {
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    const other = clientAccessToken({ endpoint, accessKey, hub: 'other', userId: 'x' }).accessToken;
    const expired = clientAccessToken({ endpoint, accessKey, hub: HUB, userId: 'x', ttlSeconds: -10 }).accessToken;
    for (const token of [other, expired]) {
      const res = await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 401);
    }
  });

  test('a handshake with an unknown protocol gets an error and is closed', async () => {
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    const { accessToken } = clientAccessToken({ endpoint, accessKey, hub: HUB, userId: 'raw' });
    const negotiated = await (
      await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json();
    const ws = new WebSocket(
      `${service.url.replace('http', 'ws')}/client/?hub=${HUB}&id=${negotiated.connectionToken}&access_token=${accessToken}`,
    );
    await new Promise((r) => ws.once('open', r));
    ws.send('{"protocol":"messagepack-v9","version":1}\u001e');
    const reply = await new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    assert.match(reply, /"error"/);
    await new Promise((r) => ws.once('close', r));
  });

  test('a connection token works once', async () => {
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    const { accessToken } = clientAccessToken({ endpoint, accessKey, hub: HUB, userId: 'once' });
    const negotiated = await (
      await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).json();
    const url = `${service.url.replace('http', 'ws')}/client/?hub=${HUB}&id=${negotiated.connectionToken}&access_token=${accessToken}`;
    const first = new WebSocket(url);
    await new Promise((r) => first.once('open', r));
    const second = new WebSocket(url);
    const outcome = await new Promise<string>((r) => {
      second.once('open', () => r('open'));
      second.once('error', () => r('refused'));
    });
    assert.equal(outcome, 'refused');
    first.terminate();
  });
});

describe('REST API', () => {
  test("to a user reaches only that user's connections", async () => {
    const [a, b] = [connect('user-a'), connect('user-b')];
    await Promise.all([a.start(), b.start()]);
    const got: string[] = [];
    a.on('hello', () => got.push('a'));
    b.on('hello', () => got.push('b'));
    assert.equal(await rest('POST', `/api/v1/hubs/${HUB}/users/user-b`, { target: 'hello', arguments: [] }), 202);
    await settle();
    assert.deepEqual(got, ['b']);
  });

  test('a burst of sends to a user and a group: each message arrives once, those sent in turn in their order', async () => {
    const [a, b] = [connect('burst-a'), connect('burst-b')];
    await Promise.all([a.start(), b.start()]);
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/burst/users/burst-b`), 202);
    const got = { a: [] as number[], b: [] as number[] };
    a.on('n', (n: number) => got.a.push(n));
    b.on('n', (n: number) => got.b.push(n));
    // Sent all at once, over several connections to the service: many land while it is busy with the others.
    const burst = Array.from({ length: 40 }, (_, n) => n);
    const statuses = await Promise.all(
      burst.map((n) =>
        rest('POST', `/api/v1/hubs/${HUB}/${n % 2 ? 'groups/burst' : 'users/burst-a'}`, {
          target: 'n',
          arguments: [n],
        }),
      ),
    );
    assert.ok(statuses.every((s) => s === 202));
    // Then one after another: each answered only once it is written, so they arrive in that order.
    for (const n of [100, 101, 102]) {
      assert.equal(await rest('POST', `/api/v1/hubs/${HUB}/users/burst-a`, { target: 'n', arguments: [n] }), 202);
      assert.equal(await rest('POST', `/api/v1/hubs/${HUB}/groups/burst`, { target: 'n', arguments: [n] }), 202);
    }
    await settle();
    const even = burst.filter((n) => n % 2 === 0);
    const odd = burst.filter((n) => n % 2 === 1);
    assert.deepEqual(
      got.a.slice(0, even.length).sort((x, y) => x - y),
      even,
      'every send to the user once',
    );
    assert.deepEqual(
      got.b.slice(0, odd.length).sort((x, y) => x - y),
      odd,
      'every send to the group once',
    );
    assert.deepEqual(got.a.slice(even.length), [100, 101, 102]);
    assert.deepEqual(got.b.slice(odd.length), [100, 101, 102]);
  });

  test('to a group, after adding a user and not after removing them', async () => {
    const c = connect('grouped');
    await c.start();
    const got: unknown[] = [];
    c.on('team', (x) => got.push(x));
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/team-1/users/grouped`), 202);
    await rest('POST', `/api/v1/hubs/${HUB}/groups/team-1`, { target: 'team', arguments: [1] });
    await settle();
    assert.equal(await rest('DELETE', `/api/v1/hubs/${HUB}/groups/team-1/users/grouped`), 202);
    await rest('POST', `/api/v1/hubs/${HUB}/groups/team-1`, { target: 'team', arguments: [2] });
    await settle();
    assert.deepEqual(got, [1]);
  });

  test('to a connection, and connection groups', async () => {
    const c = connect('by-connection');
    await c.start();
    const got = nextMessage(c, 'direct');
    assert.equal(
      await rest('POST', `/api/v1/hubs/${HUB}/connections/${c.connectionId}`, { target: 'direct', arguments: ['x'] }),
      202,
    );
    assert.deepEqual(await got, ['x']);
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/g2/connections/${c.connectionId}`), 200);
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/g2/connections/nope`), 404);
    assert.equal(await rest('HEAD', `/api/v1/hubs/${HUB}/users/by-connection`), 200);
    assert.equal(await rest('HEAD', `/api/v1/hubs/${HUB}/users/nobody`), 404);
  });

  test('refuses calls without a token, with another audience, expired or signed with another key', async () => {
    const path = `/api/v1/hubs/${HUB}`;
    const url = `${service.url}${path}`;
    const body = { target: 't', arguments: [] };
    assert.equal(await rest('POST', path, body, null), 401);
    assert.equal(
      await rest(
        'POST',
        path,
        body,
        serverToken({ accessKey: service.accessKey, audience: `${service.url}/api/v1/hubs/other` }),
      ),
      401,
    );
    assert.equal(
      await rest('POST', path, body, serverToken({ accessKey: service.accessKey, audience: url, ttlSeconds: -5 })),
      401,
    );
    assert.equal(await rest('POST', path, body, serverToken({ accessKey: 'another-key', audience: url })), 401);
    assert.equal(await rest('POST', path, { target: 't' }), 400);
  });
});

describe('reconnection', () => {
  test('after the connection is dropped, the client reconnects and receives again', async () => {
    const c = connect('reconnector', true);
    await c.start();
    const reconnecting = new Promise((r) => c.onreconnecting(r));
    const reconnected = new Promise((r) => c.onreconnected(r));
    assert.equal(service.dropConnections({ userId: 'reconnector' }), 1);
    await reconnecting;
    await reconnected;
    const got = nextMessage(c, 'after');
    await rest('POST', `/api/v1/hubs/${HUB}/users/reconnector`, { target: 'after', arguments: ['back'] });
    assert.deepEqual(await got, ['back']);
  });

  test('a close message with allowReconnect also leads to a reconnection', async () => {
    const c = connect('restarted', true);
    await c.start();
    const reconnected = new Promise((r) => c.onreconnected(r));
    assert.equal(service.closeConnections({ userId: 'restarted', allowReconnect: true }), 1);
    await reconnected;
    assert.equal(c.state, HubConnectionState.Connected);
  });
});

test('the connection string round-trips', () => {
  const parsed = parseConnectionString(service.connectionString);
  assert.equal(parsed.endpoint, service.url);
  assert.equal(parsed.accessKey, service.accessKey);
  assert.equal(
    parseConnectionString('Endpoint=https://x.service.signalr.net;AccessKey=abc;Version=1.0;').endpoint,
    'https://x.service.signalr.net',
  );
  assert.equal(
    parseConnectionString('Endpoint=http://localhost;Port=8888;AccessKey=abc;Version=1.0;').endpoint,
    'http://localhost:8888',
  );
});

describe('more of the service', () => {
  async function negotiateRaw(user: string, hub = HUB): Promise<{ token: string; accessToken: string }> {
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    const { accessToken } = clientAccessToken({ endpoint, accessKey, hub, userId: user });
    const res = await fetch(`${service.url}/client/negotiate?hub=${hub}&negotiateVersion=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(res.status, 200);
    return { token: ((await res.json()) as { connectionToken: string }).connectionToken, accessToken };
  }

  test('group existence, user-in-group checks, and removing a user from all groups', async () => {
    const c = connect('member');
    await c.start();
    assert.equal(await rest('HEAD', `/api/v1/hubs/${HUB}/groups/g-exists`), 404);
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/g-exists/users/member`), 202);
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/g-other/users/member`), 202);
    assert.equal(await rest('HEAD', `/api/v1/hubs/${HUB}/groups/g-exists`), 200);
    assert.equal(await rest('GET', `/api/v1/hubs/${HUB}/groups/g-exists/users/member`), 200);
    assert.equal(await rest('GET', `/api/v1/hubs/${HUB}/groups/g-exists/users/nobody`), 404);
    assert.deepEqual(
      service
        .connections()
        .find((x) => x.userId === 'member')
        ?.groups.sort(),
      ['g-exists', 'g-other'],
    );
    assert.equal(await rest('DELETE', `/api/v1/hubs/${HUB}/users/member/groups`), 200);
    assert.equal(await rest('HEAD', `/api/v1/hubs/${HUB}/groups/g-exists`), 404);
    assert.deepEqual(service.connections().find((x) => x.userId === 'member')?.groups, []);
  });

  test("a user stays in their newest 100 groups, with a ttl or without (the stricter reading); a ttl's end frees a place", async () => {
    const path = (group: string, user: string) => `/api/v1/hubs/${HUB}/groups/${group}/users/${user}`;
    for (let i = 0; i <= 100; i++) assert.equal(await rest('PUT', path(`lasting-${i}`, 'many')), 202);
    assert.equal(await rest('GET', path('lasting-0', 'many')), 404, 'the oldest of 101 overwritten');
    assert.equal(await rest('GET', path('lasting-1', 'many')), 200);
    assert.equal(await rest('GET', path('lasting-100', 'many')), 200);
    assert.equal(await rest('PUT', `${path('timed-0', 'many')}?ttl=600`), 202);
    assert.equal(await rest('GET', path('timed-0', 'many')), 200);
    assert.equal(await rest('GET', path('lasting-1', 'many')), 404, 'a membership with a ttl counts among the 100');
    assert.equal(await rest('GET', path('lasting-2', 'many')), 200);
    assert.equal(await rest('PUT', `${path('brief', 'many')}?ttl=1`), 202);
    assert.equal(await rest('GET', path('brief', 'many')), 200);
    assert.equal(await rest('GET', path('lasting-2', 'many')), 404);
    const ended = Date.now() + 5_000;
    while ((await rest('GET', path('brief', 'many'))) === 200 && Date.now() < ended) await settle();
    assert.equal(await rest('GET', path('brief', 'many')), 404, 'gone once its ttl ended');
    assert.equal(await rest('PUT', path('after-brief', 'many')), 202);
    assert.equal(await rest('GET', path('lasting-3', 'many')), 200, "the ended membership's place is free again");
    assert.equal(await rest('PUT', `${path('brief', 'many')}?ttl=soon`), 400);
  });

  test("a user's group membership applies to the connections they open later", async () => {
    assert.equal(await rest('PUT', `/api/v1/hubs/${HUB}/groups/later/users/latecomer`), 202);
    const c = connect('latecomer');
    await c.start();
    const got = nextMessage(c, 'late');
    assert.equal(await rest('POST', `/api/v1/hubs/${HUB}/groups/later`, { target: 'late', arguments: [true] }), 202);
    assert.deepEqual(await got, [true]);
  });

  test("connection-scoped calls: a send to another hub's connection is accepted and goes nowhere, group calls for unknown ids are 404, DELETE closes the connection", async () => {
    const c = connect('closable');
    await c.start();
    const closed = new Promise((r) => c.onclose(r));
    const got: unknown[] = [];
    c.on('t', (x) => got.push(x));
    assert.equal(await rest('DELETE', `/api/v1/hubs/${HUB}/groups/g/connections/nope`), 404);
    assert.equal(
      await rest('POST', `/api/v1/hubs/otherhub/connections/${c.connectionId}`, {
        target: 't',
        arguments: ['elsewhere'],
      }),
      202,
    );
    assert.equal(await rest('GET', `/api/v1/hubs/${HUB}/connections/${c.connectionId}`), 200);
    await settle();
    assert.deepEqual(got, []);
    assert.equal(await rest('DELETE', `/api/v1/hubs/${HUB}/connections/${c.connectionId}`), 202);
    await closed;
    assert.equal(await rest('GET', `/api/v1/hubs/${HUB}/connections/${c.connectionId}`), 404);
  });

  test('hub names are case-insensitive; the /api/hubs prefix and `excluded` work', async () => {
    const [a, b] = [connect('case-a'), connect('case-b')];
    await Promise.all([a.start(), b.start()]);
    const got: string[] = [];
    a.on('shout', () => got.push('a'));
    b.on('shout', () => got.push('b'));
    assert.equal(
      await rest('POST', `/api/v1/hubs/${HUB.toUpperCase()}/users/case-a`, { target: 'shout', arguments: [] }),
      202,
    );
    assert.equal(
      await rest('POST', `/api/hubs/${HUB}?excluded=${a.connectionId}`, { target: 'shout', arguments: [] }),
      202,
    );
    await settle();
    assert.deepEqual(got.sort(), ['a', 'b']);
  });

  test('client invocations get a completion error in serverless mode', async () => {
    const c = connect('invoker');
    await c.start();
    await assert.rejects(c.invoke('Anything', 1), /serverless/i);
    assert.equal(c.state, HubConnectionState.Connected);
  });

  test('the service pings every pingIntervalMs after the handshake', async () => {
    const { token, accessToken } = await negotiateRaw('pinged');
    const ws = new WebSocket(
      `${service.url.replace('http', 'ws')}/client/?hub=${HUB}&id=${token}&access_token=${accessToken}`,
    );
    await new Promise((r) => ws.once('open', r));
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    ws.send('{"protocol":"json","version":1}\u001e');
    await new Promise((r) => setTimeout(r, 1_200));
    assert.equal(frames[0], '{}\u001e');
    assert.ok(frames.slice(1).join('').includes('{"type":6}\u001e'));
    ws.terminate();
  });

  test('negotiate answers the CORS preflight of a browser with credentials', async () => {
    const origin = 'http://localhost:9999';
    const pre = await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,x-requested-with,x-signalr-user-agent',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), origin);
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /x-signalr-user-agent/);
    const { endpoint, accessKey } = parseConnectionString(service.connectionString);
    const { accessToken } = clientAccessToken({ endpoint, accessKey, hub: HUB, userId: 'cors' });
    const res = await fetch(`${service.url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
      method: 'POST',
      headers: { origin, authorization: `Bearer ${accessToken}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), origin);
  });

  test('injected faults apply to the service', async () => {
    const faults = new FaultInjector();
    const faulty = new SignalRServiceEmulator({ faults });
    await faulty.start();
    try {
      faults.add({ service: 'signalr', kind: 'status', status: 503, times: 1 });
      const url = `${faulty.url}/api/v1/hubs/${HUB}`;
      const call = () =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${serverToken({ accessKey: faulty.accessKey, audience: url })}` },
          body: '{"target":"t","arguments":[]}',
        });
      assert.equal((await call()).status, 503);
      assert.equal((await call()).status, 202);
      assert.ok(faulty.counters.restCalls >= 1);
    } finally {
      await faulty.stop();
    }
  });
});
