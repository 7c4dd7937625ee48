import { expect, fixture, html } from '@open-wc/testing';
import type { PresenceAvatar, PresenceBadge } from '../../../src/index.js';
import { initialsOf } from '../../../src/index.js';
import { part } from '../support/fixtures.js';

const INVALID_TAGS = ['en_US', 'x-default', 'C', '*', 'en-', '12345', 'en US'];

describe('an invalid lang above an element', () => {
  for (const lang of INVALID_TAGS) {
    it(`lang="${lang}": the avatar still renders its initials and name, in English`, async () => {
      const errors: string[] = [];
      const onError = (event: ErrorEvent) => errors.push(event.message);
      window.addEventListener('error', onError);
      try {
        const root = await fixture(html`<div lang=${lang}>
          <presence-avatar display-name="adele vance" presence="Busy"></presence-avatar>
          <presence-badge status="away"></presence-badge>
        </div>`);
        const avatar = root.querySelector('presence-avatar') as PresenceAvatar;
        const badge = root.querySelector('presence-badge') as PresenceBadge;
        await avatar.updateComplete;
        await badge.updateComplete;
        expect(part(avatar, 'initials').textContent).to.equal('AV');
        expect(part(avatar, 'base').getAttribute('aria-label')).to.equal('adele vance, Busy');
        expect(part(badge, 'base').getAttribute('aria-label')).to.equal('Away');
      } finally {
        window.removeEventListener('error', onError);
      }
      expect(errors).to.deep.equal([]);
    });
  }

  it('a region written with an underscore still finds its language (fr_CA is French)', async () => {
    const root = await fixture(html`<div lang="fr_CA"><presence-badge status="busy"></presence-badge></div>`);
    const badge = root.querySelector('presence-badge') as PresenceBadge;
    await badge.updateComplete;
    expect(part(badge, 'base').getAttribute('aria-label')).to.equal('Occupé');
  });

  it('initialsOf never throws on a tag Intl refuses, and keeps the language rules of one it accepts', () => {
    for (const lang of INVALID_TAGS) expect(initialsOf('ilse işık', lang)).to.equal('II');
    expect(initialsOf('ilse işık', 'tr')).to.equal('İİ');
  });
});
