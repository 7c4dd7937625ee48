import { expect } from '@open-wc/testing';
import {
  createPresenceClient,
  GraphCallError,
  PollingTransport,
  type ConnectionState,
  type GraphPresence,
  type PersonSnapshot,
  type TransportSink,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  set(state: DocumentVisibilityState) {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

function sink() {
  const updates: GraphPresence[][] = [];
  const states: ConnectionState[] = [];
  const errors: Error[] = [];
  const s: TransportSink = {
    update: (p) => updates.push(p),
    state: (st) => states.push(st),
    error: (e) => errors.push(e),
  };
  return { s, updates, states, errors };
}

const presence = (id: string): GraphPresence => ({
  id,
  availability: 'Busy',
  activity: 'Busy',
  sequenceNumber: String(Date.now()),
});
const ids = new Set(['a', 'b']);

describe('PollingTransport', () => {
  let clock: FakeClock;
  beforeEach(() => (clock = new FakeClock()));

  /** One tab's poller, sharing `key` with the other tabs, every second on the test's clock. */
  const tab = (key: string, fetch: (ids: string[]) => Promise<GraphPresence[]>, doc: FakeDocument) =>
    new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: key,
      fetch,
      document: doc as unknown as Document,
      scheduler: clock,
    });

  it('polls only the watched ids, every interval', async () => {
    const asked: string[][] = [];
    const t = new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: false,
      fetch: async (i) => (asked.push(i), i.map(presence)),
      document: new FakeDocument() as unknown as Document,
      scheduler: clock,
    });
    const { s, updates } = sink();
    t.start(s);
    t.watch(ids);
    await clock.advance(999);
    expect(updates.length, 'no poll before the interval').to.equal(0);
    await clock.advance(1);
    expect(updates.length, 'first poll').to.equal(1);
    expect(asked[0]).to.deep.equal(['a', 'b']);
    t.stop();
  });

  it('pauses while the page is hidden and catches up at once when it is shown', async () => {
    const doc = new FakeDocument();
    let polls = 0;
    const t = new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: false,
      fetch: async (i) => (polls++, i.map(presence)),
      document: doc as unknown as Document,
      scheduler: clock,
    });
    const { s, states } = sink();
    t.start(s);
    t.watch(ids);
    doc.set('hidden');
    expect(states.at(-1)).to.equal('paused');
    await clock.advance(1500);
    expect(polls).to.equal(0, 'no poll while hidden');
    doc.set('visible');
    // No time passes: the poll due while hidden is made at once.
    await clock.advance(0);
    expect(polls).to.equal(1, 'caught up as soon as it was shown');
    t.stop();
  });

  it('backs off after an error, honouring Retry-After', async () => {
    const at: number[] = [];
    let first = true;
    const t = new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: false,
      document: new FakeDocument() as unknown as Document,
      scheduler: clock,
      fetch: async (i) => {
        at.push(clock.now());
        if (first) {
          first = false;
          throw new GraphCallError('Too many requests', 429, 2500);
        }
        return i.map(presence);
      },
    });
    const { s, states, errors } = sink();
    t.start(s);
    t.watch(ids);
    await clock.runUntil(() => at.length === 2, 'polled again');
    expect(errors[0]).to.be.instanceOf(GraphCallError);
    expect(states).to.include('reconnecting');
    expect(at[1]! - at[0]!).to.be.at.least(2400);
    t.stop();
  });

  it("two pollers of the same app share one: the leader polls every tab's ids and the other listens", async () => {
    const asked: string[][] = [];
    const fetch = async (i: string[]) => (asked.push([...i].sort()), i.map(presence));
    const key = `test-${Math.random()}`;
    const leader = tab(key, fetch, new FakeDocument());
    const follower = tab(key, fetch, new FakeDocument());
    const a = sink();
    const b = sink();
    leader.start(a.s);
    leader.watch(new Set(['a']));
    await until(() => leader.leader, 'the first takes the lock');
    follower.start(b.s);
    follower.watch(new Set(['b']));
    await clock.runUntil(
      () => b.updates.length > 0 && asked.some((x) => x.includes('b')),
      'the follower gets presence from the leader',
    );
    expect(follower.leader).to.equal(false);
    expect(follower.polls).to.equal(0);
    expect(asked.at(-1)).to.deep.equal(['a', 'b']);
    leader.stop();
    await until(() => follower.leader, 'the follower takes over when the leader goes');
    follower.stop();
  });

  it('a hidden leader hands polling over to a visible tab at once, which keeps every tab fed', async () => {
    const key = `test-${Math.random()}`;
    const fetch = async (i: string[]) => i.map(presence);
    const leaderDoc = new FakeDocument();
    const leader = tab(key, fetch, leaderDoc);
    const follower = tab(key, fetch, new FakeDocument());
    const a = sink();
    const b = sink();
    leader.start(a.s);
    leader.watch(new Set(['a']));
    await until(() => leader.leader, 'the first takes the lock');
    follower.start(b.s);
    follower.watch(new Set(['b']));
    await clock.runUntil(() => b.updates.length > 0, 'the follower gets presence from the leader');
    leaderDoc.set('hidden');
    // At once: the hand-over waits for no timer (the clock stands still meanwhile).
    const handedAt = clock.now();
    await until(() => follower.leader, 'the visible tab takes over');
    expect(clock.now()).to.equal(handedAt);
    expect(leader.leader).to.equal(false);
    const hiddenPolls = leader.polls;
    const fedA = a.updates.length;
    const fedB = b.updates.length;
    await clock.runUntil(() => b.updates.length >= fedB + 2, 'the visible tab keeps polling');
    expect(leader.polls).to.equal(hiddenPolls, 'the hidden tab polls no more');
    await until(() => a.updates.length > fedA, 'the hidden tab hears the visible one');
    expect(a.updates.length).to.be.above(fedA, 'the hidden tab still hears what the visible one reads');
    expect(
      b.updates
        .at(-1)!
        .map((p) => p.id)
        .sort(),
    ).to.deep.equal(['a', 'b']);
    leader.stop();
    follower.stop();
  });

  it('nobody polls while every tab is hidden; the first one shown catches up at once', async () => {
    const key = `test-${Math.random()}`;
    let polls = 0;
    const fetch = async (i: string[]) => (polls++, i.map(presence));
    const docA = new FakeDocument();
    const docB = new FakeDocument();
    const one = tab(key, fetch, docA);
    const two = tab(key, fetch, docB);
    const a = sink();
    const b = sink();
    one.start(a.s);
    one.watch(new Set(['a']));
    // The client reads what it watches itself: the poller's first poll is an interval after it starts.
    await clock.runUntil(() => one.leader && polls > 0, 'the first takes the lock and polls');
    two.start(b.s);
    two.watch(new Set(['b']));
    docA.set('hidden');
    docB.set('hidden');
    expect([one.leader, two.leader]).to.deep.equal([false, false]);
    const before = polls;
    await clock.advance(1500);
    expect(polls).to.equal(before, 'no poll while every tab is hidden');
    docB.set('visible');
    await until(() => two.leader, 'the tab shown takes the lock');
    // No time passes: the poll due while every tab was hidden is made at once.
    await clock.advance(0);
    expect(polls).to.be.above(before, 'the tab shown polls at once');
    expect(two.leader).to.equal(true);
    expect(one.leader).to.equal(false);
    one.stop();
    two.stop();
  });
});

describe('createPresenceClient with polling', () => {
  const idA = '00000000-0000-4000-8000-00000000000a';
  const idB = '00000000-0000-4000-8000-00000000000b';

  /** A source that logs which ids it is asked for, answering with a new sequenceNumber each time. */
  function source(name: string, log: string[]) {
    let sequence = 0;
    return {
      async presences(ids: string[]) {
        log.push(...ids.map((id) => `${name}:${id}`));
        sequence++;
        return ids.map((id) => ({
          id,
          availability: 'Busy',
          activity: 'Busy',
          sequenceNumber: String(sequence).padStart(6, '0'),
        }));
      },
    };
  }

  /** Watches one person; counts the presences that came in. */
  function watch(client: ReturnType<typeof createPresenceClient>, id: string) {
    const seen = new Set<string>();
    client.watch(id, (s: PersonSnapshot) => s.presence?.sequenceNumber && seen.add(s.presence.sequenceNumber), {
      profile: false,
      photo: false,
    });
    return seen;
  }

  it('two clients of different sources in one page each poll their own ids', async () => {
    const log: string[] = [];
    const scheduler = new FakeClock();
    const a = createPresenceClient({ source: source('A', log), pollingIntervalMs: 1000, scheduler });
    const b = createPresenceClient({ source: source('B', log), pollingIntervalMs: 1000, scheduler });
    const seenA = watch(a, idA);
    const seenB = watch(b, idB);
    try {
      await scheduler.runUntil(() => seenA.size >= 3 && seenB.size >= 3, 'both stay live, beyond their first read');
      expect(log.filter((l) => l === `A:${idB}` || l === `B:${idA}`)).to.deep.equal(
        [],
        "no client asks its source for the other one's ids",
      );
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('two clients sharing a key in one page share one poller, and both stay live', async () => {
    const log: string[] = [];
    const shareAcrossTabs = `test-${Math.random()}`;
    const scheduler = new FakeClock();
    const a = createPresenceClient({ source: source('A', log), pollingIntervalMs: 1000, shareAcrossTabs, scheduler });
    const b = createPresenceClient({ source: source('B', log), pollingIntervalMs: 1000, shareAcrossTabs, scheduler });
    const seenA = watch(a, idA);
    const seenB = watch(b, idB);
    try {
      await scheduler.runUntil(() => seenA.size >= 3 && seenB.size >= 3, 'both stay live, beyond their first read');
      const polled = (a.transport as PollingTransport).polls + (b.transport as PollingTransport).polls;
      expect(
        (a.transport as PollingTransport).leader !== (b.transport as PollingTransport).leader,
        'one leads',
      ).to.equal(true);
      expect(polled).to.be.at.least(2);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
