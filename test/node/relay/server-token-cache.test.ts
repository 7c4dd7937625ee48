// The relay signs one token per SignalR Service URL and reuses it, not one per call: the service takes it as long as
// it has not expired, so a token close to its expiry is never handed out again, and the cache stays bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from '../../../common/jwt.js';
import { ServerTokenCache } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';

test('a token is reused for its URL until shortly before it expires, then a new one is signed', () => {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const cache = new ServerTokenCache('key', { ttlSeconds: 300, renewBeforeSeconds: 60, now: () => now });
  const url = 'https://x.service.signalr.net/api/v1/hubs/presence/users/a';
  const first = cache.for(url);
  assert.equal(cache.for(url), first, 'reused at once');
  now += 239_000;
  assert.equal(cache.for(url), first, 'reused with 61 s left');
  now += 1_000;
  const second = cache.for(url);
  assert.notEqual(second, first, 'with 60 s left, a new token');
  const claims = decodeJwt(second).claims;
  assert.equal(claims.aud, url);
  assert.equal(claims.exp, Math.floor(now / 1000) + 300);
  assert.notEqual(
    cache.for('https://x.service.signalr.net/api/v1/hubs/presence/users/b'),
    second,
    'each URL has its own',
  );
});

test('a clock that jumps past the expiry gets a new token, never the expired one', () => {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const cache = new ServerTokenCache('key', { ttlSeconds: 300, now: () => now });
  const first = cache.for('https://x/api/v1/health');
  now += 3_600_000;
  const again = cache.for('https://x/api/v1/health');
  assert.notEqual(again, first);
  assert.ok(decodeJwt(again).claims.exp! > now / 1000);
});

test('at most maxAudiences tokens are kept, the oldest forgotten first', () => {
  const cache = new ServerTokenCache('key', { maxAudiences: 3 });
  for (let i = 0; i < 10; i++) cache.for(`https://x/api/v1/hubs/h/users/${i}`);
  assert.equal(cache.size, 3);
});

test('SignalR Service takes a reused token on every call, and refuses it once expired', async () => {
  const service = new SignalRServiceEmulator();
  await service.start();
  try {
    // Signed 250 s ago with 300 s to live: 50 s left.
    let now = Date.now() - 250_000;
    const cache = new ServerTokenCache(service.accessKey, { ttlSeconds: 300, renewBeforeSeconds: 60, now: () => now });
    const url = `${service.url}/api/v1/hubs/presence/users/someone`;
    const post = (token: string) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"target":"presence","arguments":[[]]}',
      }).then((r) => r.status);
    const old = cache.for(url);
    assert.deepEqual(
      [await post(old), await post(cache.for(url)), await post(cache.for(url))],
      [202, 202, 202],
      'reused, and taken each time',
    );
    now = Date.now();
    const renewed = cache.for(url);
    assert.notEqual(renewed, old, 'with less than 60 s left, not handed out again');
    assert.equal(await post(renewed), 202);
    // A token kept past its expiry is refused: what the cache never hands out.
    const expired = new ServerTokenCache(service.accessKey, { ttlSeconds: 300, now: () => Date.now() - 301_000 }).for(
      url,
    );
    assert.equal(await post(expired), 401);
  } finally {
    await service.stop();
  }
});
