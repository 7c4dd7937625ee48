// The aggregation of presence sessions, rule by rule, as https://learn.microsoft.com/graph/cloud-communications-manage-presence-state
// and the setPresence / setUserPreferredPresence / clearPresence pages state them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  aggregate,
  FADE_MS,
  nextChangeAt,
  sessionStateAt,
  type AppSession,
} from '../../../emulator/tenant/presence-sessions.js';

const T0 = Date.UTC(2026, 10, 30, 9);
const HOUR = 3_600_000;

function session(availability: string, activity: string, options: Partial<AppSession> = {}): AppSession {
  return { sessionId: 'app', availability, activity, expiresAt: T0 + HOUR, lastKeepAlive: T0, ...options };
}

describe('one session over time', () => {
  test('an Available session fades to Available/AvailableInactive after 5 minutes without a keep-alive', () => {
    const s = session('Available', 'Available');
    assert.deepEqual(sessionStateAt(s, T0 + FADE_MS - 1), { availability: 'Available', activity: 'Available' });
    assert.deepEqual(sessionStateAt(s, T0 + FADE_MS), { availability: 'Available', activity: 'AvailableInactive' });
  });
  test('and to Away/Away after 5 more', () => {
    const s = session('Available', 'Available');
    assert.deepEqual(sessionStateAt(s, T0 + 2 * FADE_MS - 1), {
      availability: 'Available',
      activity: 'AvailableInactive',
    });
    assert.deepEqual(sessionStateAt(s, T0 + 2 * FADE_MS), { availability: 'Away', activity: 'Away' });
  });
  test('only an Available session fades', () => {
    const s = session('Busy', 'InACall');
    assert.deepEqual(sessionStateAt(s, T0 + 3 * FADE_MS), { availability: 'Busy', activity: 'InACall' });
  });
  test('an expired session is no session', () => {
    assert.equal(sessionStateAt(session('Busy', 'InACall'), T0 + HOUR), null);
  });
  test('the next change is the next fade or expiry', () => {
    const input = { sessions: [session('Available', 'Available')], preferred: null };
    assert.equal(nextChangeAt(input, T0), T0 + FADE_MS);
    assert.equal(nextChangeAt(input, T0 + FADE_MS), T0 + 2 * FADE_MS);
    assert.equal(nextChangeAt(input, T0 + 2 * FADE_MS), T0 + HOUR);
    assert.equal(nextChangeAt({ sessions: [], preferred: null }, T0), Infinity);
  });
});

describe('several sessions', () => {
  const states = [
    ['DoNotDisturb', 'Presenting'],
    ['Busy', 'InACall'],
    ['Available', 'Available'],
    ['Away', 'Away'],
  ] as const;
  for (let high = 0; high < states.length; high++) {
    for (let low = high + 1; low < states.length; low++) {
      const [a, aa] = states[high]!;
      const [b, ba] = states[low]!;
      test(`${a} beats ${b}, whichever session was set last`, () => {
        for (const order of [0, 1]) {
          const sessions = [
            session(a, aa, { sessionId: 'one', lastKeepAlive: T0 - order }),
            session(b, ba, { sessionId: 'two', lastKeepAlive: T0 - 1 + order }),
          ];
          assert.deepEqual(aggregate({ base: null, sessions, preferred: null }, T0), { availability: a, activity: aa });
        }
      });
    }
  }
  test('a faded session ranks as what it has faded to', () => {
    const sessions = [
      session('Available', 'Available', { sessionId: 'idle' }),
      session('Away', 'Away', { sessionId: 'away' }),
    ];
    assert.equal(aggregate({ base: null, sessions, preferred: null }, T0 + FADE_MS).activity, 'AvailableInactive');
  });
  test("the Teams clients' state is one more session", () => {
    const base = { availability: 'Busy', activity: 'InAMeeting' };
    const sessions = [session('Available', 'Available')];
    assert.deepEqual(aggregate({ base, sessions, preferred: null }, T0), base);
    const away = { availability: 'Away', activity: 'Away' };
    assert.deepEqual(aggregate({ base: away, sessions, preferred: null }, T0), {
      availability: 'Available',
      activity: 'Available',
    });
  });
  test('with no live session left the user is Offline', () => {
    const sessions = [session('Busy', 'InACall')];
    const offline = { availability: 'Offline', activity: 'Offline' };
    assert.deepEqual(aggregate({ base: null, sessions, preferred: null }, T0 + HOUR), offline);
    assert.deepEqual(aggregate({ base: offline, sessions, preferred: null }, T0 + HOUR), offline);
  });
  test('no session and no preferred presence: the Teams clients’ state as it is', () => {
    const base = { availability: 'Offline', activity: 'OffWork' };
    assert.deepEqual(aggregate({ base, sessions: [], preferred: null }, T0), base);
  });
});

describe('the preferred presence', () => {
  const preferred = { availability: 'Away', activity: 'Away', expiresAt: T0 + HOUR };
  test('beats every session, DoNotDisturb included', () => {
    const sessions = [session('DoNotDisturb', 'Presenting')];
    assert.deepEqual(aggregate({ base: null, sessions, preferred }, T0), { availability: 'Away', activity: 'Away' });
  });
  test('takes effect only while a session exists; otherwise the user is Offline', () => {
    assert.deepEqual(aggregate({ base: null, sessions: [], preferred }, T0), {
      availability: 'Offline',
      activity: 'Offline',
    });
    const teams = { availability: 'Available', activity: 'Available' };
    assert.deepEqual(aggregate({ base: teams, sessions: [], preferred }, T0), {
      availability: 'Away',
      activity: 'Away',
    });
  });
  test('once expired, the sessions’ aggregate shows again', () => {
    const sessions = [session('Busy', 'InACall', { expiresAt: T0 + 2 * HOUR })];
    assert.deepEqual(aggregate({ base: null, sessions, preferred }, T0 + HOUR), {
      availability: 'Busy',
      activity: 'InACall',
    });
  });
});
