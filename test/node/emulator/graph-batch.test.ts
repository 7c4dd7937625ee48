// $batch as https://learn.microsoft.com/graph/json-batching describes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { call, startGraph, tenant } from './graph-support.js';

let graph: GraphEmulator;
before(async () => {
  graph = await startGraph();
});
after(() => graph.stop());

interface Item {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: any;
}
const batch = async (requests: unknown[]) => call(graph, 'POST', '/v1.0/$batch', { requests });
const byId = (responses: Item[]) => new Map(responses.map((r) => [r.id, r]));

test('answers carry their headers in Graph casing: Content-Type, OData-Version, Cache-Control; no lowercase duplicates', async () => {
  const withPhoto = tenant.users.find((u) => u.hasPhoto)!;
  const { status, data } = await batch([
    { id: 'user', method: 'GET', url: `/users/${withPhoto.id}` },
    { id: 'photo', method: 'GET', url: `/users/${withPhoto.id}/photos/48x48/$value` },
    { id: 'missing', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
  ]);
  assert.equal(status, 200);
  const items = byId(data.responses);
  const user = items.get('user')!;
  assert.match(user.headers['Content-Type']!, /^application\/json;odata\.metadata=minimal/);
  assert.equal(user.headers['OData-Version'], '4.0');
  assert.equal(user.headers['Cache-Control'], 'no-cache');
  assert.equal(user.body.id, withPhoto.id);
  assert.equal(items.get('photo')!.headers['Content-Type'], 'image/png');
  assert.equal(items.get('missing')!.headers['Content-Type'], 'application/json');
  for (const item of data.responses as Item[]) {
    const lowercase = Object.keys(item.headers).filter((name) =>
      /^(content-type|retry-after|cache-control|odata-version)$/.test(name),
    );
    assert.deepEqual(lowercase, [], `item ${item.id}`);
  }
});

test('answers may come in another order than the requests: every id is answered, not in request order', async () => {
  const requests = tenant.users
    .slice(0, 5)
    .map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u.id}?$select=id` }));
  const { data } = await batch(requests);
  const ids = (data.responses as Item[]).map((r) => r.id);
  assert.deepEqual([...ids].sort(), ['0', '1', '2', '3', '4']);
  assert.notDeepEqual(ids, ['0', '1', '2', '3', '4']);
  for (const item of data.responses as Item[]) assert.equal(item.body.id, tenant.users[Number(item.id)]!.id);
});

test('ids are not case-sensitive: "a" and "A" in one batch are refused', async () => {
  const { status, data } = await batch([
    { id: 'a', method: 'GET', url: '/me' },
    { id: 'A', method: 'GET', url: '/me' },
  ]);
  assert.equal(status, 400);
  assert.equal(data.error.code, 'BadRequest');
});

test("a write without a body or without its Content-Type fails the whole batch, in Graph's words", async () => {
  const me = tenant.users[0]!;
  const noHeader = await batch([
    { id: 'w', method: 'POST', url: '/communications/getPresencesByUserId', body: { ids: [me.id] } },
  ]);
  assert.equal(noHeader.status, 400);
  assert.equal(noHeader.data.error.message, 'Write request id : w does not contain Content-Type header or body.');
  const noBody = await batch([
    {
      id: 'w',
      method: 'POST',
      url: '/communications/getPresencesByUserId',
      headers: { 'Content-Type': 'application/json' },
    },
  ]);
  assert.equal(noBody.status, 400);
  const fine = await batch([
    {
      id: 'w',
      method: 'POST',
      url: '/communications/getPresencesByUserId',
      headers: { 'content-type': 'application/json' },
      body: { ids: [me.id] },
    },
  ]);
  assert.equal(fine.status, 200);
  assert.equal(fine.data.responses[0].status, 200);
  assert.equal(fine.data.responses[0].body.value[0].id, me.id);
});

test('dependsOn: a request whose dependency failed answers 424; a dependency not in the batch is refused', async () => {
  const { data } = await batch([
    { id: '1', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
    { id: '2', method: 'GET', url: '/me', dependsOn: ['1'] },
    { id: '3', method: 'GET', url: '/me' },
    { id: '4', method: 'GET', url: '/me', dependsOn: ['3'] },
  ]);
  const items = byId(data.responses);
  assert.equal(items.get('1')!.status, 404);
  assert.equal(items.get('2')!.status, 424);
  assert.equal(items.get('4')!.status, 200);
  assert.equal((await batch([{ id: '1', method: 'GET', url: '/me', dependsOn: ['9'] }])).status, 400);
});

test('a request inside a batch is held to the same rules: an unknown segment is a 400 item, the batch a 200', async () => {
  const { status, data } = await batch([{ id: '1', method: 'GET', url: '/nothing' }]);
  assert.equal(status, 200);
  assert.equal(data.responses[0].status, 400);
  assert.equal(data.responses[0].body.error.message, "Resource not found for the segment 'nothing'.");
});
