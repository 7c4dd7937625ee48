// What Graph's OData layer says before any data: `@odata.context`, `$select` against the entity type, unknown
// segments and versions, and `/me` without a signed-in user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { call, startGraph, tenant, token } from './graph-support.js';

let graph: GraphEmulator;
before(async () => {
  graph = await startGraph();
});
after(() => graph.stop());

const me = () => tenant.users[0]!;
const other = () => tenant.users[5]!;
const team = () => tenant.teams.find((t) => t.memberIds.length === 50)!;
const metadata = (what: string) => `${graph.url}/v1.0/$metadata#${what}`;
const appOnly = () => token({ userId: null, roles: ['User.Read.All', 'Presence.Read.All', 'ProfilePhoto.Read.All'] });

describe('@odata.context', () => {
  test('users: an entity, an entity with $select, a collection', async () => {
    assert.equal((await call(graph, 'GET', '/v1.0/me')).data['@odata.context'], metadata('users/$entity'));
    assert.equal(
      (await call(graph, 'GET', `/v1.0/users/${other().id}`)).data['@odata.context'],
      metadata('users/$entity'),
    );
    assert.equal(
      (await call(graph, 'GET', `/v1.0/users/${other().id}?$select=displayName,id`)).data['@odata.context'],
      metadata('users(displayName,id)/$entity'),
    );
    assert.equal((await call(graph, 'GET', '/v1.0/users?$top=2')).data['@odata.context'], metadata('users'));
    assert.equal(
      (await call(graph, 'GET', '/v1.0/users?$top=2&$select=id')).data['@odata.context'],
      metadata('users(id)'),
    );
  });
  test('presence: of a user, of the signed-in user, by id under communications, and many at once', async () => {
    assert.equal(
      (await call(graph, 'GET', `/v1.0/users/${other().id}/presence`)).data['@odata.context'],
      metadata(`users('${other().id}')/presence/$entity`),
    );
    assert.equal(
      (await call(graph, 'GET', '/v1.0/me/presence')).data['@odata.context'],
      metadata(`users('${me().id}')/presence/$entity`),
    );
    assert.equal(
      (await call(graph, 'GET', `/v1.0/communications/presences/${other().id}`)).data['@odata.context'],
      metadata('communications/presences/$entity'),
    );
    const many = await call(graph, 'POST', '/v1.0/communications/getPresencesByUserId', { ids: [other().id] });
    assert.equal(many.data['@odata.context'], metadata('Collection(microsoft.graph.presence)'));
    assert.equal(many.data.value[0]['@odata.type'], undefined, 'items of the collection type carry no @odata.type');
  });
  test("members: a team's conversation members, a group's directory objects", async () => {
    assert.equal(
      (await call(graph, 'GET', `/v1.0/teams/${team().id}/members?$top=1`)).data['@odata.context'],
      metadata(`teams('${team().id}')/members`),
    );
    assert.equal(
      (await call(graph, 'GET', `/v1.0/groups/${team().id}/members?$top=1`)).data['@odata.context'],
      metadata('directoryObjects'),
    );
  });
});

describe('$select', () => {
  test('without it, a user has the default property set', async () => {
    const { data } = await call(graph, 'GET', `/v1.0/users/${other().id}`);
    const keys = Object.keys(data)
      .filter((k) => !k.startsWith('@'))
      .sort();
    assert.deepEqual(keys, [
      'businessPhones',
      'displayName',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
    ]);
  });
  test('returns what it names and nothing else, not even the id', async () => {
    const { data } = await call(graph, 'GET', `/v1.0/users/${other().id}?$select=mail`);
    assert.deepEqual(data, { '@odata.context': metadata('users(mail)/$entity'), mail: other().mail });
  });
  test('a property of the type that holds no value here is null; a relationship is left out; names match in any case', async () => {
    const { status, data } = await call(
      graph,
      'GET',
      `/v1.0/users/${other().id}?$select=department,employeeId,manager,DisplayName`,
    );
    assert.equal(status, 200);
    assert.deepEqual(data, {
      '@odata.context': metadata('users(department,employeeId,manager,displayName)/$entity'),
      department: null,
      employeeId: null,
      displayName: other().displayName,
    });
  });
  test("a name the type does not have: 400, as Graph's OData parser says it", async () => {
    const { status, data } = await call(graph, 'GET', `/v1.0/users/${other().id}?$select=displayName,favouriteColour`);
    assert.equal(status, 400);
    assert.equal(data.error.code, 'BadRequest');
    assert.equal(
      data.error.message,
      "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.",
    );
    assert.equal((await call(graph, 'GET', '/v1.0/users?$select=presenceStatus')).status, 400);
    assert.equal((await call(graph, 'GET', `/v1.0/groups/${team().id}/members?$select=shoeSize`)).status, 400);
  });
});

describe('the basic profile', () => {
  const withJobTitle = () => tenant.users.find((u, i) => i > 0 && u.jobTitle)!;
  test("User.ReadBasic.All shows other people's basic profile only: the job title comes back null", async () => {
    const person = withJobTitle();
    const { data } = await call(
      graph,
      'GET',
      `/v1.0/users/${person.id}?$select=displayName,mail,jobTitle,businessPhones`,
      undefined,
      token({ scopes: ['User.ReadBasic.All'] }),
    );
    assert.deepEqual(
      [data.displayName, data.mail, data.jobTitle, data.businessPhones],
      [person.displayName, person.mail, null, []],
    );
    const listed = await call(
      graph,
      'GET',
      `/v1.0/users?$filter=id in ('${person.id}')&$select=jobTitle`,
      undefined,
      token({ scopes: ['User.ReadBasic.All'] }),
    );
    assert.equal(listed.data.value[0].jobTitle, null);
  });
  test("the signed-in user's own profile, and anyone's with User.Read.All or an application role, are whole", async () => {
    const self = tenant.users.find((u) => u.jobTitle)!;
    assert.equal(
      (
        await call(
          graph,
          'GET',
          '/v1.0/me?$select=jobTitle',
          undefined,
          token({ userId: self.id, scopes: ['User.Read'] }),
        )
      ).data.jobTitle,
      self.jobTitle,
    );
    const person = withJobTitle();
    assert.equal(
      (
        await call(
          graph,
          'GET',
          `/v1.0/users/${person.id}?$select=jobTitle`,
          undefined,
          token({ scopes: ['User.Read.All'] }),
        )
      ).data.jobTitle,
      person.jobTitle,
    );
    assert.equal(
      (await call(graph, 'GET', `/v1.0/users/${person.id}?$select=jobTitle`, undefined, appOnly())).data.jobTitle,
      person.jobTitle,
    );
  });
});

describe('paths Graph has no resource for', () => {
  test('an unknown segment anywhere is a 400 naming it', async () => {
    const { status, data } = await call(graph, 'GET', `/v1.0/users/${other().id}/favourites`);
    assert.equal(status, 400);
    assert.equal(data.error.message, "Resource not found for the segment 'favourites'.");
    assert.equal(
      (await call(graph, 'GET', '/v1.0/me/presences')).data.error.message,
      "Resource not found for the segment 'presences'.",
    );
  });
  test('a version other than v1.0: 400 "Invalid version."', async () => {
    const { status, data } = await call(graph, 'GET', '/v2.0/me');
    assert.equal(status, 400);
    assert.equal(data.error.message, 'Invalid version.');
  });
  test('"me" is not a user id: /users/me is 404', async () => {
    assert.equal((await call(graph, 'GET', '/v1.0/users/me')).status, 404);
  });
});

describe('/me needs a signed-in user', () => {
  test("an application's own token on /me, /me/presence, /me/photo/$value: 400 with Graph's message", async () => {
    for (const path of ['/v1.0/me', '/v1.0/me/presence', '/v1.0/me/photo/$value', '/v1.0/me/photos']) {
      const { status, data } = await call(graph, 'GET', path, undefined, appOnly());
      assert.equal(status, 400, path);
      assert.equal(data.error.code, 'BadRequest');
      assert.equal(data.error.message, '/me request is only valid with delegated authentication flow.');
    }
  });
  test('the same token reads a user by id', async () => {
    const { status, data } = await call(graph, 'GET', `/v1.0/users/${other().id}`, undefined, appOnly());
    assert.equal(status, 200);
    assert.equal(data.id, other().id);
  });
});
