import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { call, startGraph, tenant, token } from './graph-support.js';

let graph: GraphEmulator;
before(async () => {
  graph = await startGraph({ presenceBudget: { requests: 1_500, windowSeconds: 30 } });
});
after(() => graph.stop());

const me = () => tenant.users[0]!;
const withPhoto = () => tenant.users.find((u) => u.hasPhoto)!;
const withoutPhoto = () => tenant.users.find((u) => !u.hasPhoto)!;

describe('authentication and permissions', () => {
  test('no token: 401 in Graph error format', async () => {
    const { status, data } = await call(graph, 'GET', '/v1.0/me', undefined, null);
    assert.equal(status, 401);
    assert.equal(data.error.code, 'InvalidAuthenticationToken');
    assert.ok(data.error.innerError['request-id']);
  });
  test('a forged token (another key): 401', async () => {
    assert.equal((await call(graph, 'GET', '/v1.0/me', undefined, token({ key: 'forged' }))).status, 401);
  });
  test('an expired token: 401', async () => {
    const { status, data } = await call(graph, 'GET', '/v1.0/me', undefined, token({ expiresIn: -60 }));
    assert.equal(status, 401);
    assert.match(data.error.message, /expired/);
  });
  test('a token for another audience: 401', async () => {
    const { status, data } = await call(
      graph,
      'GET',
      '/v1.0/me',
      undefined,
      token({ audience: 'api://something-else' }),
    );
    assert.equal(status, 401);
    assert.match(data.error.message, /audience/);
  });
  test('a garbage token: 401', async () => {
    assert.equal((await call(graph, 'GET', '/v1.0/me', undefined, 'not.a.jwt')).status, 401);
  });
  test('a missing scope: 403', async () => {
    const { status, data } = await call(
      graph,
      'GET',
      `/v1.0/users/${tenant.users[1]!.id}/presence`,
      undefined,
      token({ scopes: ['User.Read'] }),
    );
    assert.equal(status, 403);
    assert.match(data.error.message, /Presence.Read.All/);
  });
  test('an unknown path: 400 naming the segment, as Graph answers; a wrong method: 405', async () => {
    const unknown = await call(graph, 'GET', '/v1.0/nothing/here');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.data.error.code, 'BadRequest');
    assert.equal(unknown.data.error.message, "Resource not found for the segment 'nothing'.");
    const wrongMethod = await call(graph, 'DELETE', '/v1.0/me');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.data.error.code, 'Request_BadRequest');
  });
});

describe('users and photos', () => {
  test('/me is the signed-in user', async () => {
    const { status, data } = await call(graph, 'GET', '/v1.0/me');
    assert.equal(status, 200);
    assert.equal(data.id, me().id);
    assert.equal(data.displayName, me().displayName);
  });
  test('/users/{id} and /users/{userPrincipalName}, with $select', async () => {
    const user = tenant.users[7]!;
    assert.equal((await call(graph, 'GET', `/v1.0/users/${user.id}`)).data.displayName, user.displayName);
    const byUpn = await call(
      graph,
      'GET',
      `/v1.0/users/${encodeURIComponent(user.userPrincipalName)}?$select=displayName`,
    );
    assert.deepEqual(byUpn.data, {
      '@odata.context': `${graph.url}/v1.0/$metadata#users(displayName)/$entity`,
      displayName: user.displayName,
    });
    assert.equal((await call(graph, 'GET', '/v1.0/users/00000000-0000-4000-8000-000000000000')).status, 404);
  });
  test('users by a list of ids (getByIds, and $filter id in, at most 15)', async () => {
    const ids = tenant.users.slice(0, 30).map((u) => u.id);
    const byIds = await call(graph, 'POST', '/v1.0/directoryObjects/getByIds', { ids, types: ['user'] });
    assert.equal(byIds.data.value.length, 30);
    const filter = ids
      .slice(0, 15)
      .map((id) => `'${id}'`)
      .join(',');
    assert.equal((await call(graph, 'GET', `/v1.0/users?$filter=id in (${filter})`)).data.value.length, 15);
    const tooMany = ids
      .slice(0, 16)
      .map((id) => `'${id}'`)
      .join(',');
    assert.equal((await call(graph, 'GET', `/v1.0/users?$filter=id in (${tooMany})`)).status, 400);
  });
  test('a photo is real PNG bytes; no photo is 404 ImageNotFound', async () => {
    const photo = await call(graph, 'GET', `/v1.0/users/${withPhoto().id}/photo/$value`);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/png');
    assert.deepEqual([...photo.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const none = await call(graph, 'GET', `/v1.0/users/${withoutPhoto().id}/photo/$value`);
    assert.equal(none.status, 404);
    assert.equal(none.data.error.code, 'ImageNotFound');
    assert.equal((await call(graph, 'GET', `/v1.0/users/${withPhoto().id}/photos/48x48/$value`)).status, 200);
  });
});

describe('team and group members', () => {
  const team650 = () => tenant.teams.find((t) => t.memberIds.length === 650)!;
  test('paged with @odata.nextLink, honouring $top', async () => {
    let url: string | undefined = `/v1.0/teams/${team650().id}/members?$top=100`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const { status, data } = await call(graph, 'GET', url.replace(graph.url, ''));
      assert.equal(status, 200);
      assert.ok(data.value.length <= 100);
      seen.push(...data.value.map((m: { userId: string }) => m.userId));
      url = data['@odata.nextLink'];
      pages++;
    }
    assert.equal(pages, 7);
    assert.equal(new Set(seen).size, 650);
    assert.deepEqual(seen, team650().memberIds);
  });
  test('group members are directory objects of their own types (users, then a nested group and a device); $top over 999 is refused', async () => {
    const { data } = await call(graph, 'GET', `/v1.0/groups/${team650().id}/members?$top=999`);
    assert.equal(data.value.length, 652);
    assert.deepEqual(
      data.value.map((m: { id: string }) => m.id),
      [...team650().memberIds, ...team650().otherMembers.map((m) => m.id)],
    );
    assert.deepEqual(
      [...new Set(data.value.map((m: Record<string, string>) => m['@odata.type']))],
      ['#microsoft.graph.user', '#microsoft.graph.group', '#microsoft.graph.device'],
    );
    assert.equal((await call(graph, 'GET', `/v1.0/groups/${team650().id}/members?$top=1000`)).status, 400);
  });
  test('members need TeamMember.Read.All / GroupMember.Read.All', async () => {
    const t = token({ scopes: ['User.Read', 'Presence.Read.All'] });
    assert.equal((await call(graph, 'GET', `/v1.0/teams/${team650().id}/members`, undefined, t)).status, 403);
    assert.equal((await call(graph, 'GET', `/v1.0/groups/${team650().id}/members`, undefined, t)).status, 403);
  });
});

describe('presence', () => {
  test('/me/presence, /users/{id}/presence, /communications/presences/{id}', async () => {
    const other = tenant.users[3]!;
    assert.equal((await call(graph, 'GET', '/v1.0/me/presence')).data.id, me().id);
    for (const path of [`/v1.0/users/${other.id}/presence`, `/v1.0/communications/presences/${other.id}`]) {
      const { status, data } = await call(graph, 'GET', path);
      assert.equal(status, 200);
      assert.equal(data.availability, tenant.getPresence(other.id)!.availability);
      assert.ok(data.sequenceNumber);
    }
  });
  test('getPresencesByUserId takes 650 ids and refuses 651', async () => {
    const ids = tenant.users.slice(0, 651).map((u) => u.id);
    const ok = await call(graph, 'POST', '/v1.0/communications/getPresencesByUserId', { ids: ids.slice(0, 650) });
    assert.equal(ok.status, 200);
    assert.equal(ok.data.value.length, 650);
    const refused = await call(graph, 'POST', '/v1.0/communications/getPresencesByUserId', { ids });
    assert.equal(refused.status, 400);
    assert.match(refused.data.error.message, /650/);
  });
  test("a user sets their own preferred presence and status message; not someone else's", async () => {
    const set = await call(graph, 'POST', '/v1.0/me/presence/setUserPreferredPresence', {
      availability: 'DoNotDisturb',
      activity: 'DoNotDisturb',
      expirationDuration: 'PT1H',
    });
    assert.equal(set.status, 200);
    assert.equal(tenant.getPresence(me().id)!.availability, 'DoNotDisturb');
    const message = await call(graph, 'POST', '/v1.0/me/presence/setStatusMessage', {
      statusMessage: { message: { content: 'Heads down', contentType: 'text' } },
    });
    assert.equal(message.status, 200);
    assert.equal(tenant.getPresence(me().id)!.statusMessage!.message.content, 'Heads down');
    assert.equal((await call(graph, 'POST', '/v1.0/me/presence/clearUserPreferredPresence', {})).status, 200);
    assert.equal(
      (
        await call(graph, 'POST', '/v1.0/me/presence/setUserPreferredPresence', {
          availability: 'Busy',
          activity: 'Presenting',
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await call(graph, 'POST', `/v1.0/users/${tenant.users[2]!.id}/presence/setUserPreferredPresence`, {
          availability: 'Busy',
          activity: 'Busy',
        })
      ).status,
      403,
    );
    assert.equal(
      (
        await call(
          graph,
          'POST',
          '/v1.0/me/presence/setUserPreferredPresence',
          { availability: 'Busy', activity: 'Busy' },
          token({ scopes: ['Presence.Read.All'] }),
        )
      ).status,
      403,
    );
  });
});

describe('$batch', () => {
  test('20 requests, one status each; photos base64; a 404 inside does not fail the batch', async () => {
    const users = [...tenant.users.filter((u) => u.hasPhoto).slice(0, 19), withoutPhoto()];
    const requests = users.map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u.id}/photo/$value` }));
    const { status, data } = await call(graph, 'POST', '/v1.0/$batch', { requests });
    assert.equal(status, 200);
    assert.equal(data.responses.length, 20);
    const byId = new Map(data.responses.map((r: { id: string }) => [r.id, r]));
    const first = byId.get('0') as { status: number; body: string; headers: Record<string, string> };
    assert.equal(first.status, 200);
    assert.equal(first.headers['Content-Type'], 'image/png');
    assert.equal(Buffer.from(first.body, 'base64').subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal((byId.get('19') as { status: number }).status, 404);
  });
  test('21 requests are refused', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    const { status, data } = await call(graph, 'POST', '/v1.0/$batch', { requests });
    assert.equal(status, 400);
    assert.match(data.error.message, /20/);
  });
  test('repeated ids are refused', async () => {
    const requests = [
      { id: '1', method: 'GET', url: '/me' },
      { id: '1', method: 'GET', url: '/me' },
    ];
    assert.equal((await call(graph, 'POST', '/v1.0/$batch', { requests })).status, 400);
  });
});

describe('throttling of presence reads', () => {
  let small: GraphEmulator;
  before(async () => {
    small = await startGraph({ presenceBudget: { requests: 5, windowSeconds: 30 } });
  });
  after(() => small.stop());

  test('past the budget: 429 with Retry-After, visible to a browser through CORS', async () => {
    const t = token({ appId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(`${small.url}/v1.0/me/presence`, {
        headers: { authorization: `Bearer ${t}`, origin: 'http://localhost:8080' },
      });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.match(last!.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.equal(last!.headers.get('access-control-allow-origin'), 'http://localhost:8080');
  });

  test('per application: another app still has its budget', async () => {
    const t = token({ appId: 'aaaaaaaa-0000-4000-8000-000000000002' });
    assert.equal((await call(small, 'GET', '/v1.0/me/presence', undefined, t)).status, 200);
  });

  test('inside a batch, a 429 is per item', async () => {
    const t = token({ appId: 'aaaaaaaa-0000-4000-8000-000000000003' });
    const requests = Array.from({ length: 8 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/users/${tenant.users[i]!.id}/presence`,
    }));
    const { status, data } = await call(small, 'POST', '/v1.0/$batch', { requests }, t);
    assert.equal(status, 200);
    // Answers may come in any order (json-batching.md): matched by id. The requests are evaluated in order.
    const byId = [...data.responses].sort((a: { id: string }, b: { id: string }) => Number(a.id) - Number(b.id));
    assert.deepEqual(
      byId.map((r: { status: number }) => r.status),
      [200, 200, 200, 200, 200, 429, 429, 429],
    );
    assert.ok(Number(byId[7].headers['Retry-After']) >= 1);
  });

  test('a CORS preflight is answered', async () => {
    const res = await fetch(`${small.url}/v1.0/communications/getPresencesByUserId`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });
});
