// The one rule a presence is marked possibly out of date by.
import { expect } from '@open-wc/testing';
import { isStale } from '../../../src/presence/stale.js';

describe('isStale', () => {
  const now = 1_000_000;
  it('is stale once older than staleAfterMs, not at exactly that age', () => {
    expect(isStale({ receivedAt: now - 300_000 }, 300_000, now)).to.equal(false);
    expect(isStale({ receivedAt: now - 300_001 }, 300_000, now)).to.equal(true);
    expect(isStale({ receivedAt: now }, 300_000, now)).to.equal(false);
  });

  it('is stale when the last refresh failed, however recent the presence', () => {
    expect(isStale({ receivedAt: now, failed: true }, 300_000, now)).to.equal(true);
  });

  it('is not stale when nothing was received yet', () => {
    expect(isStale({}, 300_000, now)).to.equal(false);
  });
});
