import { expect } from '@open-wc/testing';
import { normalizePresence } from '../../../src/presence/index.js';

describe('smoke', () => {
  it('normalises', () => {
    expect(normalizePresence({ availability: 'Lunch' }).availability).to.equal('PresenceUnknown');
  });
});
