// The local cloud met by a stranger's requests: a target that is no URL, to every service and to SignalR's WebSocket
// endpoint. Each is answered 400 in the service's own error shape, and every service keeps serving afterwards.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { after, before, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';

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
