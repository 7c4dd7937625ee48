// The Node server met by a stranger's requests: targets that are no URL, bodies that are not notification
// collections, malformed lifecycle notifications, methods it does not take. Each gets a 4xx with a reason, the
// process keeps running, and a good request afterwards is served as before.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions, relayToken } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
let relay: Relay;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'hostile-http', userCount: 5, teamSizes: [5] } });
  certificate = await makeCertificate('hostile-http');
  relay = new Relay(localRelayOptions(cloud, certificate, 'hostile-http-secret'));
  await relay.start();
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

/** Sends `text` as it is on a new connection and gives what came back before the server closed it. */
function rawRequest(url: string, text: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    // A server that never answers is not waited for beyond a few seconds (the answer is then empty).
    socket.setTimeout(5_000, () => socket.destroy());
    socket.write(text);
  });
}

async function stillServes(): Promise<void> {
  const user = cloud.tenant.users[0]!.id;
  const res = await fetch(`${relay.url}/api/negotiate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relayToken(cloud, user)}` },
  });
  assert.equal(res.status, 200);
}

test('a request target that is no URL is answered 400, and the relay keeps serving', async () => {
  for (const target of ['//[/', '//[/api/watch', 'http://[::1/api/negotiate', '//a:99999/api/notifications']) {
    const answer = await rawRequest(
      relay.url,
      `POST ${target} HTTP/1.1\r\nHost: relay\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 400 /, target);
    assert.match(answer, /"error":"[^"]+"/, target);
  }
  await stillServes();
});

test('a notification body that is not a change notification collection is refused with 400 and a reason', async () => {
  const bodies: Array<string | Blob> = [
    '',
    '{nope',
    new Blob([new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]),
    'null',
    '[]',
    '5',
    '"value"',
    '{}',
    '{"value":{}}',
    '{"value":null}',
    '{"__proto__":{"value":[]}}',
  ];
  for (const route of ['/api/notifications', '/api/lifecycle']) {
    for (const body of bodies) {
      const res = await fetch(`${relay.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 400, `${route} ${String(body)}`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await res.text(), /\w+/, `${route} ${String(body)}`);
    }
    const empty = await fetch(`${relay.url}${route}`, { method: 'POST', body: '{"value":[]}' });
    assert.equal(empty.status, 202, route);
  }
  await stillServes();
});

test('the browser routes take POST only and say so (405 with Allow); a path with no route is 404', async () => {
  for (const route of ['/api/negotiate', '/api/watch']) {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${relay.url}${route}`, { method });
      assert.equal(res.status, 405, `${method} ${route}`);
      assert.match(res.headers.get('allow') ?? '', /POST/, `${method} ${route}`);
      assert.match((await res.json()).error, /POST/);
    }
  }
  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/api/health'],
    ['POST', '/api/nothing'],
    ['GET', '/api/%E0%A4%A'],
  ]) {
    const res = await fetch(`${relay.url}${path}`, { method });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.ok((await res.json()).error, `${method} ${path}`);
  }
  await stillServes();
});

// The headers' own limit is covered in edge-http.test.ts; a body that never ends is held to the request's limit.
test('a client trickling its body is cut off (408), on every route', { timeout: 60_000 }, async () => {
  const slow = new Relay({
    ...localRelayOptions(cloud, certificate, 'hostile-http-secret'),
    http: { headersTimeoutMs: 1000, requestTimeoutMs: 1000 },
  });
  await slow.start();
  try {
    for (const route of ['/api/watch', '/api/notifications', '/api/lifecycle']) {
      const { port } = new URL(slow.url);
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('error', () => undefined);
        const drip = setInterval(() => socket.write(' '), 200);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(text);
        });
        socket.write(`POST ${route} HTTP/1.1\r\nHost: relay\r\nContent-Length: 100000\r\n\r\n{`);
      });
      assert.match(answer, /HTTP\/1\.1 408 /, route);
    }
  } finally {
    await slow.stop();
  }
});
