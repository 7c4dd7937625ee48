// How long a page waits before reconnecting to SignalR Service: while it is shown, never more than about 5 s, so it
// re-reads what it shows within seconds of the service (or the network) coming back; hidden, up to 30 s. A watch the
// relay did not answer is tried again sooner still (about 3 s at most while shown).
import { expect } from '@open-wc/testing';
import { reconnectDelay, watchRetryDelay } from '../../../src/transports/signalr.js';

describe('SignalR reconnection backoff', () => {
  it('grows with each attempt, and stays at or under 5.25 s while the page is visible', () => {
    expect(document.visibilityState).to.equal('visible');
    const waits = Array.from({ length: 12 }, (_, attempt) => reconnectDelay(attempt, () => 1));
    expect(waits.slice(0, 5)).to.deep.equal([750, 1250, 2250, 4250, 5250]);
    expect(Math.max(...waits)).to.equal(5250);
  });

  it('backs off up to 30 s while the page is hidden', () => {
    expect(reconnectDelay(20, () => 1, false)).to.equal(30_250);
    expect(reconnectDelay(20, () => 0, false)).to.equal(250);
  });

  it('tries a watch the relay did not answer again within 3.25 s while the page is visible, 30.25 s hidden', () => {
    const waits = Array.from({ length: 12 }, (_, attempt) => watchRetryDelay(attempt, () => 1));
    expect(waits.slice(0, 4)).to.deep.equal([750, 1250, 2250, 3250]);
    expect(Math.max(...waits)).to.equal(3250);
    expect(watchRetryDelay(20, () => 1, false)).to.equal(30_250);
  });
});
