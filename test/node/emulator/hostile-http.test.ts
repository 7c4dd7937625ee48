// The local cloud met by a stranger's requests: a target that is no URL, to every service and to SignalR's WebSocket
// endpoint. Each is answered 400 in the service's own error shape, and every service keeps serving afterwards.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { clientAccessToken, serverToken } from '../../../common/signalr-connection.js';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { GraphEmulator } from '../../../emulator/graph/graph.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';

let cloud: Emulators;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'hostile-http', userCount: 5, teamSizes: [5] } });
});
after(() => cloud.stop());

/** Sends `text` as it is on a new connection (TLS for https) and gives what came back before the server closed it. */
function rawRequest(url: string, text: string): Promise<string> {
  const { port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket =
      protocol === 'https:'
        ? connectTls({ port: Number(port), host: '127.0.0.1', rejectUnauthorized: false })
        : connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    // A server that never answers is not waited for beyond a few seconds (the answer is then empty).
    socket.setTimeout(5_000, () => socket.destroy());
    socket.write(text);
  });
}

const BAD_TARGETS = ['//[/', '//[/v1.0/me', 'http://[::1/api/v1/health', '//a:99999/client/negotiate'];

test('a request target that is no URL is answered 400 by Graph, in its error shape', async () => {
  for (const target of BAD_TARGETS) {
    const answer = await rawRequest(cloud.graph.url, `GET ${target} HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 400 /, target);
    assert.match(answer, /\{"error":\{"code":"BadRequest","message":"[^"]+"/, target);
  }
  const res = await fetch(`${cloud.graph.url}/v1.0/me`);
  assert.equal(res.status, 401);
});

test('a request target that is no URL is answered 400 by SignalR Service, on REST and on its WebSocket endpoint', async () => {
  for (const target of BAD_TARGETS) {
    const rest = await rawRequest(
      cloud.signalr.url,
      `POST ${target} HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    assert.match(rest, /^HTTP\/1\.1 400 /, target);
    assert.match(rest, /\{"error":"[^"]+"\}/, target);
    const upgrade = await rawRequest(
      cloud.signalr.url,
      `GET ${target} HTTP/1.1\r\nHost: s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    assert.match(upgrade, /^HTTP\/1\.1 400 /, target);
  }
  const res = await fetch(`${cloud.signalr.url}/api/v1/health`);
  assert.equal(res.status, 401);
});

test('a request target that is no URL is answered 400 by Entra ID, as an OAuth error', async () => {
  for (const target of BAD_TARGETS) {
    const answer = await rawRequest(cloud.entra.url, `GET ${target} HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 400 /, target);
    assert.match(answer, /"error":"invalid_request","error_description":"AADSTS\d+: /, target);
  }
  const answer = await rawRequest(
    cloud.entra.url,
    `GET /${cloud.tenant.id}/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n`,
  );
  assert.match(answer, /^HTTP\/1\.1 200 /);
});

test('a request target that is no URL is answered 400 by the control API', async () => {
  for (const target of BAD_TARGETS) {
    const answer = await rawRequest(
      cloud.control.url,
      `GET ${target} HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 400 /, target);
  }
  const res = await fetch(`${cloud.control.url}/status`);
  assert.equal(res.status, 200);
});

/** A body of `bytes` bytes of JSON: sent with its Content-Length, or streamed in chunks without one. */
function hugeJson(bytes: number): string {
  return JSON.stringify({ ids: [], padding: 'x'.repeat(bytes) });
}

function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += 256 * 1024)));
    },
  });
}

/** The status of a call, or 'closed' when the server closed the connection instead of answering. */
async function statusOf(url: string, init: RequestInit): Promise<{ status: number | 'closed'; body: string }> {
  try {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 'closed', body: '' };
  }
}

const graphToken = (scopes = ['Presence.Read.All']) =>
  cloud.entra.issueToken({
    userId: cloud.tenant.users[0]!.id,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: 'https://graph.microsoft.com',
    scopes,
  });

// https://learn.microsoft.com/graph/errors lists 413 (the request is larger than the limit); Graph's answer to a body
// over 4 MB is "The maximum request length supported is 4MB."
test('Graph refuses a body over 4 MB with 413 in its error shape, and keeps serving', async () => {
  const url = `${cloud.graph.url}/v1.0/communications/getPresencesByUserId`;
  const headers = { authorization: `Bearer ${graphToken()}`, 'content-type': 'application/json' };
  const declared = await statusOf(url, { method: 'POST', headers, body: hugeJson(12 * 1024 * 1024) });
  assert.equal(declared.status, 413);
  assert.match(declared.body, /\{"error":\{"code":"\w+","message":"The maximum request length supported is 4MB\."/);
  const chunked = await statusOf(url, {
    method: 'POST',
    headers,
    body: streamed(hugeJson(12 * 1024 * 1024)),
    duplex: 'half',
  } as RequestInit);
  assert.ok(chunked.status === 413 || chunked.status === 'closed', String(chunked.status));
  const ids = cloud.tenant.users.slice(0, 2).map((u) => u.id);
  const ok = await statusOf(url, { method: 'POST', headers, body: JSON.stringify({ ids }) });
  assert.equal(ok.status, 200);
});

test('Entra ID and SignalR Service refuse a body over their limit with 413 in their error shapes', async () => {
  // Only the headers are sent: the length alone has the request refused.
  const token = await rawRequest(
    cloud.entra.url,
    `POST /${cloud.tenant.id}/oauth2/v2.0/token HTTP/1.1\r\nHost: e\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${12 * 1024 * 1024}\r\n\r\n`,
  );
  assert.match(token, /^HTTP\/1\.1 413 /);
  assert.match(token, /"error":"invalid_request","error_description":"AADSTS\d+: /);
  const sendUrl = `${cloud.signalr.url}/api/v1/hubs/presence`;
  const send = await statusOf(sendUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${serverToken({ accessKey: cloud.signalr.accessKey, audience: sendUrl })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ target: 'presence', arguments: ['x'.repeat(12 * 1024 * 1024)] }),
  });
  assert.equal(send.status, 413);
  assert.match(send.body, /^\{"error":"[^"]+"\}$/);
});

/** Sends headers and the start of a body, then one byte now and then, never the rest; gives the answer at close. */
function trickle(url: string, path: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    const drip = setInterval(() => socket.write(' '), 200);
    socket.on('close', () => {
      clearInterval(drip);
      resolve(answer);
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    );
  });
}

// Node's own limits would hold such a socket for five minutes; the services', set here to a second, cut it off.
test('a client trickling its body is cut off by Graph and SignalR Service (408)', { timeout: 60_000 }, async () => {
  const limits = { headersTimeoutMs: 1000, requestTimeoutMs: 1000 };
  const signalr = new SignalRServiceEmulator(limits);
  await signalr.start();
  const graph = new GraphEmulator({ tenant: cloud.tenant, verifyToken: () => ({}) as never, ...limits });
  await graph.start();
  try {
    // SignalR Service refuses a call without a token before reading its body; the connection is still cut off.
    assert.match(await trickle(signalr.url, '/api/v1/hubs/presence'), /HTTP\/1\.1 408 Request Timeout\r\n[^]*$/);
    assert.match(await trickle(graph.url, '/v1.0/communications/getPresencesByUserId'), /^HTTP\/1\.1 408 /);
  } finally {
    await Promise.all([signalr.stop(), graph.stop()]);
  }
});

// Each Graph API Presence Elements calls with a body documents "Content-Type: application/json. Required." (for
// example https://learn.microsoft.com/graph/api/cloudcommunications-getpresencesbyuserid); Graph's answer to a body
// it cannot read as JSON asks for that header.
test('Graph refuses a JSON body sent without a JSON Content-Type, in its error shape', async () => {
  const url = `${cloud.graph.url}/v1.0/communications/getPresencesByUserId`;
  const body = JSON.stringify({ ids: [cloud.tenant.users[0]!.id] });
  const auth = { authorization: `Bearer ${graphToken()}` };
  for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'text/html; charset=utf-8']) {
    const headers = type === undefined ? auth : { ...auth, 'content-type': type };
    // fetch gives a string body a text/plain type of its own: a Blob without a type sends none.
    const res = await fetch(url, { method: 'POST', headers, body: type === undefined ? new Blob([body]) : body });
    assert.equal(res.status, 400, String(type));
    assert.match(((await res.json()) as any).error.message, /Content-Type/, String(type));
  }
  for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
    const res = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
    assert.equal(res.status, 200, type);
  }
});

// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request: the
// post_logout_redirect_uri "must match one of the redirect URIs registered for your application"; Entra ID does not
// send the browser anywhere else.
test('Entra ID signs out to a registered redirect URI only, never to a stranger’s', async () => {
  const logout = (target: string) =>
    rawRequest(
      cloud.entra.url,
      `GET /${cloud.tenant.id}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(target)} HTTP/1.1\r\n` +
        'Host: e\r\nConnection: close\r\n\r\n',
    );
  for (const target of ['https://evil.example/', 'javascript:alert(1)', '//evil.example', 'not a url']) {
    const answer = await logout(target);
    assert.match(answer, /^HTTP\/1\.1 200 /, target);
    assert.doesNotMatch(answer, /\r\nlocation:/i, target);
  }
  const registered = await logout('http://localhost:8080/signed-out');
  assert.match(registered, /^HTTP\/1\.1 302 /);
  assert.match(registered, /\r\nlocation: http:\/\/localhost:8080\/signed-out\r\n/i);
});

/** A negotiated, open WebSocket to SignalR Service's client endpoint (no handshake sent yet). */
async function hubSocket(userId: string): Promise<WebSocket> {
  const { accessToken } = clientAccessToken({
    endpoint: cloud.signalr.url,
    accessKey: cloud.signalr.accessKey,
    hub: 'presence',
    userId,
  });
  const negotiated = (await (
    await fetch(`${cloud.signalr.url}/client/negotiate?hub=presence&negotiateVersion=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    })
  ).json()) as { connectionToken: string };
  const ws = new WebSocket(
    `${cloud.signalr.url.replace('http', 'ws')}/client/?hub=presence&id=${negotiated.connectionToken}&access_token=${accessToken}`,
  );
  await new Promise((resolve) => ws.once('open', resolve));
  return ws;
}

/** What the service sent on `ws` until it closed it, and the close code. */
function untilClosed(ws: WebSocket): Promise<{ frames: string; code: number }> {
  let frames = '';
  ws.on('message', (data) => (frames += data.toString()));
  ws.on('error', () => undefined);
  return new Promise((resolve) => ws.once('close', (code) => resolve({ frames, code })));
}

test('SignalR Service closes a client connection sending frames that are JSON but not messages, and keeps serving', async () => {
  const RS = '\u001e';
  const cases: Array<[string, string[]]> = [
    ['a handshake that is null', ['null' + RS]],
    ['a handshake that is a number', ['5' + RS]],
    ['a message that is null', ['{"protocol":"json","version":1}' + RS, 'null' + RS]],
    ['a message that is an array', ['{"protocol":"json","version":1}' + RS, '[1,2]' + RS]],
    ['a message that is a string', ['{"protocol":"json","version":1}' + RS, '"x"' + RS]],
  ];
  for (const [label, frames] of cases) {
    const ws = await hubSocket('hostile-frames');
    const closed = untilClosed(ws);
    for (const frame of frames) ws.send(frame);
    const { code } = await closed;
    assert.notEqual(code, 1000, label);
  }
  // Still serving: a well-behaved client completes its handshake.
  const ws = await hubSocket('after-hostile-frames');
  const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
  ws.send('{"protocol":"json","version":1}' + RS);
  assert.equal(await reply, '{}' + RS);
  ws.terminate();
});

test(
  'SignalR Service closes a client connection whose message grows past 4 MB, and keeps serving',
  { timeout: 30_000 },
  async () => {
    const ws = await hubSocket('hostile-large');
    const closed = untilClosed(ws);
    ws.send('{"protocol":"json","version":1}\u001e');
    // One message with no end, a megabyte at a time.
    const part = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 12 && ws.readyState === WebSocket.OPEN; i++) ws.send(part);
    const { code } = await closed;
    assert.equal(code, 1009);
    const single = await hubSocket('hostile-large-single');
    const closedToo = untilClosed(single);
    single.send('{"protocol":"json","version":1}\u001e');
    single.send('x'.repeat(12 * 1024 * 1024));
    assert.equal((await closedToo).code, 1009);
    const after = await hubSocket('after-hostile-large');
    const reply = new Promise<string>((resolve) => after.once('message', (data) => resolve(data.toString())));
    after.send('{"protocol":"json","version":1}\u001e');
    assert.equal(await reply, '{}\u001e');
    after.terminate();
  },
);

// OData (which Graph's query options follow: https://learn.microsoft.com/graph/query-parameters) takes each system
// query option once; a repeated one is refused rather than one copy picked silently.
test('Graph refuses a system query option given twice', async () => {
  const user = cloud.tenant.users[0]!.id;
  const auth = { authorization: `Bearer ${graphToken(['User.ReadBasic.All'])}` };
  for (const query of ['$select=id&$select=displayName', '$top=2&$top=3', '$select=id&$select=id']) {
    const path = query.startsWith('$top') ? '/v1.0/users' : `/v1.0/users/${user}`;
    const res = await fetch(`${cloud.graph.url}${path}?${query}`, { headers: auth });
    assert.equal(res.status, 400, query);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.match(error.message, /specified more than once/, query);
  }
  const once = await fetch(`${cloud.graph.url}/v1.0/users/${user}?$select=id&other=1&other=2`, { headers: auth });
  assert.equal(once.status, 200);
});

// RFC 9110, section 15.5.6: a 405 names the methods the resource takes (Allow); each service says so in its own shape
// (Entra ID's words: "AADSTS900561: The endpoint only accepts POST requests. Received a GET request.").
test('a method a route does not take is answered 405 with Allow, in each service’s error shape', async () => {
  const graph = await fetch(`${cloud.graph.url}/v1.0/communications/getPresencesByUserId`, {
    method: 'GET',
    headers: { authorization: `Bearer ${graphToken()}` },
  });
  assert.equal(graph.status, 405);
  assert.equal(graph.headers.get('allow'), 'POST');
  assert.ok(((await graph.json()) as any).error.message);

  const hubUrl = `${cloud.signalr.url}/api/v1/hubs/presence/groups/g/users/u`;
  const signalr = await fetch(hubUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${serverToken({ accessKey: cloud.signalr.accessKey, audience: hubUrl })}` },
  });
  assert.equal(signalr.status, 405);
  assert.deepEqual(signalr.headers.get('allow')?.split(', ').sort(), ['DELETE', 'GET', 'HEAD', 'PUT']);
  assert.ok(((await signalr.json()) as any).error);

  const entra = await rawRequest(
    cloud.entra.url,
    `GET /${cloud.tenant.id}/oauth2/v2.0/token HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n`,
  );
  assert.match(entra, /^HTTP\/1\.1 405 /);
  assert.match(entra, /\r\nallow: POST\r\n/i);
  assert.match(
    entra,
    /"error":"invalid_request","error_description":"AADSTS900561: The endpoint only accepts POST requests\. Received a GET request\./,
  );
});

test('Graph names the segment whose percent-encoding is broken', async () => {
  const auth = { authorization: `Bearer ${graphToken(['User.ReadBasic.All', 'Presence.Read.All'])}` };
  for (const path of ['/v1.0/users/%E0%A4%A/presence', '/v1.0/users/%zz']) {
    const res = await fetch(`${cloud.graph.url}${path}`, { headers: auth });
    assert.equal(res.status, 400, path);
    const { error } = (await res.json()) as { error: { message: string } };
    assert.equal(error.message, `Resource not found for the segment '${path.split('/')[3]}'.`, path);
  }
});
