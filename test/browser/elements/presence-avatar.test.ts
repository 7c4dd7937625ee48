import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import type { PresenceAvatar } from '../../../src/index.js';
import { AVAILABILITIES, avatarColorFor, badgeFor, normalizePresence } from '../../../src/index.js';
import { PHOTO_DATA_URL, drawnStatus, maybePart, nextEvent, part, shadow } from '../support/fixtures.js';

async function avatar(template: ReturnType<typeof html>): Promise<PresenceAvatar> {
  const el = await fixture<PresenceAvatar>(template);
  await el.updateComplete;
  return el;
}

function label(el: PresenceAvatar): string | null {
  return part(el, 'base').getAttribute('aria-label');
}

describe('<presence-avatar>', () => {
  it('shows initials, a badge and says who and how they are', async () => {
    const el = await avatar(
      html`<presence-avatar user-id="u1" display-name="Adele Vance" presence='{"availability":"Busy","activity":"InACall"}'></presence-avatar>`,
    );
    expect(part(el, 'base').getAttribute('role')).to.equal('img');
    expect(label(el)).to.equal('Adele Vance, Busy, In a call');
    expect(part(el, 'initials').textContent).to.equal('AV');
    expect(drawnStatus(el)).to.equal('busy');
    await expect(el).to.be.accessible();
  });

  for (const availability of AVAILABILITIES) {
    it(`draws ${availability} as Teams does`, async () => {
      const el = await avatar(
        html`<presence-avatar display-name="Megan Bowen" .presence=${{ availability, activity: availability }}></presence-avatar>`,
      );
      expect(drawnStatus(el)).to.equal(badgeFor(normalizePresence({ availability })).status);
      expect(label(el)).to.match(/^Megan Bowen, /);
    });
  }

  it('shows an unknown availability as unknown, never offline, and names the raw value', async () => {
    const el = await avatar(
      html`<presence-avatar display-name="Alex Wilber" presence='{"availability":"Lunch","activity":"Eating"}'></presence-avatar>`,
    );
    expect(drawnStatus(el)).to.equal('unknown');
    expect(label(el)).to.equal('Alex Wilber, Unrecognised status “Lunch”, Unrecognised status “Eating”');
  });

  it('shows no badge until it has a presence', async () => {
    const el = await avatar(html`<presence-avatar display-name="Alex Wilber"></presence-avatar>`);
    expect(maybePart(el, 'badge')).to.equal(null);
    expect(label(el)).to.equal('Alex Wilber');
    el.presence = { availability: 'Available', activity: 'Available' };
    await el.updateComplete;
    expect(drawnStatus(el)).to.equal('available');
    expect(label(el)).to.equal('Alex Wilber, Available');
  });

  it('draws the out-of-office variants', async () => {
    const cases: Array<[object, string]> = [
      [{ availability: 'Available', outOfOfficeSettings: { isOutOfOffice: true } }, 'available'],
      [{ availability: 'Busy', activity: 'InAMeeting', outOfOfficeSettings: { isOutOfOffice: true } }, 'busy'],
      [{ availability: 'Away', activity: 'OutOfOffice' }, 'out-of-office'],
      [{ availability: 'Offline', activity: 'OffWork' }, 'out-of-office'],
    ];
    for (const [presence, status] of cases) {
      const el = await avatar(
        html`<presence-avatar display-name="Nestor Wilke" .presence=${presence}></presence-avatar>`,
      );
      expect(drawnStatus(el), JSON.stringify(presence)).to.equal(status);
    }
    const el = await avatar(
      html`<presence-avatar display-name="Nestor Wilke" .presence=${cases[1]![0]}></presence-avatar>`,
    );
    expect(label(el)).to.equal('Nestor Wilke, Busy, In a meeting, Out of office');
  });

  it('reports a presence attribute that is not JSON, shows unknown and keeps working', async () => {
    const el = await avatar(
      html`<presence-avatar user-id="u9" display-name="Lee Gu" presence="Busy"></presence-avatar>`,
    );
    expect(drawnStatus(el)).to.equal('busy');
    const event = nextEvent<CustomEvent>(el, 'presence-error');
    el.setAttribute('presence', '{"availability": Busy}');
    const { detail, composed, bubbles } = (await event) as CustomEvent;
    expect(detail).to.include({ userId: 'u9', kind: 'invalid-presence' });
    expect(composed && bubbles).to.equal(true);
    await el.updateComplete;
    expect(drawnStatus(el)).to.equal('unknown');
    el.setAttribute('presence', '{"availability":"Available"}');
    await el.updateComplete;
    expect(drawnStatus(el)).to.equal('available');
  });

  it('renders hostile names and messages as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const el = await avatar(html`<presence-avatar
      show-name
      show-status
      display-name=${hostile}
      .presence=${{ availability: 'Busy', statusMessage: { message: { content: '<b>bold</b><img src=y onerror="window.__pwned=2">' } } }}
    ></presence-avatar>`);
    await nextFrame();
    expect(shadow(el).querySelectorAll('img').length).to.equal(0);
    expect(part(el, 'name').textContent).to.equal(hostile);
    expect(part(el, 'message').textContent).to.equal('bold');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(label(el)).to.contain(hostile);
  });

  it('shows the name, the status line and the status message on request', async () => {
    const el = await avatar(html`<presence-avatar
      show-name
      show-status
      display-name="Adele Vance"
      .presence=${{ availability: 'DoNotDisturb', activity: 'Presenting', statusMessage: { message: { content: 'Demo until 3 pm' } } }}
    ></presence-avatar>`);
    expect(part(el, 'name').textContent).to.equal('Adele Vance');
    expect(part(el, 'status').textContent).to.equal('Do not disturb, Presenting');
    expect(part(el, 'message').textContent).to.equal('Demo until 3 pm');
    expect(label(el)).to.equal('Adele Vance, Do not disturb, Presenting, Demo until 3 pm');
    await expect(el).to.be.accessible();
  });

  it('puts initials on the same colour for the same id, and another for another', async () => {
    const a = await avatar(html`<presence-avatar user-id="id-1" display-name="Adele Vance"></presence-avatar>`);
    const b = await avatar(html`<presence-avatar user-id="id-1" display-name="Adele V."></presence-avatar>`);
    const bg = (el: PresenceAvatar) => getComputedStyle(part(el, 'avatar')).backgroundColor;
    expect(bg(a)).to.equal(bg(b));
    let other = 2;
    while (avatarColorFor(`id-${other}`).name === avatarColorFor('id-1').name) other++;
    const c = await avatar(
      html`<presence-avatar user-id=${`id-${other}`} display-name="Adele Vance"></presence-avatar>`,
    );
    expect(bg(c)).not.to.equal(bg(a));
  });

  it('shows a person icon when the name gives no initials', async () => {
    const el = await avatar(html`<presence-avatar display-name=""></presence-avatar>`);
    expect(part(el, 'initials').querySelector('svg')).to.not.equal(null);
    expect(label(el)).to.equal('Unknown person');
  });

  it('shows the photo once it has loaded, with the initials underneath until then', async () => {
    const el = await avatar(
      html`<presence-avatar display-name="Adele Vance" photo-url=${PHOTO_DATA_URL}></presence-avatar>`,
    );
    const img = part<HTMLImageElement>(el, 'image');
    expect(img.getAttribute('alt')).to.equal('');
    await waitUntil(() => img.classList.contains('loaded'), 'photo never loaded');
    await waitUntil(() => getComputedStyle(img).opacity === '1', 'photo never shown');
    expect(part(el, 'initials').textContent).to.equal('AV');
  });

  it('falls back to initials when the photo is broken, without ever showing a broken image', async () => {
    const el = document.createElement('presence-avatar');
    el.userId = 'u7';
    el.displayName = 'Grady Archie';
    el.photoUrl = '/no-such-photo.png';
    const event = nextEvent<CustomEvent>(el, 'presence-error');
    document.body.append(el);
    try {
      await el.updateComplete;
      const img = part<HTMLImageElement>(el, 'image');
      expect(getComputedStyle(img).opacity).to.equal('0');
      const { detail } = await event;
      expect(detail).to.include({ kind: 'photo', userId: 'u7' });
      await el.updateComplete;
      expect(maybePart(el, 'image')).to.equal(null);
      expect(part(el, 'initials').textContent).to.equal('GA');
      el.photoUrl = PHOTO_DATA_URL;
      await el.updateComplete;
      await waitUntil(() => maybePart(el, 'image')?.classList.contains('loaded'), 'a new photo URL is tried again');
    } finally {
      el.remove();
    }
  });

  it('sizes by name, number and CSS length, and the badge scales with it', async () => {
    const sizes: Array<[string, number]> = [
      ['extra-small', 24],
      ['small', 32],
      ['medium', 40],
      ['large', 56],
      ['extra-large', 72],
      ['huge', 96],
      ['48', 48],
      ['3rem', 48],
      ['banana', 40],
      ['-5', 40],
    ];
    let lastBadge = 0;
    for (const [size, px] of sizes) {
      const el = await avatar(
        html`<presence-avatar size=${size} display-name="Adele Vance" presence="Busy"></presence-avatar>`,
      );
      const box = part(el, 'avatar').getBoundingClientRect();
      expect(box.width, size).to.equal(px);
      expect(box.height, size).to.equal(px);
      const badgeWidth = part(el, 'badge').getBoundingClientRect().width;
      expect(badgeWidth, `badge at ${size}`).to.be.within(8, 28);
      if (px > 40 && size !== '3rem' && size !== '48') expect(badgeWidth).to.be.at.least(lastBadge);
      if (!['48', '3rem', 'banana', '-5'].includes(size)) lastBadge = badgeWidth;
    }
  });

  it('takes --presence-avatar-size from CSS when no size attribute is set', async () => {
    const el = await avatar(
      html`<presence-avatar style="--presence-avatar-size: 64px" display-name="A B"></presence-avatar>`,
    );
    expect(part(el, 'avatar').getBoundingClientRect().width).to.equal(64);
  });

  it('has a circular and a square shape', async () => {
    const round = await avatar(html`<presence-avatar size="56" display-name="A B"></presence-avatar>`);
    const square = await avatar(html`<presence-avatar size="56" shape="square" display-name="A B"></presence-avatar>`);
    expect(getComputedStyle(part(round, 'avatar')).borderTopLeftRadius).to.equal('50%');
    expect(parseFloat(getComputedStyle(part(square, 'avatar')).borderTopLeftRadius)).to.be.within(2, 12);
  });

  it('puts the badge at the bottom of the inline end, mirrored right to left', async () => {
    const ltr = await avatar(html`<presence-avatar size="72" display-name="A B" presence="Busy"></presence-avatar>`);
    const wrapper = await fixture(
      html`<div dir="rtl" lang="ar"><presence-avatar size="72" display-name="محمد علي" presence='{"availability":"Busy","activity":"InACall"}'></presence-avatar></div>`,
    );
    const rtl = wrapper.querySelector('presence-avatar') as PresenceAvatar;
    await rtl.updateComplete;
    const centre = (el: PresenceAvatar, name: string) => {
      const r = part(el, name).getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    };
    expect(centre(ltr, 'badge').x).to.be.above(centre(ltr, 'avatar').x);
    expect(centre(ltr, 'badge').y).to.be.above(centre(ltr, 'avatar').y);
    expect(centre(rtl, 'badge').x).to.be.below(centre(rtl, 'avatar').x);
    expect(label(rtl)).to.equal('محمد علي، مشغول، في مكالمة');
    await expect(rtl).to.be.accessible();
  });

  it('speaks the language of the page, and follows it when it changes', async () => {
    const wrapper = await fixture(
      html`<section lang="de"><presence-avatar display-name="Adele Vance" presence='{"availability":"Away","activity":"BeRightBack"}'></presence-avatar></section>`,
    );
    const el = wrapper.querySelector('presence-avatar') as PresenceAvatar;
    await el.updateComplete;
    expect(label(el)).to.equal('Adele Vance, Abwesend, Bin gleich zurück');
    wrapper.setAttribute('lang', 'fr');
    await waitUntil(() => label(el) === 'Adele Vance, Absent, De retour bientôt', `still ${label(el)}`);
    wrapper.setAttribute('lang', 'xx-unknown');
    await waitUntil(() => label(el) === 'Adele Vance, Away, Be right back', `still ${label(el)}`);
  });

  it('switches to dark colours under color-scheme: dark', async () => {
    const wrapper = await fixture(
      html`<div style="color-scheme: dark; background: #1f1f1f"><presence-avatar user-id="x" show-name display-name="Adele Vance" presence="Available"></presence-avatar></div>`,
    );
    const el = wrapper.querySelector('presence-avatar') as PresenceAvatar;
    await el.updateComplete;
    const color = avatarColorFor('x');
    const hex = (rgb: string) =>
      `#${(rgb.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map((n) => Number(n).toString(16).padStart(2, '0'))
        .join('')}`;
    expect(hex(getComputedStyle(part(el, 'avatar')).backgroundColor)).to.equal(color.dark.background);
    expect(hex(getComputedStyle(part(el, 'badge')).backgroundColor)).to.equal('#292929');
    expect(hex(getComputedStyle(part(el, 'name')).color)).to.equal('#ffffff');
    await expect(el).to.be.accessible();
  });

  it('truncates a very long name with an ellipsis instead of overflowing', async () => {
    const long = 'Wolfeschlegelsteinhausenbergerdorff '.repeat(8).trim();
    const wrapper = await fixture(
      html`<div style="width: 240px"><presence-avatar show-name display-name=${long} presence="Busy"></presence-avatar></div>`,
    );
    const el = wrapper.querySelector('presence-avatar') as PresenceAvatar;
    await el.updateComplete;
    expect(el.getBoundingClientRect().width).to.be.at.most(240);
    const name = part(el, 'name');
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(name.scrollWidth).to.be.above(name.clientWidth);
    expect(name.getAttribute('title')).to.equal(long);
  });
});
