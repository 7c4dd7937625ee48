import { expect, waitUntil } from '@open-wc/testing';
import { GraphCallError, PollingTransport, type ConnectionState, type GraphPresence, type TransportSink } from '../../../src/index.js';

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
  const s: TransportSink = { update: (p) => updates.push(p), state: (st) => states.push(st), error: (e) => errors.push(e) };
  return { s, updates, states, errors };
}

const presence = (id: string): GraphPresence => ({ id, availability: 'Busy', activity: 'Busy', sequenceNumber: String(Date.now()) });
const ids = new Set(['a', 'b']);

describe('PollingTransport', () => {
  it('polls only the watched ids, every interval', async () => {
    const asked: string[][] = [];
    const t = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: false, fetch: async (i) => (asked.push(i), i.map(presence)), document: new FakeDocument() as unknown as Document });
    const { s, updates } = sink();
    t.start(s);
    t.watch(ids);
    await waitUntil(() => updates.length >= 1, 'first poll', { timeout: 2500 });
    expect(asked[0]).to.deep.equal(['a', 'b']);
    t.stop();
  });

  it('pauses while the page is hidden and catches up at once when it is shown', async () => {
    const doc = new FakeDocument();
    let polls = 0;
    const t = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: false, fetch: async (i) => (polls++, i.map(presence)), document: doc as unknown as Document });
    const { s, states } = sink();
    t.start(s);
    t.watch(ids);
    doc.set('hidden');
    expect(states.at(-1)).to.equal('paused');
    await new Promise((r) => setTimeout(r, 1500));
    expect(polls).to.equal(0, 'no poll while hidden');
    doc.set('visible');
    await waitUntil(() => polls === 1, 'caught up as soon as it was shown', { timeout: 300 });
    t.stop();
  });

  it('backs off after an error, honouring Retry-After', async () => {
    const at: number[] = [];
    let first = true;
    const t = new PollingTransport({
      intervalMs: 1000,
      shareAcrossTabs: false,
      document: new FakeDocument() as unknown as Document,
      fetch: async (i) => {
        at.push(Date.now());
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
    await waitUntil(() => at.length === 2, 'polled again', { timeout: 6000 });
    expect(errors[0]).to.be.instanceOf(GraphCallError);
    expect(states).to.include('reconnecting');
    expect(at[1]! - at[0]!).to.be.at.least(2400);
    t.stop();
  });

  it('two pollers of the same app share one: the leader polls every tab\'s ids and the other listens', async () => {
    const asked: string[][] = [];
    const fetch = async (i: string[]) => (asked.push([...i].sort()), i.map(presence));
    const key = `test-${Math.random()}`;
    const leader = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: key, fetch, document: new FakeDocument() as unknown as Document });
    const follower = new PollingTransport({ intervalMs: 1000, shareAcrossTabs: key, fetch, document: new FakeDocument() as unknown as Document });
    const a = sink();
    const b = sink();
    leader.start(a.s);
    leader.watch(new Set(['a']));
    await waitUntil(() => leader.leader, 'the first takes the lock');
    follower.start(b.s);
    follower.watch(new Set(['b']));
    await waitUntil(() => b.updates.length > 0 && asked.some((x) => x.includes('b')), 'the follower gets presence from the leader', { timeout: 4000 });
    expect(follower.leader).to.equal(false);
    expect(follower.polls).to.equal(0);
    expect(asked.at(-1)).to.deep.equal(['a', 'b']);
    leader.stop();
    await waitUntil(() => follower.leader, 'the follower takes over when the leader goes', { timeout: 3000 });
    follower.stop();
  });
});
