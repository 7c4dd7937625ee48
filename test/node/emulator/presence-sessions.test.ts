// Presence writes on the Graph emulator: sessions aggregated, fading and expiring on the moved clock, the preferred
// presence, status messages, Graph's refusals, and one notification per change of the shown presence.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import type { PresenceRecord } from '../../../emulator/tenant/tenant.js';
import { APP_ID, call, startGraph, tenant, token } from './graph-support.js';

const OTHER_APP = '99999999-8888-4777-8666-555555555555';
const MINUTE = 60_000;
let graph: GraphEmulator;
before(async () => {
  graph = await startGraph();
});
after(() => graph.stop());

let next = 100;
/** A user of its own for each test, signed out of Teams (an Offline Teams client: no session) unless told. */
function freshUser(teams = { availability: 'Offline', activity: 'Offline' }) {
  const user = tenant.users[next++]!;
  tenant.setPresence(user.id, teams);
  const events: PresenceRecord[] = [];
  const listener = (record: PresenceRecord) => record.id === user.id && events.push(record);
  tenant.on('presence', listener);
  after(() => tenant.off('presence', listener));
  return { user, events };
}

const app = (appId = APP_ID) => token({ userId: null, roles: ['Presence.ReadWrite.All'], appId });
const shown = (id: string) => {
  const { availability, activity } = tenant.getPresence(id)!;
  return `${availability}/${activity}`;
};
const advance = (minutes: number) => graph.clock.advance(minutes * MINUTE);

function setPresence(id: string, body: Record<string, unknown>, auth = app()) {
  return call(graph, 'POST', `/v1.0/users/${id}/presence/setPresence`, { sessionId: APP_ID, ...body }, auth);
}
function preferred(id: string, body: Record<string, unknown>) {
  return call(graph, 'POST', `/v1.0/users/${id}/presence/setUserPreferredPresence`, body, app());
}

describe('aggregation', () => {
  test('the preferred presence beats application sessions; clearing it shows them again', async () => {
    const { user } = freshUser();
    assert.equal(
      (await setPresence(user.id, { availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' })).status,
      200,
    );
    assert.equal(shown(user.id), 'Busy/InACall');
    assert.equal((await preferred(user.id, { availability: 'Away', activity: 'Away' })).status, 200);
    assert.equal(shown(user.id), 'Away/Away');
    assert.equal(
      (await call(graph, 'POST', `/v1.0/users/${user.id}/presence/clearUserPreferredPresence`, {}, app())).status,
      200,
    );
    assert.equal(shown(user.id), 'Busy/InACall');
  });

  test('among sessions DoNotDisturb > Busy > Available > Away', async () => {
    const { user } = freshUser();
    const other = app(OTHER_APP);
    await setPresence(user.id, { availability: 'Away', activity: 'Away', expirationDuration: 'PT1H' });
    assert.equal(shown(user.id), 'Away/Away');
    await setPresence(
      user.id,
      { sessionId: OTHER_APP, availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' },
      other,
    );
    assert.equal(shown(user.id), 'Available/Available');
    await setPresence(user.id, { availability: 'Busy', activity: 'InAConferenceCall', expirationDuration: 'PT1H' });
    assert.equal(shown(user.id), 'Busy/InAConferenceCall');
    await setPresence(
      user.id,
      { sessionId: OTHER_APP, availability: 'DoNotDisturb', activity: 'Presenting', expirationDuration: 'PT1H' },
      other,
    );
    assert.equal(shown(user.id), 'DoNotDisturb/Presenting');
    await setPresence(
      user.id,
      { sessionId: OTHER_APP, availability: 'Away', activity: 'Away', expirationDuration: 'PT1H' },
      other,
    );
    assert.equal(shown(user.id), 'Busy/InAConferenceCall');
  });

  test('an Available session fades at 5 and 10 minutes without a keep-alive; a call brings it back', async () => {
    const { user } = freshUser();
    await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    advance(4);
    assert.equal(shown(user.id), 'Available/Available');
    advance(1);
    assert.equal(shown(user.id), 'Available/AvailableInactive');
    advance(5);
    assert.equal(shown(user.id), 'Away/Away');
    await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    assert.equal(shown(user.id), 'Available/Available');
  });

  test('an expired session makes the user Offline (5 minutes by default)', async () => {
    const { user } = freshUser();
    await setPresence(user.id, { availability: 'Busy', activity: 'InACall' });
    advance(4);
    assert.equal(shown(user.id), 'Busy/InACall');
    advance(1);
    assert.equal(shown(user.id), 'Offline/Offline');
  });

  test("an expired session leaves the Teams clients' state", async () => {
    const { user } = freshUser({ availability: 'Available', activity: 'Available' });
    await setPresence(user.id, { availability: 'Busy', activity: 'InACall' });
    assert.equal(shown(user.id), 'Busy/InACall');
    advance(5);
    assert.equal(shown(user.id), 'Available/Available');
  });

  test('an expired preferred presence returns to the sessions’ aggregate', async () => {
    const { user } = freshUser();
    await setPresence(user.id, { availability: 'Busy', activity: 'InACall', expirationDuration: 'PT4H' });
    await preferred(user.id, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT30M' });
    assert.equal(shown(user.id), 'DoNotDisturb/DoNotDisturb');
    advance(30);
    assert.equal(shown(user.id), 'Busy/InACall');
  });

  test('a preferred presence with no session leaves the user Offline', async () => {
    const { user } = freshUser();
    await preferred(user.id, { availability: 'Available', activity: 'Available' });
    assert.equal(shown(user.id), 'Offline/Offline');
  });

  test('clearPresence removes the session; clearing it again is a 404', async () => {
    const { user } = freshUser();
    await setPresence(user.id, { availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
    const clear = () =>
      call(graph, 'POST', `/v1.0/users/${user.id}/presence/clearPresence`, { sessionId: APP_ID }, app());
    assert.equal((await clear()).status, 200);
    assert.equal(shown(user.id), 'Offline/Offline');
    const again = await clear();
    assert.equal(again.status, 404);
    assert.equal(again.data.error.code, 'NotFound');
  });

  test('a status message goes when it expires', async () => {
    const { user, events } = freshUser();
    const expiry = new Date(graph.clock.now() + 10 * MINUTE).toISOString().replace('Z', '');
    const set = await call(
      graph,
      'POST',
      `/v1.0/users/${user.id}/presence/setStatusMessage`,
      {
        statusMessage: {
          message: { content: 'Back soon', contentType: 'text' },
          expiryDateTime: { dateTime: expiry, timeZone: 'UTC' },
        },
      },
      token({ userId: user.id }),
    );
    assert.equal(set.status, 200);
    assert.equal(tenant.getPresence(user.id)!.statusMessage!.message.content, 'Back soon');
    advance(9);
    assert.ok(tenant.getPresence(user.id)!.statusMessage);
    const before = events.length;
    advance(1);
    assert.equal(tenant.getPresence(user.id)!.statusMessage, null);
    assert.equal(events.length, before + 1);
  });

  test('a delegated user sets their own session through /me', async () => {
    const { user } = freshUser();
    const mine = token({ userId: user.id });
    const set = await call(
      graph,
      'POST',
      '/v1.0/me/presence/setPresence',
      { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' },
      mine,
    );
    assert.equal(set.status, 200);
    assert.equal(shown(user.id), 'Busy/InACall');
  });
});

describe('notifications', () => {
  test('one per change of the shown presence, none for a call that changes nothing', async () => {
    const { user, events } = freshUser();
    await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    assert.equal(events.length, 1);
    // A keep-alive changes nothing anyone sees.
    await setPresence(user.id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    assert.equal(events.length, 1);
    advance(5);
    advance(5);
    assert.deepEqual(
      events.map((e) => `${e.availability}/${e.activity}`),
      ['Available/Available', 'Available/AvailableInactive', 'Away/Away'],
    );
    // A preferred presence equal to what shows, and a Teams client change hidden by it, change nothing either.
    await preferred(user.id, { availability: 'Away', activity: 'Away' });
    tenant.setPresence(user.id, { availability: 'Busy', activity: 'InAMeeting' });
    assert.equal(events.length, 3);
    advance(50);
    assert.equal(events.length, 3);
  });
});

describe("Graph's refusals", () => {
  const user = () => tenant.users[90]!;
  async function refused(response: Promise<{ status: number; data: any }>, status: number, code: string) {
    const { status: got, data } = await response;
    assert.equal(got, status, JSON.stringify(data));
    assert.equal(data.error.code, code);
  }

  test('availability/activity combinations outside each table', async () => {
    for (const [availability, activity] of [
      ['Busy', 'Busy'],
      ['Available', 'InACall'],
      ['Offline', 'OffWork'],
      ['BeRightBack', 'BeRightBack'],
      ['Busy', 'InAMeeting'],
    ])
      await refused(setPresence(user().id, { availability, activity }), 400, 'InvalidArgument');
    for (const [availability, activity] of [
      ['Busy', 'InACall'],
      ['DoNotDisturb', 'Presenting'],
      ['Offline', 'Offline'],
      ['Available', 'AvailableInactive'],
    ])
      await refused(preferred(user().id, { availability, activity }), 400, 'InvalidArgument');
  });

  test('durations outside PT5M-PT4H for a session, PT5M-P7D for a preferred presence, or not ISO 8601', async () => {
    for (const expirationDuration of ['PT4M', 'PT4H1M', 'P1D', '1h', 'banana', 'P1M'])
      await refused(
        setPresence(user().id, { availability: 'Available', activity: 'Available', expirationDuration }),
        400,
        'InvalidArgument',
      );
    assert.equal(
      (await setPresence(user().id, { availability: 'Available', activity: 'Available', expirationDuration: 'PT4H' }))
        .status,
      200,
    );
    for (const expirationDuration of ['PT1M', 'P8D', 'soon'])
      await refused(
        preferred(user().id, { availability: 'Busy', activity: 'Busy', expirationDuration }),
        400,
        'InvalidArgument',
      );
  });

  test('a missing sessionId, or one that is not the calling application', async () => {
    const missing = await call(
      graph,
      'POST',
      `/v1.0/users/${user().id}/presence/setPresence`,
      { availability: 'Available', activity: 'Available' },
      app(),
    );
    assert.equal(missing.status, 400);
    assert.equal(missing.data.error.message, '[SessionId]: The SessionId field is required.');
    await refused(
      setPresence(user().id, { sessionId: OTHER_APP, availability: 'Available', activity: 'Available' }),
      400,
      'InvalidArgument',
    );
    await refused(
      call(graph, 'POST', `/v1.0/users/${user().id}/presence/clearPresence`, {}, app()),
      400,
      'InvalidArgument',
    );
  });

  test('status messages: html, an expiry past or unreadable', async () => {
    const post = (statusMessage: unknown) =>
      call(graph, 'POST', `/v1.0/users/${user().id}/presence/setStatusMessage`, { statusMessage }, app());
    await refused(post({ message: { content: '<b>hi</b>', contentType: 'html' } }), 400, 'InvalidArgument');
    await refused(
      post({ message: { content: 'hi' }, expiryDateTime: { dateTime: '2020-01-01T00:00:00', timeZone: 'UTC' } }),
      400,
      'InvalidArgument',
    );
    await refused(
      post({
        message: { content: 'hi' },
        expiryDateTime: { dateTime: '2099-01-01T00:00:00', timeZone: 'Mars/Olympus' },
      }),
      400,
      'InvalidArgument',
    );
    await refused(post({ message: {} }), 400, 'InvalidArgument');
  });

  test('403 without Presence.ReadWrite or Presence.ReadWrite.All, or for someone else; 404 for nobody', async () => {
    const body = { sessionId: APP_ID, availability: 'Available', activity: 'Available' };
    const paths = [
      'setPresence',
      'clearPresence',
      'setUserPreferredPresence',
      'clearUserPreferredPresence',
      'setStatusMessage',
    ];
    for (const action of paths) {
      await refused(
        call(graph, 'POST', `/v1.0/me/presence/${action}`, body, token({ scopes: ['Presence.Read.All'] })),
        403,
        'Forbidden',
      );
      await refused(
        call(
          graph,
          'POST',
          `/v1.0/users/${user().id}/presence/${action}`,
          body,
          token({ userId: null, roles: ['Presence.Read.All'] }),
        ),
        403,
        'Forbidden',
      );
      await refused(
        call(
          graph,
          'POST',
          `/v1.0/users/${user().id}/presence/${action}`,
          body,
          token({ userId: tenant.users[91]!.id }),
        ),
        403,
        'Forbidden',
      );
    }
    await refused(
      setPresence('00000000-0000-4000-8000-000000000000', { availability: 'Available', activity: 'Available' }),
      404,
      'Request_ResourceNotFound',
    );
  });
});

describe('the control API', () => {
  let cloud: Emulators;
  before(async () => {
    cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'sessions', userCount: 40, teamSizes: [5] } });
  });
  after(() => cloud.stop());

  test("shows a user's sessions, preferred presence and status message with their expiries", async () => {
    const user = cloud.tenant.users[3]!;
    const control = cloud.control.url;
    const appToken = (
      await (
        await fetch(`${control}/tokens`, {
          method: 'POST',
          body: JSON.stringify({ clientId: APP_ID, roles: ['Presence.ReadWrite.All'] }),
        })
      ).json()
    ).accessToken as string;
    const write = (action: string, body: unknown) =>
      fetch(`${cloud.graph.url}/v1.0/users/${user.id}/presence/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal(
      (
        await write('setPresence', {
          sessionId: APP_ID,
          availability: 'Busy',
          activity: 'InACall',
          expirationDuration: 'PT1H',
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await write('setUserPreferredPresence', {
          availability: 'BeRightBack',
          activity: 'BeRightBack',
          expirationDuration: 'PT2H',
        })
      ).status,
      200,
    );
    const now = cloud.graph.clock.now();
    const seen = await (await fetch(`${control}/presence/${user.id}/sessions`)).json();
    assert.deepEqual(seen.presence, { availability: 'BeRightBack', activity: 'BeRightBack' });
    assert.equal(seen.sessions.length, 1);
    assert.equal(seen.sessions[0].sessionId, APP_ID);
    assert.ok(Math.abs(Date.parse(seen.sessions[0].expiresAt) - (now + 60 * MINUTE)) < MINUTE);
    assert.ok(Math.abs(Date.parse(seen.preferred.expiresAt) - (now + 120 * MINUTE)) < MINUTE);
    assert.equal((await fetch(`${control}/presence/nobody/sessions`)).status, 404);
  });
});
