// Polling given an interval it cannot keep, and messages on its tab channel that are not its own.
import { expect, waitUntil } from '@open-wc/testing';
import {
  createPresenceClient,
  PollingTransport,
  type ClientErrorDetail,
  type GraphPresence,
  type TransportSink,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

const ID = '00000000-0000-4000-8000-000000000001';

describe('a polling interval out of range', () => {
  for (const [name, ms] of [
    ["beyond setTimeout's range", 2 ** 31],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['0', 0],
    ['negative', -5000],
  ] as const) {
    it(`(${name}) is clamped and reported, and does not poll in a loop`, async () => {
      let reads = 0;
      const client = createPresenceClient({
        source: {
          presences: async (ids) => (
            reads++,
            ids.map((id) => ({ id, availability: 'Available', activity: 'Available' }))
          ),
        },
        pollingIntervalMs: ms,
        shareAcrossTabs: false,
      });
      const errors: ClientErrorDetail[] = [];
      client.onError((e) => errors.push(e));
      let shown = false;
      client.watch(ID, (s) => (shown = !!s.presence), { profile: false, photo: false });
      try {
        await waitUntil(() => shown && errors.length > 0, 'the presence shown and the interval reported');
        expect(errors[0]!.kind).to.equal('transport');
        expect(errors[0]!.message).to.match(/interval/i);
        // Long enough for a loop of immediate polls to show itself many times over.
        await new Promise((r) => setTimeout(r, 300));
        expect(reads, 'the first read only').to.equal(1);
      } finally {
        client.dispose();
      }
    });
  }
});

describe("the shared poller's tab channel", () => {
  it("ignores messages that are not the poller's own, and keeps serving the tabs that are", async () => {
    const key = `hostile-${Math.random()}`;
    const asked: string[][] = [];
    const thrown: unknown[] = [];
    const onError = (e: ErrorEvent) => {
      thrown.push(e.error ?? e.message);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    const updates: GraphPresence[][] = [];
    const sink: TransportSink = { update: (p) => updates.push(p), state: () => {}, error: () => {} };
    const clock = new FakeClock();
    const transport = new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: key,
      scheduler: clock,
      fetch: async (ids) => (asked.push(ids), ids.map((id) => ({ id, availability: 'Busy', activity: 'Busy' }))),
    });
    const other = new BroadcastChannel(`presence-elements:${key}`);
    try {
      transport.start(sink);
      transport.watch(new Set([ID]));
      await until(() => transport.leader, 'this tab leads');
      for (const message of [
        null,
        undefined,
        42,
        'watch',
        [],
        { type: 'watch' },
        { type: 'watch', tab: 'x', ids: 'nope' },
        { type: 'watch', tab: 'y', ids: [1, null] },
        { type: 'presences' },
        { type: 'presences', presences: 'x' },
        { type: 'bye' },
      ]) {
        other.postMessage(message);
      }
      other.postMessage({ type: 'watch', tab: 'z', ids: ['other-tab-id'] });
      await clock.runUntil(() => asked.some((ids) => ids.includes('other-tab-id')), 'the well-formed tab is served');
      expect(thrown).to.deep.equal([]);
      expect(asked.flat().filter((id) => id !== ID && id !== 'other-tab-id')).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      other.close();
      transport.stop();
    }
  });
});

describe('a failed poll of the shared poller', () => {
  it('reaches the tabs that listen, naming the ids each of them shows', async () => {
    const key = `failing-${Math.random()}`;
    let fail = false;
    const fetch = async (ids: string[]) => {
      if (fail) throw new Error('Graph answered 500');
      return ids.map((id): GraphPresence => ({ id, availability: 'Busy', activity: 'Busy' }));
    };
    const errors: Array<{ message: string; ids?: string[] }> = [];
    const updates: GraphPresence[][] = [];
    const leaderSink: TransportSink = { update: () => {}, state: () => {}, error: () => {} };
    const followerSink: TransportSink = {
      update: (p) => updates.push(p),
      state: () => {},
      error: (e, ids) => errors.push(ids ? { message: e.message, ids } : { message: e.message }),
    };
    const clock = new FakeClock();
    const leader = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: key, fetch, scheduler: clock });
    const follower = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: key, fetch, scheduler: clock });
    try {
      leader.start(leaderSink);
      leader.watch(new Set(['a']));
      await until(() => leader.leader, 'the first takes the lock');
      follower.start(followerSink);
      follower.watch(new Set(['b', 'c']));
      await clock.runUntil(() => updates.length > 0, 'the follower is fed by the leader');
      fail = true;
      await clock.runUntil(() => errors.length > 0, 'the follower hears of the failure');
      expect(errors[0]!.message).to.equal('Graph answered 500');
      expect([...(errors[0]!.ids ?? [])].sort()).to.deep.equal(['b', 'c']);
    } finally {
      leader.stop();
      follower.stop();
    }
  });
});
