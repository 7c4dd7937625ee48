// Windows high contrast (forced-colors: active) for the whole avatar: the frame, the initials, the photo and the
// badge stay visible in system colours, as painted by Chromium, not only as computed styles say.
import { emulateMedia } from '@web/test-runner-commands';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { PresenceAvatar } from '../../../src/index.js';
import '../../../src/define.js';
import { PHOTO_DATA_URL, part } from '../support/fixtures.js';
import { colorDistance, pixelColors, type Rgb } from '../support/pixels.js';

const SIZE = 96;

/** What the system colours resolve to under the emulated high-contrast theme. */
async function systemColours(): Promise<{ canvas: Rgb; text: Rgb }> {
  const probe = await fixture<HTMLElement>(html`<div style="background: Canvas; color: CanvasText">x</div>`);
  const rgb = (value: string) => (value.match(/\d+/g) ?? []).slice(0, 3).map(Number) as Rgb;
  const style = getComputedStyle(probe);
  const colours = { canvas: rgb(style.backgroundColor), text: rgb(style.color) };
  probe.remove();
  return colours;
}

async function avatar(template: ReturnType<typeof html>): Promise<PresenceAvatar> {
  const el = await fixture<PresenceAvatar>(template);
  await el.updateComplete;
  return el;
}

const close = (a: Rgb, b: Rgb) => colorDistance(a, b) < 40;

describe('<presence-avatar> in Windows high contrast', () => {
  let colours: { canvas: Rgb; text: Rgb };
  before(async () => {
    await emulateMedia({ forcedColors: 'active' });
    colours = await systemColours();
    // A theme where the two differ, or nothing below could tell visible from invisible.
    expect(colorDistance(colours.canvas, colours.text)).to.be.above(100);
  });
  after(async () => {
    await emulateMedia({ forcedColors: 'none' });
  });

  it('initials: text in CanvasText on Canvas, inside a CanvasText frame, with a badge drawn in system colours', async () => {
    const el = await avatar(
      html`<presence-avatar style="position: fixed; top: 20px; left: 20px" size=${SIZE} display-name="Adele Vance" presence="Busy"></presence-avatar>`,
    );
    const box = part(el, 'avatar').getBoundingClientRect();
    const initials = part(el, 'initials').getBoundingClientRect();
    // A grid over the initials: both the letters and the space around them must be painted, in different colours.
    const grid: Array<{ x: number; y: number }> = [];
    for (let y = initials.top + SIZE * 0.3; y < initials.bottom - SIZE * 0.3; y += 2) {
      for (let x = initials.left + SIZE * 0.2; x < initials.right - SIZE * 0.2; x += 2) grid.push({ x, y });
    }
    const painted = await pixelColors(grid);
    expect(painted.filter((c) => close(c, colours.text)).length, 'letters painted in CanvasText').to.be.above(10);
    expect(painted.filter((c) => close(c, colours.canvas)).length, 'around them, Canvas').to.be.above(10);

    // The frame: a CanvasText line just outside the circle (the pixel row above it; points are rounded), between it and the page's Canvas.
    const [frameTop, frameLeft, page] = await pixelColors([
      { x: box.left + box.width / 2, y: box.top - 1 },
      { x: box.left - 1, y: box.top + box.height / 2 },
      { x: box.left + box.width / 2, y: box.top - 6 },
    ]);
    expect(close(frameTop!, colours.text), `frame at the top: ${frameTop}`).to.equal(true);
    expect(close(frameLeft!, colours.text), `frame at the side: ${frameLeft}`).to.equal(true);
    expect(close(page!, colours.canvas)).to.equal(true);

    const badge = part(el, 'badge').getBoundingClientRect();
    const [disc] = await pixelColors([{ x: badge.left + badge.width / 2, y: badge.top + badge.height / 2 }]);
    expect(close(disc!, colours.text), `the busy dot in CanvasText: ${disc}`).to.equal(true);
  });

  it('a photo keeps its frame, and the badge stands apart from it with a Canvas ring', async () => {
    const el = await avatar(
      html`<presence-avatar style="position: fixed; top: 20px; left: 20px" size=${SIZE} display-name="Megan Bowen" photo-url=${PHOTO_DATA_URL} presence="Available"></presence-avatar>`,
    );
    const image = part<HTMLImageElement>(el, 'image');
    await waitUntil(
      () => image.classList.contains('loaded') && getComputedStyle(image).opacity === '1',
      'the photo shows',
      { timeout: 3000 },
    );
    const box = part(el, 'avatar').getBoundingClientRect();
    const badge = part(el, 'badge').getBoundingClientRect();
    const ringWidth = Math.max(1, badge.width / 12);
    const [frameTop, ringTop, disc] = await pixelColors([
      { x: box.left + box.width / 2, y: box.top - 1 },
      // The ring is drawn around the badge (a box shadow), just outside its circle.
      { x: badge.left + badge.width / 2, y: badge.top - ringWidth / 2 },
      { x: badge.left + badge.width / 2, y: badge.top + badge.height * 0.12 },
    ]);
    expect(close(frameTop!, colours.text), `frame over the photo: ${frameTop}`).to.equal(true);
    expect(close(ringTop!, colours.canvas), `the badge's ring in Canvas: ${ringTop}`).to.equal(true);
    expect(close(disc!, colours.text), `the available disc in CanvasText: ${disc}`).to.equal(true);
  });
});
