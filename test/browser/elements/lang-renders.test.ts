import { expect, fixture, html } from '@open-wc/testing';
import { PresenceAvatar } from '../../../src/index.js';
import '../../../src/define.js';
import { part } from '../support/fixtures.js';

/** An avatar that counts its renders. */
class CountedAvatar extends PresenceAvatar {
  renders = 0;
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed as never);
    this.renders++;
  }
}
customElements.define('counted-avatar', CountedAvatar);

const PER_GROUP = 100;
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
/** Two frames: whatever a language change scheduled has rendered by then. */
const settle = async () => {
  await frame();
  await frame();
};

async function page() {
  const root = await fixture(html`<div>
    <section id="a" lang="en">${Array.from({ length: PER_GROUP }, () => html`<counted-avatar display-name="Lee Gu" presence="Busy"></counted-avatar>`)}</section>
    <section id="b" lang="de">${Array.from({ length: PER_GROUP }, () => html`<counted-avatar display-name="Lee Gu" presence="Busy"></counted-avatar>`)}</section>
    <p id="elsewhere" lang="en">No avatars here.</p>
  </div>`);
  const a = root.querySelector<HTMLElement>('#a')!;
  const b = root.querySelector<HTMLElement>('#b')!;
  const avatars = (section: HTMLElement) => [...section.querySelectorAll<CountedAvatar>('counted-avatar')];
  await Promise.all([...avatars(a), ...avatars(b)].map((el) => el.updateComplete));
  await settle();
  const reset = () => [...avatars(a), ...avatars(b)].forEach((el) => (el.renders = 0));
  const renders = (section: HTMLElement) => avatars(section).reduce((sum, el) => sum + el.renders, 0);
  reset();
  return { root, a, b, avatars, renders, reset };
}

describe('lang changes re-render only the elements whose language changed', () => {
  it('a lang change where no element is re-renders nothing', async () => {
    const { root, a, b, renders } = await page();
    const elsewhere = root.querySelector<HTMLElement>('#elsewhere')!;
    for (let i = 0; i < 2000; i++) elsewhere.lang = i % 2 ? 'fr' : 'de';
    await settle();
    expect(renders(a) + renders(b)).to.equal(0);
  });

  it('a section changing language re-renders its avatars once, in the new language, and not the others', async () => {
    const { a, b, avatars, renders } = await page();
    a.lang = 'fr';
    await settle();
    expect(renders(a)).to.equal(PER_GROUP);
    expect(renders(b)).to.equal(0);
    expect(part(avatars(a)[0]!, 'base').getAttribute('aria-label')).to.equal('Lee Gu, Occupé');
  });

  it('2,000 changes in one frame cost at most one render per avatar', async () => {
    const { a, b, renders } = await page();
    for (let i = 0; i < 2000; i++) a.lang = i % 2 ? 'fr' : 'ar';
    await settle();
    expect(renders(a)).to.be.at.most(PER_GROUP);
    expect(renders(b)).to.equal(0);
  });

  it('changes in many tasks cost each avatar at most one render per frame', async () => {
    const { a, avatars } = await page();
    let frames = 0;
    let counting = true;
    const count = () => {
      if (!counting) return;
      frames++;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    for (let i = 0; i < 200; i++) {
      a.lang = ['fr', 'de', 'ar', 'he'][i % 4]!;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await settle();
    counting = false;
    const most = Math.max(...avatars(a).map((el) => el.renders));
    expect(most).to.be.at.least(1);
    expect(most).to.be.at.most(frames);
  });

  it('changes that end where they began re-render nothing', async () => {
    const { a, b, renders } = await page();
    for (let i = 0; i < 2000; i++) a.lang = i % 2 ? 'en' : 'fr';
    await settle();
    expect(renders(a) + renders(b)).to.equal(0);
  });

  it('the document changing language leaves sections with a lang of their own alone', async () => {
    const { a, b, renders } = await page();
    const before = document.documentElement.lang;
    try {
      document.documentElement.lang = 'he';
      await settle();
      expect(renders(a) + renders(b)).to.equal(0);
    } finally {
      document.documentElement.lang = before;
    }
  });
});

describe('an element moved under another language', () => {
  it('renders in the language of its new place', async () => {
    const root = await fixture(
      html`<div><section id="de" lang="de"><presence-badge status="busy"></presence-badge></section><section id="fr" lang="fr"></section></div>`,
    );
    const badge = root.querySelector('presence-badge')!;
    await badge.updateComplete;
    expect(part(badge, 'base').getAttribute('aria-label')).to.equal('Beschäftigt');
    root.querySelector('#fr')!.append(badge);
    await settle();
    await badge.updateComplete;
    expect(part(badge, 'base').getAttribute('aria-label')).to.equal('Occupé');
  });
});
