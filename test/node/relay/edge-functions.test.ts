// The Functions host's edge, called as the Functions host calls its handlers: the subscription handshake answered
// only on POST and short, with `nosniff`; cross-origin calls only from the origins configured; bodies too large
// answered 413.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { createHandlers } from '../../../relay/functions/src/handlers.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';

const { HttpRequest } = functions;
let cloud: Emulators;
let certificate: CertificateAndKey;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'edge-functions', userCount: 5, teamSizes: [5] } });
  certificate = await makeCertificate('edge-functions');
});
after(() => cloud.stop());

const handlersWith = (allowedOrigins?: string[]) =>
  createHandlers(
    new Relay({
      ...localRelayOptions(cloud, certificate, 'edge-functions-secret'),
      ...(allowedOrigins ? { allowedOrigins } : {}),
    }),
  );
const token = (userId: string) =>
  cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });
const request = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new HttpRequest({
    method: init.method ?? 'POST',
    url,
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
  });
const header = (reply: { headers?: unknown }, name: string) =>
  (reply.headers as Record<string, string> | undefined)?.[name];

test('the handshake: answered on POST with nosniff; not on GET, nor when too long', async () => {
  const handlers = handlersWith();
  for (const route of ['notifications', 'lifecycle'] as const) {
    const ok = await handlers[route](
      request(`http://func/api/${route}?validationToken=${encodeURIComponent('Validation: 42')}`),
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'Validation: 42');
    assert.equal(header(ok, 'x-content-type-options'), 'nosniff');
    const get = await handlers[route](
      request(`http://func/api/${route}?validationToken=${encodeURIComponent('<b>hi</b>')}`, { method: 'GET' }),
    );
    assert.equal(get.status, 405);
    assert.doesNotMatch(String(get.body ?? ''), /<b>/);
    const long = await handlers[route](request(`http://func/api/${route}?validationToken=${'a'.repeat(2000)}`));
    assert.equal(long.status, 400);
  }
});

test('CORS: no origin allowed by default; with origins configured, only those', async () => {
  const user = cloud.tenant.users[0]!.id;
  const preflight = (origin: string) =>
    request('http://func/api/negotiate', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
  const closed = handlersWith();
  assert.equal(
    header(await closed.negotiate(preflight('https://evil.example')), 'access-control-allow-origin'),
    undefined,
  );
  const open = handlersWith(['https://intranet.contoso.example']);
  const allowed = await open.negotiate(preflight('https://intranet.contoso.example'));
  assert.equal(header(allowed, 'access-control-allow-origin'), 'https://intranet.contoso.example');
  assert.equal(header(allowed, 'access-control-allow-credentials'), 'true');
  assert.equal(
    header(await open.negotiate(preflight('https://evil.example')), 'access-control-allow-origin'),
    undefined,
  );
  const call = await open.watch(
    request('http://func/api/watch', {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${token(user)}` },
      body: JSON.stringify({ ids: [] }),
    }),
  );
  assert.equal(call.status, 200);
  assert.equal(header(call, 'access-control-allow-origin'), undefined);
});

test('a body over the limit is answered 413', async () => {
  const handlers = handlersWith();
  const huge = JSON.stringify({ ids: [], padding: 'x'.repeat(5 * 1024 * 1024) });
  const user = cloud.tenant.users[0]!.id;
  assert.equal(
    (
      await handlers.watch(
        request('http://func/api/watch', { headers: { authorization: `Bearer ${token(user)}` }, body: huge }),
      )
    ).status,
    413,
  );
  assert.equal((await handlers.notifications(request('http://func/api/notifications', { body: huge }))).status, 413);
});

test('a notification body that is not a change notification collection is refused with 400 and a reason', async () => {
  const handlers = handlersWith();
  for (const route of ['notifications', 'lifecycle'] as const) {
    for (const body of ['', '{nope', 'null', '[]', '5', '{}', '{"value":{}}', '{"__proto__":{"value":[]}}']) {
      const reply = await handlers[route](request(`http://func/api/${route}`, { body }));
      assert.equal(reply.status, 400, `${route} ${body}`);
      assert.match(String(reply.body), /\w+/, `${route} ${body}`);
      assert.match(header(reply, 'content-type') ?? '', /^text\/plain/);
    }
    const empty = await handlers[route](request(`http://func/api/${route}`, { body: '{"value":[]}' }));
    assert.equal(empty.status, 202, route);
  }
});
