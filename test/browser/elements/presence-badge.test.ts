import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { PresenceBadge } from '../../../src/index.js';
import { BADGE_STATUSES } from '../../../src/index.js';
import { drawnGlyph, drawnStatus, nextEvent, part } from '../support/fixtures.js';
import { colorDistance, hexToRgb, pixelColors, type Rgb } from '../support/pixels.js';

async function badge(template: ReturnType<typeof html>): Promise<PresenceBadge> {
  const el = await fixture<PresenceBadge>(template);
  await el.updateComplete;
  return el;
}

describe('<presence-badge>', () => {
  it('draws the status it is given, with a localised accessible name', async () => {
    const el = await badge(html`<presence-badge status="busy"></presence-badge>`);
    const base = part(el, 'base');
    expect(base.getAttribute('role')).to.equal('img');
    expect(base.getAttribute('aria-label')).to.equal('Busy');
    expect(drawnStatus(el)).to.equal('busy');
  });

  it('says out of office in the variant', async () => {
    const el = await badge(html`<presence-badge status="available" out-of-office></presence-badge>`);
    expect(part(el, 'base').getAttribute('aria-label')).to.equal('Available, Out of office');
    expect(drawnStatus(el)).to.equal('available');
    expect(drawnGlyph(el)).to.equal('ring');
  });

  it('turns away and offline into the out-of-office glyph when out of office', async () => {
    for (const status of ['away', 'offline']) {
      const el = await badge(html`<presence-badge status=${status} out-of-office></presence-badge>`);
      expect(drawnStatus(el), status).to.equal('out-of-office');
    }
  });

  it('shows unknown for a status it does not know', async () => {
    const el = await badge(html`<presence-badge status="lunch"></presence-badge>`);
    expect(drawnStatus(el)).to.equal('unknown');
    expect(part(el, 'base').getAttribute('aria-label')).to.equal('Status unknown');
  });

  it('takes a Graph presence, which wins over status', async () => {
    const el = await badge(
      html`<presence-badge status="available" .presence=${{ availability: 'DoNotDisturb', activity: 'Presenting' }}></presence-badge>`,
    );
    expect(drawnStatus(el)).to.equal('do-not-disturb');
    expect(part(el, 'base').getAttribute('aria-label')).to.equal('Do not disturb, Presenting');
  });

  it('reads presence JSON from the attribute and reports bad JSON', async () => {
    const el = await badge(
      html`<presence-badge presence='{"availability":"Away","activity":"BeRightBack"}'></presence-badge>`,
    );
    expect(drawnStatus(el)).to.equal('away');
    const event = nextEvent<CustomEvent>(el, 'presence-error');
    el.setAttribute('presence', '{availability: Busy');
    const { detail } = await event;
    expect(detail.kind).to.equal('invalid-presence');
    expect(detail.message).to.contain('JSON');
    await el.updateComplete;
    expect(drawnStatus(el)).to.equal('unknown');
  });

  it('is hidden from assistive technology when decorative', async () => {
    const el = await badge(html`<presence-badge status="busy" decorative></presence-badge>`);
    const base = part(el, 'base');
    expect(base.getAttribute('aria-hidden')).to.equal('true');
    expect(base.hasAttribute('role')).to.equal(false);
  });

  it('follows the lang of its ancestors', async () => {
    const wrapper = await fixture(html`<div lang="fr"><presence-badge status="do-not-disturb"></presence-badge></div>`);
    const el = wrapper.querySelector('presence-badge') as PresenceBadge;
    await el.updateComplete;
    expect(part(el, 'base').getAttribute('aria-label')).to.equal('Ne pas déranger');
  });

  it('uses an explicit label', async () => {
    const el = await badge(html`<presence-badge status="busy" label="Adele is busy"></presence-badge>`);
    expect(part(el, 'base').getAttribute('aria-label')).to.equal('Adele is busy');
  });

  it('sizes by name, by number and by CSS length, ignoring nonsense', async () => {
    const sizes: Array<[string, number]> = [
      ['tiny', 8],
      ['large', 20],
      ['extra-large', 28],
      ['24', 24],
      ['2rem', 32],
      ['banana', 16],
    ];
    for (const [size, px] of sizes) {
      const el = await badge(html`<presence-badge status="busy" size=${size}></presence-badge>`);
      expect(part(el, 'base').getBoundingClientRect().width, size).to.equal(px);
    }
  });

  it('passes axe in every status', async () => {
    for (const status of BADGE_STATUSES) {
      const el = await badge(html`<presence-badge status=${status}></presence-badge>`);
      await expect(el).to.be.accessible();
    }
  });

  describe('as painted', () => {
    // The badge is drawn on a 16-unit grid; at 64px one unit is 4px. `ring` samples the top of the outline or
    // disc, `centre` the middle (white on filled glyphs with a mark there, the ring colour inside outlines).
    const SIZE = 64;
    async function paint(status: string, outOfOffice = false): Promise<{ ring: Rgb; centre: Rgb; side: Rgb }> {
      const el = await badge(
        html`<presence-badge style="position:fixed;top:0;left:0" size=${SIZE} status=${status} ?out-of-office=${outOfOffice}></presence-badge>`,
      );
      const box = part(el, 'base').getBoundingClientRect();
      const at = (ux: number, uy: number) => ({ x: box.left + (ux * SIZE) / 16, y: box.top + (uy * SIZE) / 16 });
      const [ring, centre, side] = await pixelColors([at(8, 1.1), at(8, 8), at(2.5, 8)]);
      return { ring: ring as Rgb, centre: centre as Rgb, side: side as Rgb };
    }
    const white = hexToRgb('#ffffff');
    const near = (actual: Rgb, hex: string) =>
      expect(colorDistance(actual, hexToRgb(hex)), `${actual} vs ${hex}`).to.be.below(24);

    it('available: a green #13a10e disc', async () => {
      const p = await paint('available');
      near(p.ring, '#13a10e');
      near(p.side, '#13a10e');
    });
    it('busy: a solid red #d13438 dot', async () => {
      const p = await paint('busy');
      near(p.ring, '#d13438');
      near(p.centre, '#d13438');
    });
    it('do not disturb: red with a white bar across the middle', async () => {
      const p = await paint('do-not-disturb');
      near(p.ring, '#d13438');
      near(p.centre, '#ffffff');
    });
    it('away: an amber #eaa300 disc with white clock hands', async () => {
      const p = await paint('away');
      near(p.ring, '#eaa300');
      near(p.side, '#eaa300');
      near(p.centre, '#ffffff');
    });
    it('offline: a grey ring with a cross, white between', async () => {
      const p = await paint('offline');
      near(p.ring, '#616161');
      near(p.centre, '#616161');
      expect(colorDistance(p.side, white)).to.be.below(24);
    });
    it('out of office: a berry #c239b3 ring with an arrow', async () => {
      const p = await paint('out-of-office');
      near(p.ring, '#c239b3');
      near(p.centre, '#c239b3');
    });
    it('unknown: an empty grey ring', async () => {
      const p = await paint('unknown');
      near(p.ring, '#616161');
      near(p.centre, '#ffffff');
    });
    it('available and out of office: a green ring, white inside', async () => {
      const p = await paint('available', true);
      near(p.ring, '#13a10e');
      near(p.side, '#ffffff');
    });
    it('busy and out of office: a red ring, white inside', async () => {
      const p = await paint('busy', true);
      near(p.ring, '#d13438');
      near(p.centre, '#ffffff');
    });
    it('custom properties recolour it', async () => {
      document.body.style.setProperty('--presence-color-busy', '#0000ff');
      try {
        near((await paint('busy')).centre, '#0000ff');
      } finally {
        document.body.style.removeProperty('--presence-color-busy');
      }
    });
    it('Windows high contrast: system colours, the glyph shape still there', async () => {
      await emulateMedia({ forcedColors: 'active' });
      try {
        const p = await paint('available');
        expect(colorDistance(p.ring, hexToRgb('#13a10e'))).to.be.above(60);
        expect(colorDistance(p.ring, p.side)).to.equal(0);
      } finally {
        await emulateMedia({ forcedColors: 'none' });
      }
    });
  });
});
