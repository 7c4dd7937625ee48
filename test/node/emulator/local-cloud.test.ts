import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { HOSTILE_NAMES } from '../../../emulator/tenant/names.js';
import { nextState } from '../../../emulator/tenant/simulator.js';
import { Random } from '../../../emulator/tenant/random.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';

let cloud: Emulators;
let control: string;
before(async () => {
  cloud = await startEmulators({ simulatorRate: 0 });
  control = cloud.control.url;
});
after(() => cloud.stop());

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${control}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, data: res.status === 204 ? null : await res.json() };
}

async function graphToken(scopes = ['User.Read', 'Presence.Read.All']) {
  return (await api('POST', '/tokens', { userId: cloud.tenant.users[0]!.id, scopes })).data.accessToken as string;
}

async function graph(path: string, token: string, init: RequestInit = {}) {
  return fetch(`${cloud.graph.url}/v1.0${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as object) },
  });
}

describe('the fake tenant', () => {
  test('is the same for the same seed, and another for another seed', () => {
    const a = new Tenant({ seed: 's', userCount: 300, teamSizes: [5, 50] });
    const b = new Tenant({ seed: 's', userCount: 300, teamSizes: [5, 50] });
    const c = new Tenant({ seed: 't', userCount: 300, teamSizes: [5, 50] });
    assert.deepEqual(a.users, b.users);
    assert.deepEqual(a.teams, b.teams);
    assert.equal(a.id, b.id);
    assert.notDeepEqual(
      a.users.map((u) => u.id),
      c.users.map((u) => u.id),
    );
  });

  test('has teams of 5, 50, 650, 2,000 and 10,000, names in many scripts, hostile names, people without photos, status messages and out of office', () => {
    const t = cloud.tenant;
    assert.deepEqual(
      t.teams.map((x) => x.memberIds.length),
      [5, 50, 650, 2_000, 10_000],
    );
    const names = t.users.map((u) => u.displayName);
    for (const script of [
      /\p{Script=Han}/u,
      /\p{Script=Hangul}/u,
      /\p{Script=Arabic}/u,
      /\p{Script=Hebrew}/u,
      /\p{Script=Cyrillic}/u,
      /\p{Script=Greek}/u,
      /\p{Script=Devanagari}/u,
    ]) {
      assert.ok(
        names.some((n) => script.test(n)),
        `a name matching ${script}`,
      );
    }
    assert.ok(HOSTILE_NAMES.filter((h) => names.includes(h)).length >= 6, 'hostile names are present');
    assert.ok(
      names.some((n) => n.length > 100),
      'a very long name',
    );
    const withoutPhoto = t.users.filter((u) => !u.hasPhoto).length;
    assert.ok(withoutPhoto > 1_000 && withoutPhoto < 5_000, `${withoutPhoto} without photos`);
    const presences = t.users.map((u) => t.getPresence(u.id)!);
    assert.ok(presences.filter((p) => p.statusMessage).length > 500);
    assert.ok(presences.filter((p) => p.outOfOfficeSettings.isOutOfOffice).length > 200);
    assert.ok(presences.some((p) => p.statusMessage?.message.contentType === 'html'));
  });

  test('the simulator moves people between plausible states', () => {
    const rng = new Random('transitions');
    for (let i = 0; i < 200; i++) {
      const next = nextState({ availability: 'Busy', activity: 'InAMeeting' }, rng);
      assert.ok(['Available', 'Busy', 'DoNotDisturb'].includes(next.availability), `meeting -> ${next.availability}`);
      const back = nextState({ availability: 'Away', activity: 'OutOfOffice' }, rng);
      assert.notEqual(back.activity, 'InAMeeting', 'nobody goes from out of office straight into a meeting');
    }
  });
});

describe('the control API', () => {
  test('/status names every service', async () => {
    const { data } = await api('GET', '/status');
    assert.equal(data.graph.url, cloud.graph.url);
    assert.match(data.entra.url, /^https:/);
    assert.match(data.signalr.connectionString, /^Endpoint=http:\/\/127\.0\.0\.1;Port=\d+;AccessKey=.+;Version=1\.0;$/);
    assert.equal(data.tenant.teams.length, 5);
  });

  test('setting a presence shows in Graph and raises a new sequence number', async () => {
    const id = cloud.tenant.users[3]!.id;
    const before = cloud.tenant.getPresence(id)!.sequenceNumber;
    const set = await api('POST', `/presence/${id}`, { availability: 'DoNotDisturb', activity: 'Presenting' });
    assert.equal(set.status, 200);
    assert.ok(set.data.sequenceNumber > before);
    const seen = await (await graph(`/users/${id}/presence`, await graphToken())).json();
    assert.deepEqual([seen.availability, seen.activity], ['DoNotDisturb', 'Presenting']);
    assert.equal((await api('POST', `/presence/${id}`, { colour: 'red' })).status, 400);
    assert.equal((await api('POST', '/presence/nobody', { availability: 'Busy' })).status, 404);
  });

  test('the simulator can be paused, stepped and given a rate', async () => {
    assert.equal((await api('POST', '/simulator', { rate: 50, paused: true })).data.paused, true);
    const stepped = await api('POST', '/simulator/step');
    assert.ok(stepped.data.id);
    assert.equal((await api('POST', '/simulator', { rate: -1 })).status, 400);
    await api('POST', '/simulator', { rate: 0, paused: false });
  });

  test('faults: a 429 with Retry-After, once', async () => {
    const token = await graphToken();
    const added = await api('POST', '/faults', {
      service: 'graph',
      path: '/v1.0/me',
      kind: 'status',
      status: 429,
      retryAfter: 7,
      times: 1,
    });
    assert.equal(added.status, 201);
    const first = await graph('/me', token);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.equal((await graph('/me', token)).status, 200);
  });

  test('faults: latency, 503 and dropped sockets', async () => {
    const token = await graphToken();
    await api('POST', '/faults', { service: 'graph', path: '/v1.0/me', kind: 'latency', latencyMs: 300, times: 1 });
    const started = Date.now();
    assert.equal((await graph('/me', token)).status, 200);
    assert.ok(Date.now() - started >= 290);
    await api('POST', '/faults', { service: 'graph', kind: 'status', status: 503, times: 1 });
    assert.equal((await graph('/me', token)).status, 503);
    await api('POST', '/faults', { service: 'graph', kind: 'drop', times: 1 });
    await assert.rejects(graph('/me', token));
    assert.equal((await graph('/me', token)).status, 200);
    assert.equal((await api('POST', '/faults', { kind: 'explode' })).status, 400);
  });

  test('the presence budget can be lowered for a test', async () => {
    await api('POST', '/throttle', { requests: 2, windowSeconds: 30 });
    const token = await graphToken();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph('/me/presence', token)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    await api('POST', '/throttle', { requests: 1500, windowSeconds: 30 });
  });

  test('the clock only moves forward', async () => {
    assert.equal((await api('POST', '/clock/advance', { seconds: 60 })).status, 200);
    assert.equal((await api('POST', '/clock/advance', { seconds: -60 })).status, 400);
  });

  test('tokens minted by the control API are real Entra tokens that Graph checks', async () => {
    const expired = (
      await api('POST', '/tokens', { userId: cloud.tenant.users[0]!.id, scopes: ['User.Read'], lifetimeSeconds: -5 })
    ).data.accessToken;
    assert.equal((await graph('/me', expired)).status, 401);
    const app = (await api('POST', '/tokens', { roles: ['Presence.Read.All'] })).data.accessToken;
    assert.equal((await graph(`/users/${cloud.tenant.users[1]!.id}/presence`, app)).status, 200);
  });
});
