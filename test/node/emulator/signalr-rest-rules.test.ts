// The SignalR Service emulator follows the service's REST API v1 (docs/swagger/v1.json in Azure/azure-signalr) and
// the name rules of its swagger (docs/swagger/V20220601.json): hub names, group names and user ids the service
// refuses get 400, the documented status codes, the health API, and negotiate without negotiateVersion (version 0).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { clientAccessToken, serverToken } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';

let service: SignalRServiceEmulator;

before(async () => {
  service = new SignalRServiceEmulator();
  await service.start();
});
after(() => service.stop());

/** A REST call to `/api/v1/...`, each path segment encoded, with a token for exactly that URL. */
async function rest(
  method: string,
  segments: string[],
  body?: unknown,
  token: string | null = 'valid',
): Promise<number> {
  const url = `${service.url}/${segments.map(encodeURIComponent).join('/')}`;
  const bearer = token === 'valid' ? serverToken({ accessKey: service.accessKey, audience: url }) : token;
  const res = await fetch(url, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status;
}

const hub = (name: string, ...rest: string[]) => ['api', 'v1', 'hubs', name, ...rest];
const message = { target: 'presence', arguments: [] };

describe('names the service takes', () => {
  test('hub names: a letter, then up to 127 letters, digits or _`,.[]', async () => {
    for (const good of ['presence', 'Presence_2', 'a.b,c`[d]', `h${'x'.repeat(127)}`])
      assert.equal(await rest('POST', hub(good), message), 202, good);
    for (const bad of ['2presence', 'presence-hub', 'presence hub', '_presence', `h${'x'.repeat(128)}`, 'prés'])
      assert.equal(await rest('POST', hub(bad), message), 400, bad);
  });

  test('group names: 1 to 1,024 characters, not only white space', async () => {
    assert.equal(await rest('POST', hub('presence', 'groups', 'team one/€'), message), 202);
    assert.equal(await rest('POST', hub('presence', 'groups', 'g'.repeat(1024)), message), 202);
    assert.equal(await rest('POST', hub('presence', 'groups', 'g'.repeat(1025)), message), 400);
    assert.equal(await rest('POST', hub('presence', 'groups', '   '), message), 400);
    assert.equal(await rest('PUT', hub('presence', 'groups', '\t', 'users', 'someone')), 400);
    assert.equal(await rest('HEAD', hub('presence', 'groups', 'g'.repeat(1025))), 400);
  });

  test('user ids: 1 to 1,024 characters', async () => {
    assert.equal(await rest('POST', hub('presence', 'users', '66825e03-7ef5-42da-9069-724602c31f6b'), message), 202);
    assert.equal(await rest('POST', hub('presence', 'users', 'u'.repeat(1024)), message), 202);
    assert.equal(await rest('POST', hub('presence', 'users', 'u'.repeat(1025)), message), 400);
    assert.equal(await rest('PUT', hub('presence', 'groups', 'team', 'users', 'u'.repeat(1025))), 400);
    assert.equal(await rest('GET', hub('presence', 'users', 'u'.repeat(1025))), 400);
  });

  test('a caller without a valid token is told so before anything about the names', async () => {
    assert.equal(await rest('POST', hub('2presence'), message, null), 401);
  });
});

describe('documented status codes', () => {
  test('group membership of a user: 202 for PUT and DELETE', async () => {
    assert.equal(await rest('PUT', hub('presence', 'groups', 'team', 'users', 'ada')), 202);
    assert.equal(await rest('GET', hub('presence', 'groups', 'team', 'users', 'ada')), 200);
    assert.equal(await rest('DELETE', hub('presence', 'groups', 'team', 'users', 'ada')), 202);
    assert.equal(await rest('GET', hub('presence', 'groups', 'team', 'users', 'ada')), 404);
  });

  test('a send to a connection that does not exist is accepted (202); closing one is accepted (202)', async () => {
    assert.equal(await rest('POST', hub('presence', 'connections', 'no-such-connection'), message), 202);
    assert.equal(await rest('DELETE', hub('presence', 'connections', 'no-such-connection')), 202);
    assert.equal(await rest('HEAD', hub('presence', 'connections', 'no-such-connection')), 404);
  });

  test('a send without target and arguments is a bad request', async () => {
    assert.equal(await rest('POST', hub('presence'), { arguments: [] }), 400);
    assert.equal(await rest('POST', hub('presence', 'users', 'ada'), { target: 'presence' }), 400);
  });

  test('the health API answers 200 to HEAD and GET, with a token as for every REST call', async () => {
    assert.equal(await rest('HEAD', ['api', 'v1', 'health']), 200);
    assert.equal(await rest('GET', ['api', 'v1', 'health']), 200);
    assert.equal(await rest('HEAD', ['api', 'v1', 'health'], undefined, null), 401);
  });
});

describe('negotiate', () => {
  const token = (user: string) =>
    clientAccessToken({ endpoint: service.url, accessKey: service.accessKey, hub: 'presence', userId: user })
      .accessToken;
  const negotiate = async (query: string, user = 'negotiator') => {
    const res = await fetch(`${service.url}/client/negotiate?hub=presence${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token(user)}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        connectionId?: string;
        connectionToken?: string;
        negotiateVersion?: number;
        error?: string;
      },
    };
  };
  /** Opens the WebSocket with this `id` and does the handshake: resolves with the first frame, or `refused`. */
  const open = (id: string, user = 'negotiator') =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(
        `${service.url.replace('http', 'ws')}/client/?hub=presence&id=${encodeURIComponent(id)}&access_token=${token(user)}`,
      );
      ws.once('open', () => ws.send('{"protocol":"json","version":1}\u001e'));
      ws.once('message', (data) => {
        resolve(data.toString());
        ws.terminate();
      });
      ws.once('error', () => resolve('refused'));
    });

  test('without negotiateVersion: version 0, no connectionToken, and the connection id is the id to connect with', async () => {
    const { status, body } = await negotiate('');
    assert.equal(status, 200);
    assert.equal(body.negotiateVersion, 0);
    assert.equal(body.connectionToken, undefined);
    assert.ok(body.connectionId);
    assert.equal(await open(body.connectionId!), '{}\u001e');
  });

  test('with negotiateVersion=1: a connectionToken, which is the id to connect with (not the connection id)', async () => {
    const { body } = await negotiate('&negotiateVersion=1');
    assert.equal(body.negotiateVersion, 1);
    assert.ok(body.connectionToken && body.connectionToken !== body.connectionId);
    assert.equal(await open(body.connectionId!), 'refused');
    const again = await negotiate('&negotiateVersion=1');
    assert.equal(await open(again.body.connectionToken!), '{}\u001e');
  });

  test("a version above the service's gets the service's; a hub name the service refuses is a bad request", async () => {
    assert.equal((await negotiate('&negotiateVersion=5')).body.negotiateVersion, 1);
    const bad = await fetch(`${service.url}/client/negotiate?hub=no-dashes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token('x')}` },
    });
    assert.equal(bad.status, 400);
  });

  test('a service that speaks only version 0 answers every client with version 0', async () => {
    const older = new SignalRServiceEmulator({ maxNegotiateVersion: 0 });
    await older.start();
    try {
      const accessToken = clientAccessToken({
        endpoint: older.url,
        accessKey: older.accessKey,
        hub: 'presence',
        userId: 'x',
      }).accessToken;
      const res = await fetch(`${older.url}/client/negotiate?hub=presence&negotiateVersion=1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const body = (await res.json()) as { negotiateVersion: number; connectionToken?: string };
      assert.equal(body.negotiateVersion, 0);
      assert.equal(body.connectionToken, undefined);
    } finally {
      await older.stop();
    }
  });
});
