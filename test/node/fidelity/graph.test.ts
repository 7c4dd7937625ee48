// The Graph emulator driven by clients Microsoft wrote for the real service: the Graph JS client's PageIterator and
// batch helpers, and the Kiota Graph SDK. Where the emulator answers otherwise than Graph, these clients break the
// way they would break on a real difference, and a test here fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BatchRequestContent as GraphBatchRequest,
  BatchResponseContent as GraphBatchResponse,
  Client,
  GraphError,
  PageIterator as GraphPageIterator,
} from '@microsoft/microsoft-graph-client';
import { createGraphServiceClient, GraphRequestAdapter, type GraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import {
  BatchRequestContent as KiotaBatchRequest,
  PageIterator as KiotaPageIterator,
  type PageCollection,
} from '@microsoft/msgraph-sdk-core';
import { createUserCollectionResponseFromDiscriminatorValue, type User } from '@microsoft/msgraph-sdk/models/index.js';
import {
  createODataErrorFromDiscriminatorValue,
  type ODataError,
} from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import type { RequestInformation } from '@microsoft/kiota-abstractions';
import { fidelityCloud } from './support.js';

const stage = fidelityCloud();
const SCOPES = ['User.Read', 'User.ReadBasic.All', 'Presence.Read.All', 'TeamMember.Read.All', 'GroupMember.Read.All'];

const tenant = () => stage.cloud.tenant;
const team = () => tenant().teams.find((t) => t.memberIds.length === 250)!;
const withPhoto = () => tenant().users.find((u) => (u.photoSize ?? 0) >= 96)!;
const withoutPhoto = () => tenant().users.find((u) => !u.hasPhoto)!;

/** The Graph JS client (v3), its default middleware, the emulator as a custom host. */
function graphClient(token = stage.token(SCOPES)): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl: `${stage.graph.url}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set(['127.0.0.1']),
  });
}

/** The Kiota Graph SDK with a bearer-token provider of ours and the emulator as its base URL. */
function kiota(token = stage.token(SCOPES)): { client: GraphServiceClient; adapter: GraphRequestAdapter } {
  const adapter = new GraphRequestAdapter({
    authenticateRequest: async (request: RequestInformation) => {
      request.headers.add('Authorization', `Bearer ${token}`);
    },
  });
  adapter.baseUrl = `${stage.graph.url}/v1.0`;
  return { client: createGraphServiceClient(adapter), adapter };
}

const rejection = async (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
const isPng = (bytes: Buffer, size: number) =>
  bytes.subarray(1, 4).toString('latin1') === 'PNG' && bytes.readUInt32BE(16) === size;

describe('the Graph JS client', () => {
  test('PageIterator follows @odata.nextLink through every user', async () => {
    const client = graphClient();
    const first = await client.api('/users').top(100).select('id,displayName').get();
    const seen: string[] = [];
    await new GraphPageIterator(client, first, (user: { id: string }) => {
      seen.push(user.id);
      return true;
    }).iterate();
    assert.deepEqual(
      seen,
      tenant().users.map((u) => u.id),
    );
  });

  test("PageIterator through a team's members and through a group's members cast to users", async () => {
    const client = graphClient();
    const teamMembers: string[] = [];
    await new GraphPageIterator(
      client,
      await client.api(`/teams/${team().id}/members`).top(100).get(),
      (m: { userId: string }) => Boolean(teamMembers.push(m.userId)),
    ).iterate();
    assert.deepEqual(teamMembers, team().memberIds);
    const users: string[] = [];
    await new GraphPageIterator(
      client,
      await client.api(`/groups/${team().id}/members/microsoft.graph.user`).top(100).select('id').get(),
      (u: { id: string }) => Boolean(users.push(u.id)),
    ).iterate();
    assert.deepEqual(users, team().memberIds);
  });

  test('BatchRequestContent and BatchResponseContent: JSON, photo bytes, a 404 and a POST, each read by id', async () => {
    const person = withPhoto();
    const content = new GraphBatchRequest([
      { id: 'profile', request: new Request(`${stage.graph.url}/users/${person.id}?$select=displayName,jobTitle`) },
      { id: 'photo', request: new Request(`${stage.graph.url}/users/${person.id}/photos/96x96/$value`) },
      { id: 'none', request: new Request(`${stage.graph.url}/users/${withoutPhoto().id}/photo/$value`) },
      {
        id: 'presence',
        request: new Request(`${stage.graph.url}/communications/getPresencesByUserId`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ids: [person.id] }),
        }),
      },
    ]);
    const reply = new GraphBatchResponse(
      await graphClient()
        .api('/$batch')
        .post(await content.getContent()),
    );
    const profile = reply.getResponseById('profile')!;
    assert.equal(profile.status, 200);
    assert.deepEqual(await profile.json(), {
      '@odata.context': `${stage.graph.url}/v1.0/$metadata#users(displayName,jobTitle)/$entity`,
      displayName: person.displayName,
      jobTitle: person.jobTitle,
    });
    const photo = reply.getResponseById('photo')!;
    assert.equal(photo.headers.get('content-type'), 'image/png');
    assert.ok(isPng(Buffer.from(await photo.text(), 'base64'), 96));
    const none = reply.getResponseById('none')!;
    assert.equal(none.status, 404);
    assert.equal((await none.json()).error.code, 'ImageNotFound');
    const presence = await reply.getResponseById('presence')!.json();
    assert.equal(presence.value[0].availability, tenant().getPresence(person.id)!.availability);
  });

  test("Graph's refusals reach the caller as GraphErrors with Graph's status, code and message", async () => {
    const person = withPhoto();
    const segment = (await rejection(graphClient().api(`/users/${person.id}/favourites`).get())) as GraphError;
    assert.ok(segment instanceof GraphError);
    assert.deepEqual(
      [segment.statusCode, segment.code, segment.message],
      [400, 'BadRequest', "Resource not found for the segment 'favourites'."],
    );
    const select = (await rejection(
      graphClient().api(`/users/${person.id}`).select('displayName,nickname').get(),
    )) as GraphError;
    assert.deepEqual(
      [select.statusCode, select.message],
      [400, "Could not find a property named 'nickname' on type 'microsoft.graph.user'."],
    );
    const me = (await rejection(
      graphClient(stage.appToken(['User.Read.All']))
        .api('/me')
        .get(),
    )) as GraphError;
    assert.deepEqual(
      [me.statusCode, me.message],
      [400, '/me request is only valid with delegated authentication flow.'],
    );
    const photo = (await rejection(graphClient().api(`/users/${withoutPhoto().id}/photo/$value`).get())) as GraphError;
    assert.deepEqual([photo.statusCode, photo.code], [404, 'ImageNotFound']);
  });
});

describe('the Kiota Graph SDK', () => {
  test('a user with $select, a property the emulator keeps no value for, and presence', async () => {
    const { client } = kiota();
    const person = tenant().users[4]!;
    const user = await client.users
      .byUserId(person.id)
      .get({ queryParameters: { select: ['displayName', 'mail', 'department'] } });
    assert.equal(user?.displayName, person.displayName);
    assert.equal(user?.mail, person.mail);
    assert.equal(user?.department ?? null, null);
    assert.equal(user?.id, undefined, '$select returns only what it names');
    const presence = await client.users.byUserId(person.id).presence.get();
    assert.equal(presence?.availability, tenant().getPresence(person.id)!.availability);
    assert.equal(presence?.activity, tenant().getPresence(person.id)!.activity);
  });

  test('its PageIterator walks every user', async () => {
    const { client, adapter } = kiota();
    const first = await client.users.get({ queryParameters: { top: 100, select: ['id'] } });
    assert.ok(first?.value);
    const seen: string[] = [];
    // (The SDK's collection type allows nulls its own PageIterator's type does not: the page is the same object.)
    const iterator = new KiotaPageIterator<User>(
      adapter,
      first as PageCollection<User>,
      (user) => Boolean(seen.push(user.id!)),
      createUserCollectionResponseFromDiscriminatorValue as never,
      {
        XXX: createODataErrorFromDiscriminatorValue,
      },
    );
    await iterator.iterate();
    assert.deepEqual(
      seen,
      tenant().users.map((u) => u.id),
    );
  });

  test('a photo in a size, and no photo as a 404 ODataError', async () => {
    const { client } = kiota();
    const bytes = await client.users.byUserId(withPhoto().id).photos.byProfilePhotoId('48x48').content.get();
    assert.ok(isPng(Buffer.from(bytes!), 48));
    const error = (await rejection(client.users.byUserId(withoutPhoto().id).photo.content.get())) as ODataError;
    assert.equal(error.responseStatusCode, 404);
    assert.equal(error.errorEscaped?.code, 'ImageNotFound');
  });

  test('a property the user type does not have is refused as Graph refuses it', async () => {
    const { client } = kiota();
    const error = (await rejection(
      client.users.byUserId(tenant().users[2]!.id).get({ queryParameters: { select: ['displayName', 'nickname'] } }),
    )) as ODataError;
    assert.equal(error.responseStatusCode, 400);
    assert.equal(
      error.errorEscaped?.message,
      "Could not find a property named 'nickname' on type 'microsoft.graph.user'.",
    );
  });

  test('its batch: the steps it writes (relative, %24-encoded options) are taken, each answered by id with its status', async () => {
    const { client, adapter } = kiota();
    const people = tenant().users.slice(10, 13);
    const batch = new KiotaBatchRequest(adapter, { XXX: createODataErrorFromDiscriminatorValue });
    for (const person of people) {
      batch.addBatchRequest(
        client.users.byUserId(person.id).toGetRequestInformation({ queryParameters: { select: ['displayName'] } }),
        `user-${person.id}`,
      );
      batch.addBatchRequest(
        client.users.byUserId(person.id).presence.toGetRequestInformation(),
        `presence-${person.id}`,
      );
    }
    batch.addBatchRequest(
      client.users.byUserId(people[0]!.id).toGetRequestInformation({ queryParameters: { select: ['nickname'] } }),
      'refused',
    );
    const statuses = await (await batch.postAsync())!.getResponsesStatusCodes();
    // (This preview of the SDK reads a step's body as base64 bytes only, so the JSON bodies Graph sends inside a
    // batch cannot be parsed through it: statuses are what it exposes faithfully.)
    const expected = new Map<string, number>([
      ...people.flatMap(
        (p) =>
          [
            [`user-${p.id}`, 200],
            [`presence-${p.id}`, 200],
          ] as Array<[string, number]>,
      ),
      ['refused', 400],
    ]);
    assert.deepEqual(new Map([...statuses].sort()), new Map([...expected].sort()));
  });
});
