// Team members' `$filter` and `$select` (https://learn.microsoft.com/graph/api/team-list-members and the known
// issues on role filters), and OData casts on group members (https://learn.microsoft.com/graph/api/group-list-members).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { call, startGraph, tenant } from './graph-support.js';

let graph: GraphEmulator;
before(async () => {
  graph = await startGraph();
});
after(() => graph.stop());

const team = () => tenant.teams.find((t) => t.memberIds.length === 50)!;
const members = (query: string) => call(graph, 'GET', `/v1.0/teams/${team().id}/members?${query}`);
const filter = (expression: string, extra = '') => members(`$filter=${encodeURIComponent(expression)}${extra}`);

describe('team members: the documented $filter forms', () => {
  test("by the user's object id, behind the aadUserConversationMember cast (example 2)", async () => {
    const user = tenant.user(team().memberIds[7]!)!;
    const { status, data } = await filter(`(microsoft.graph.aadUserConversationMember/userId eq '${user.id}')`);
    assert.equal(status, 200);
    assert.deepEqual(
      data.value.map((m: { userId: string }) => m.userId),
      [user.id],
    );
    assert.equal(data['@odata.count'], 1);
  });
  test('by display name or email, joined with or (example 3)', async () => {
    const a = tenant.user(team().memberIds[3]!)!;
    const b = tenant.user(team().memberIds[9]!)!;
    const { status, data } = await filter(
      `(microsoft.graph.aadUserConversationMember/displayName eq '${a.displayName.replace(/'/g, "''")}' or microsoft.graph.aadUserConversationMember/email eq '${b.mail}')`,
    );
    assert.equal(status, 200);
    const ids = data.value.map((m: { userId: string }) => m.userId);
    assert.ok(ids.includes(a.id) && ids.includes(b.id), JSON.stringify(ids));
  });
  test('by role, with $top: the owners', async () => {
    const { status, data } = await filter("roles/any(r:r eq 'owner')", '&$top=50');
    assert.equal(status, 200);
    assert.ok(data.value.length >= 1);
    assert.ok(data.value.every((m: { roles: string[] }) => m.roles.includes('owner')));
  });
});

describe('team members: what Graph refuses', () => {
  test('userId and email without the cast: they are not properties of conversationMember', async () => {
    const { status, data } = await filter(`userId eq '${team().memberIds[0]}'`);
    assert.equal(status, 400);
    assert.equal(
      data.error.message,
      "Could not find a property named 'userId' on type 'microsoft.graph.conversationMember'.",
    );
    assert.equal((await filter("email eq 'a@b.c'")).status, 400);
  });
  test('a role filter without $top or $skiptoken, or mixed with another filter', async () => {
    assert.equal((await filter("roles/any(r:r eq 'owner')")).status, 400);
    assert.equal((await filter("roles/any(r:r eq 'owner') and displayName eq 'dummy'", '&$top=10')).status, 400);
  });
  test('forms outside the documented ones', async () => {
    for (const expression of [
      "startswith(displayName,'A')",
      "displayName ne 'x'",
      "displayName eq 'unterminated",
      'tenantId eq null',
      '((',
    ]) {
      const { status, data } = await filter(expression);
      assert.equal(status, 400, expression);
      assert.equal(data.error.code, 'BadRequest', expression);
    }
  });
  test('$select is checked against conversationMember too; the cast reaches email', async () => {
    assert.equal((await members('$select=email')).status, 400);
    const { status, data } = await members(
      '$top=2&$select=displayName,microsoft.graph.aadUserConversationMember/email',
    );
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(data.value[0]).sort(), ['@odata.type', 'displayName', 'email']);
  });
});

describe('group members: OData casts', () => {
  test('/members/microsoft.graph.user: users, typed by the collection, paged, with $select', async () => {
    const group = tenant.teams.find((t) => t.memberIds.length === 650)!;
    const first = await call(
      graph,
      'GET',
      `/v1.0/groups/${group.id}/members/microsoft.graph.user?$select=id,displayName`,
    );
    assert.equal(first.status, 200);
    assert.equal(first.data['@odata.context'], `${graph.url}/v1.0/$metadata#users(id,displayName)`);
    assert.equal(first.data.value.length, 100);
    assert.deepEqual(Object.keys(first.data.value[0]), ['id', 'displayName']);
    const next = new URL(first.data['@odata.nextLink']);
    assert.equal(next.pathname, `/v1.0/groups/${group.id}/members/microsoft.graph.user`);
    assert.equal((await call(graph, 'GET', `${next.pathname}${next.search}`)).data.value[0].id, group.memberIds[100]);
  });
  test('a cast keeps the members of that type: people only, the nested group only; an unsupported cast is 400 Request_UnsupportedQuery', async () => {
    const users = await call(graph, 'GET', `/v1.0/groups/${team().id}/members/microsoft.graph.user?$select=id`);
    assert.deepEqual(
      users.data.value.map((m: { id: string }) => m.id),
      team().memberIds,
    );
    const groups = await call(graph, 'GET', `/v1.0/groups/${team().id}/members/microsoft.graph.group`);
    assert.equal(groups.data['@odata.context'], `${graph.url}/v1.0/$metadata#groups`);
    assert.deepEqual(groups.data.value, [
      { id: team().otherMembers[0]!.id, displayName: team().otherMembers[0]!.displayName },
    ]);
    assert.deepEqual(
      (await call(graph, 'GET', `/v1.0/groups/${team().id}/members/microsoft.graph.orgContact`)).data.value,
      [],
    );
    const refused = await call(graph, 'GET', `/v1.0/groups/${team().id}/members/microsoft.graph.message`);
    assert.equal(refused.status, 400);
    assert.equal(refused.data.error.code, 'Request_UnsupportedQuery');
  });
  test('$filter on members without the advanced query parameters: 400 Request_UnsupportedQuery', async () => {
    const { status, data } = await call(
      graph,
      'GET',
      `/v1.0/groups/${team().id}/members?$filter=${encodeURIComponent("startswith(displayName,'a')")}`,
    );
    assert.equal(status, 400);
    assert.equal(
      data.error.message,
      'The specified filter to the reference property query is currently not supported.',
    );
  });
});
