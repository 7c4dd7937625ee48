// An app server reuses one token per URL: the local SignalR Service takes it again and again while it is valid, and
// refuses it once it has expired, as the service does (it checks `exp` on every call).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signHs256 } from '../../../common/jwt.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';

test('a reused server token is taken until it expires, then refused', async () => {
  const service = new SignalRServiceEmulator();
  await service.start();
  try {
    const url = `${service.url}/api/v1/hubs/presence/users/someone`;
    const post = (token: string) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"target":"presence","arguments":[[]]}',
      }).then((r) => r.status);
    const now = Math.floor(Date.now() / 1000);
    const token = signHs256(
      { aud: url, iat: now - 10, nbf: now - 10, exp: now + 2 },
      Buffer.from(service.accessKey, 'utf8'),
    );
    assert.deepEqual([await post(token), await post(token)], [202, 202]);
    // The same claims signed with another key: refused, though a token with those claims was taken.
    assert.equal(
      await post(
        signHs256({ aud: url, iat: now - 10, nbf: now - 10, exp: now + 2 }, Buffer.from('another key', 'utf8')),
      ),
      401,
    );
    while (Date.now() / 1000 < now + 2) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await post(token), 401);
  } finally {
    await service.stop();
  }
});
