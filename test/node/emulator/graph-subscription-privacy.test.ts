// Presence subscriptions belong to the user who made them: another user of the same application can neither see
// nor change them, and the clientState secret is never read back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { call, Receiver, startGraph, tenant, token, presenceSubscription } from './graph-support.js';

let graph: GraphEmulator;
let receiver: Receiver;
let certificate: CertificateAndKey;
// Users 300..399: one subscription per user and application, so each test takes its own.
let nextUser = 300;
const newUser = () => tenant.users[nextUser++]!.id;
const watched = tenant.users.slice(10, 13).map((u) => u.id);
const as = (userId: string, scopes = ['Presence.Read.All']) => token({ userId, scopes });
const inMinutes = (m: number) => new Date(graph.clock.now() + m * 60_000).toISOString();

before(async () => {
  certificate = await makeCertificate('privacy-tests');
  graph = await startGraph({ delivery: { batchWindowMs: 10, validationTimeoutMs: 1_000 } });
  receiver = await new Receiver().start();
});
after(async () => {
  await receiver.stop();
  await graph.stop();
});

async function subscribe(userId: string, overrides: Record<string, unknown> = {}) {
  const created = await call(
    graph,
    'POST',
    '/v1.0/subscriptions',
    {
      ...presenceSubscription(graph, receiver.url, watched, {
        clientState: 'never-read-back',
        certificate: certificate.certBase64,
        certificateId: 'privacy-cert',
        minutes: 50,
      }),
      ...overrides,
    },
    as(userId),
  );
  assert.equal(created.status, 201, JSON.stringify(created.data));
  return created.data as { id: string; clientState: string | null; creatorId: string };
}

describe('another user of the same application', () => {
  test('does not see the subscription in GET /subscriptions; its creator does', async () => {
    const [owner, other] = [newUser(), newUser()];
    const mine = await subscribe(owner);
    const theirs = await subscribe(other);
    const ownerList = await call(graph, 'GET', '/v1.0/subscriptions', undefined, as(owner));
    assert.equal(ownerList.status, 200);
    assert.deepEqual(
      ownerList.data.value.map((s: { id: string }) => s.id),
      [mine.id],
    );
    const otherList = await call(graph, 'GET', '/v1.0/subscriptions', undefined, as(other));
    assert.deepEqual(
      otherList.data.value.map((s: { id: string }) => s.id),
      [theirs.id],
    );
  });

  test('cannot read, renew or delete it: Graph answers as if it did not exist', async () => {
    const [owner, other] = [newUser(), newUser()];
    const { id } = await subscribe(owner);
    const path = `/v1.0/subscriptions/${id}`;
    const read = await call(graph, 'GET', path, undefined, as(other));
    assert.equal(read.status, 404);
    assert.equal(read.data.error.code, 'ResourceNotFound');
    assert.equal((await call(graph, 'PATCH', path, { expirationDateTime: inMinutes(55) }, as(other))).status, 404);
    assert.equal((await call(graph, 'DELETE', path, undefined, as(other))).status, 404);
    // Still there, unchanged, for its creator.
    const mine = await call(graph, 'GET', path, undefined, as(owner));
    assert.equal(mine.status, 200);
    assert.equal(mine.data.creatorId, owner);
    assert.equal((await call(graph, 'DELETE', path, undefined, as(owner))).status, 204);
  });

  test('another application cannot read it either', async () => {
    const { id } = await subscribe(newUser());
    const otherApp = token({
      userId: newUser(),
      appId: 'bbbbbbbb-0000-4000-8000-000000000009',
      scopes: ['Presence.Read.All'],
    });
    assert.equal((await call(graph, 'GET', `/v1.0/subscriptions/${id}`, undefined, otherApp)).status, 403);
    const listed = await call(graph, 'GET', '/v1.0/subscriptions', undefined, otherApp);
    assert.ok(!listed.data.value.some((s: { id: string }) => s.id === id));
  });

  test('the application itself (an app-only token) lists every subscription it made, for any user', async () => {
    const [a, b] = [await subscribe(newUser()), await subscribe(newUser())];
    const listed = await call(
      graph,
      'GET',
      '/v1.0/subscriptions',
      undefined,
      token({ userId: null, roles: ['Presence.Read.All'] }),
    );
    assert.equal(listed.status, 200);
    const ids = listed.data.value.map((s: { id: string }) => s.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id));
  });

  test('with Subscription.Read.All, a user also sees what other applications subscribed for them, and only that', async () => {
    const user = newUser();
    const mine = await subscribe(user);
    const otherAppToken = token({
      userId: user,
      appId: 'cccccccc-0000-4000-8000-00000000000c',
      scopes: ['Presence.Read.All'],
    });
    const elsewhere = await call(
      graph,
      'POST',
      '/v1.0/subscriptions',
      {
        changeType: 'updated',
        notificationUrl: `${receiver.url}/notify`,
        resource: `/communications/presences/${watched[0]}`,
        expirationDateTime: inMinutes(30),
        clientState: 'x',
      },
      otherAppToken,
    );
    assert.equal(elsewhere.status, 201);
    const stranger = await subscribe(newUser());
    const listed = await call(
      graph,
      'GET',
      '/v1.0/subscriptions',
      undefined,
      as(user, ['Presence.Read.All', 'Subscription.Read.All']),
    );
    const ids = listed.data.value.map((s: { id: string }) => s.id).sort();
    assert.deepEqual(ids, [mine.id, elsewhere.data.id].sort());
    assert.ok(!ids.includes(stranger.id));
  });
});

describe('clientState', () => {
  test('is echoed when the subscription is made and renewed, never returned by GET', async () => {
    const user = newUser();
    const created = await subscribe(user);
    assert.equal(created.clientState, 'never-read-back');
    const path = `/v1.0/subscriptions/${created.id}`;
    const renewed = await call(graph, 'PATCH', path, { expirationDateTime: inMinutes(45) }, as(user));
    assert.equal(renewed.status, 200);
    assert.equal(renewed.data.clientState, 'never-read-back');
    const read = await call(graph, 'GET', path, undefined, as(user));
    assert.equal(read.data.clientState, null);
    const listed = await call(graph, 'GET', '/v1.0/subscriptions', undefined, as(user));
    assert.deepEqual(
      listed.data.value.map((s: { clientState: unknown }) => s.clientState),
      [null],
    );
  });

  test('is required for webhook delivery', async () => {
    const res = await call(
      graph,
      'POST',
      '/v1.0/subscriptions',
      {
        changeType: 'updated',
        notificationUrl: `${receiver.url}/notify`,
        resource: `/communications/presences/${watched[0]}`,
        expirationDateTime: inMinutes(30),
      },
      as(newUser()),
    );
    assert.equal(res.status, 400);
    assert.match(res.data.error.message, /clientState/);
  });
});

describe('what a PATCH may change', () => {
  test('only expirationDateTime, notificationUrl and the encryption certificate; one of the first two is required', async () => {
    const user = newUser();
    const { id } = await subscribe(user);
    const path = `/v1.0/subscriptions/${id}`;
    assert.equal(
      (
        await call(
          graph,
          'PATCH',
          path,
          { resource: `/communications/presences/${watched[0]}`, expirationDateTime: inMinutes(40) },
          as(user),
        )
      ).status,
      400,
    );
    assert.equal(
      (await call(graph, 'PATCH', path, { clientState: 'changed', expirationDateTime: inMinutes(40) }, as(user)))
        .status,
      400,
    );
    assert.equal(
      (
        await call(
          graph,
          'PATCH',
          path,
          { encryptionCertificate: certificate.certBase64, encryptionCertificateId: 'again' },
          as(user),
        )
      ).status,
      400,
    );
    assert.equal((await call(graph, 'PATCH', path, {}, as(user))).status, 400);
  });

  test('a new notificationUrl is validated before it is taken', async () => {
    const user = newUser();
    const { id } = await subscribe(user);
    const path = `/v1.0/subscriptions/${id}`;
    const refusing = await new Receiver().start();
    refusing.validation = 'wrong';
    try {
      const moved = await call(graph, 'PATCH', path, { notificationUrl: `${refusing.url}/notify` }, as(user));
      assert.equal(moved.status, 400);
      assert.equal(
        (await call(graph, 'GET', path, undefined, as(user))).data.notificationUrl,
        `${receiver.url}/notify`,
      );
    } finally {
      await refusing.stop();
    }
  });

  test('an app-only token cannot renew a presence subscription', async () => {
    const { id } = await subscribe(newUser());
    const res = await call(
      graph,
      'PATCH',
      `/v1.0/subscriptions/${id}`,
      { expirationDateTime: inMinutes(40) },
      token({ userId: null, roles: ['Presence.Read.All'] }),
    );
    assert.equal(res.status, 403);
  });
});
