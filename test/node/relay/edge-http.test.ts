// The Node server's edge, as a browser, Graph or a stranger meets it: the subscription handshake answered only where
// Graph makes it, cross-origin calls only from origins configured, bodies too large refused as such, and a client
// that never finishes its request headers cut off.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay, type RelayOptions } from '../../../relay/src/relay.js';
import { localRelayOptions, relayToken } from './support.js';

let cloud: Emulators;
let certificate: CertificateAndKey;
const relays: Relay[] = [];

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'edge-http', userCount: 5, teamSizes: [5] } });
  certificate = await makeCertificate('edge-http');
});
after(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await cloud.stop();
});

async function startRelay(extra: Partial<RelayOptions> = {}): Promise<Relay> {
  const relay = new Relay({ ...localRelayOptions(cloud, certificate, 'edge-http-secret'), ...extra });
  relays.push(relay);
  await relay.start();
  return relay;
}

describe('the subscription handshake', () => {
  test('is answered on POST to the notification routes, as plain text that is not sniffed', async () => {
    const relay = await startRelay();
    for (const route of ['/api/notifications', '/api/lifecycle']) {
      const res = await fetch(
        `${relay.url}${route}?validationToken=${encodeURIComponent('Validation: Testing client application reachability for subscription Request-Id: 0d1d9a9c')}`,
        { method: 'POST' },
      );
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(
        await res.text(),
        'Validation: Testing client application reachability for subscription Request-Id: 0d1d9a9c',
      );
    }
  });

  test('is not reflected on other methods, other routes, or when too long', async () => {
    const relay = await startRelay();
    const markup = encodeURIComponent('<script>alert(1)</script>');
    const get = await fetch(`${relay.url}/api/notifications?validationToken=${markup}`);
    assert.equal(get.status, 405);
    assert.doesNotMatch(await get.text(), /<script>/);
    for (const route of ['/api/watch', '/api/negotiate', '/elsewhere']) {
      const res = await fetch(`${relay.url}${route}?validationToken=${markup}`, { method: 'POST' });
      assert.notEqual(res.status, 200, route);
      assert.doesNotMatch(await res.text(), /<script>/, route);
    }
    const long = await fetch(`${relay.url}/api/notifications?validationToken=${'a'.repeat(2000)}`, { method: 'POST' });
    assert.equal(long.status, 400);
    assert.doesNotMatch(await long.text(), /aaaa/);
  });
});

describe('cross-origin calls', () => {
  const preflight = (relay: Relay, origin: string) =>
    fetch(`${relay.url}/api/negotiate`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-requested-with',
      },
    });

  test('with no origins configured, no origin is allowed', async () => {
    const relay = await startRelay();
    const res = await preflight(relay, 'https://evil.example');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  test('with origins configured, those are allowed with credentials, and no other', async () => {
    const relay = await startRelay({ allowedOrigins: ['https://intranet.contoso.example'] });
    const ok = await preflight(relay, 'https://intranet.contoso.example');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://intranet.contoso.example');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /x-requested-with/);
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    const other = await preflight(relay, 'https://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const user = cloud.tenant.users[0]!.id;
    const call = await fetch(`${relay.url}/api/negotiate`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${relayToken(cloud, user)}` },
    });
    assert.equal(call.headers.get('access-control-allow-origin'), null);
  });
});

test('a body over the limit is answered 413', async () => {
  const relay = await startRelay();
  const user = cloud.tenant.users[0]!.id;
  const huge = JSON.stringify({ ids: [], padding: 'x'.repeat(5 * 1024 * 1024) });
  const watch = await fetch(`${relay.url}/api/watch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${relayToken(cloud, user)}`, 'content-type': 'application/json' },
    body: huge,
  });
  assert.equal(watch.status, 413);
  const notifications = await fetch(`${relay.url}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: huge,
  });
  assert.equal(notifications.status, 413);
});

// Node's own limits would hold such a socket for a minute; the relay's, set here to one second, cut it off.
test('a client trickling its request headers is cut off', { timeout: 20_000 }, async () => {
  const relay = await startRelay({ http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
  const { port } = new URL(relay.url);
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('POST /api/watch HTTP/1.1\r\nHost: relay\r\n');
  // One header line now and then, never the blank line that ends them.
  const trickle = setInterval(() => socket.write(`X-Slow-${Date.now()}: 1\r\n`), 200);
  try {
    await closed;
  } finally {
    clearInterval(trickle);
  }
  assert.match(answer, /^HTTP\/1\.1 408/);
});
