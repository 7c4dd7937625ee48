// The relay's HTTP client against a small local server: status, headers, JSON or text, Retry-After, and a server that
// never answers, given up with the caller's message.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { httpCall } from '../../../relay/src/http-client.js';

let server: Server;
let base = '';
const seen: Array<{ method: string | undefined; url: string | undefined; body: string; type: string | undefined }> = [];

before(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method, url: req.url, body, type: req.headers['content-type'] });
    if (req.url === '/json')
      return void res.writeHead(200, { 'content-type': 'application/json', 'x-extra': 'yes' }).end('{"value":[1,2]}');
    if (req.url === '/text') return void res.writeHead(502).end('<html>Bad gateway</html>');
    if (req.url === '/empty') return void res.writeHead(204).end();
    if (req.url === '/throttled')
      return void res.writeHead(429, { 'retry-after': '3' }).end('{"error":{"code":"TooManyRequests"}}');
    if (req.url === '/later')
      return void res.writeHead(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end();
    if (req.url === '/silent') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = { timeoutMs: 5_000, timeoutMessage: 'the test server timed out' };

test('a JSON answer comes back parsed, with its status and headers', async () => {
  const reply = await httpCall(`${base}/json`, call);
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { value: [1, 2] });
  assert.equal(reply.text, '{"value":[1,2]}');
  assert.equal(reply.headers['x-extra'], 'yes');
  assert.equal(reply.retryAfterMs, undefined);
});

test('an answer that is not JSON comes back as its text; an empty one as null', async () => {
  const text = await httpCall(`${base}/text`, call);
  assert.equal(text.status, 502);
  assert.equal(text.body, '<html>Bad gateway</html>');
  const empty = await httpCall(`${base}/empty`, call);
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
});

test('Retry-After is read in seconds or as a date', async () => {
  const seconds = await httpCall(`${base}/throttled`, call);
  assert.equal(seconds.status, 429);
  assert.equal(seconds.retryAfterMs, 3_000);
  assert.equal(seconds.body.error.code, 'TooManyRequests');
  const date = await httpCall(`${base}/later`, call);
  assert.equal(date.status, 503);
  assert.ok(date.retryAfterMs! > 3_000_000 && date.retryAfterMs! <= 3_600_000, `about an hour: ${date.retryAfterMs}`);
});

test('the method, headers and body are sent as given', async () => {
  await httpCall(`${base}/json`, {
    ...call,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=1&b=2',
  });
  assert.deepEqual(seen.at(-1), {
    method: 'POST',
    url: '/json',
    body: 'a=1&b=2',
    type: 'application/x-www-form-urlencoded',
  });
});

test("a server that never answers is given up with the caller's message", async () => {
  await assert.rejects(httpCall(`${base}/silent`, { timeoutMs: 200, timeoutMessage: 'the test server timed out' }), {
    message: 'the test server timed out',
  });
});

test('a server that cannot be reached is an error, not a reply', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(httpCall(`http://127.0.0.1:${port}/`, call), { code: 'ECONNREFUSED' });
});

test('what must come over TLS is never asked for in the clear', async () => {
  const before = seen.length;
  await assert.rejects(httpCall(`${base}/json`, { ...call, httpsOnly: true }), { code: 'ERR_INVALID_PROTOCOL' });
  assert.equal(seen.length, before, 'nothing reached the server');
});
