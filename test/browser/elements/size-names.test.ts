import { expect, fixture, html } from '@open-wc/testing';
import type { PresenceAvatar, PresenceBadge } from '../../../src/index.js';
import { part } from '../support/fixtures.js';

/** Names every object inherits: never sizes. */
const INHERITED = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];

const width = (el: Element, name: string) => part(el, name).getBoundingClientRect().width;

describe('size names are the documented ones only', () => {
  for (const size of INHERITED) {
    it(`<presence-avatar size="${size}"> keeps the default 40px`, async () => {
      const el = await fixture<PresenceAvatar>(
        html`<presence-avatar size=${size} display-name="Lee Gu"></presence-avatar>`,
      );
      await el.updateComplete;
      expect(width(el, 'avatar')).to.equal(40);
    });

    it(`<presence-badge size="${size}"> keeps the default 16px`, async () => {
      const el = await fixture<PresenceBadge>(html`<presence-badge size=${size} status="busy"></presence-badge>`);
      await el.updateComplete;
      expect(width(el, 'base')).to.equal(16);
    });
  }

  it('the documented names still apply', async () => {
    const avatar = await fixture<PresenceAvatar>(
      html`<presence-avatar size="extra-large" display-name="Lee Gu"></presence-avatar>`,
    );
    const badge = await fixture<PresenceBadge>(html`<presence-badge size="Large" status="busy"></presence-badge>`);
    await avatar.updateComplete;
    await badge.updateComplete;
    expect(width(avatar, 'avatar')).to.equal(72);
    expect(width(badge, 'base')).to.equal(20);
  });
});
