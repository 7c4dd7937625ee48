// Locales other than English loaded on demand, as the autoloader's chunks use them: this file imports neither the
// package's entry nor `define` (which register every locale at once), only the registry and the elements' own
// define modules.
import { expect } from '@open-wc/testing';
import '../../../src/define/presence-avatar.js';
import type { PresenceAvatar } from '../../../src/elements/presence-avatar/presence-avatar.js';
import {
  localeReady,
  messagesFor,
  onLocalesChanged,
  registerLocale,
  registeredLocales,
} from '../../../src/presence/i18n.js';

/** An avatar put in a section of the given language, with every label its base ever had, first render included. */
function avatarIn(lang: string): { avatar: PresenceAvatar; section: HTMLElement; labels: string[] } {
  const section = document.createElement('section');
  section.lang = lang;
  const avatar = document.createElement('presence-avatar');
  avatar.setAttribute('display-name', 'Adele Vance');
  avatar.setAttribute('presence', '{"availability":"Busy","activity":"InACall"}');
  section.append(avatar);
  document.body.append(section);
  const labels: string[] = [];
  // The shadow root exists from the moment the avatar is connected; its first render comes later.
  new MutationObserver(() => {
    const label = avatar.shadowRoot!.querySelector('[part~="base"]')?.getAttribute('aria-label');
    if (label && labels.at(-1) !== label) labels.push(label);
  }).observe(avatar.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
  return { avatar, section, labels };
}

describe('locales loaded on demand', () => {
  afterEach(() => {
    for (const section of document.querySelectorAll('section')) section.remove();
  });

  it('lists the built-in locales before they are loaded, and answers in English until one arrives', async () => {
    expect(registeredLocales()).to.include.members(['en', 'fr', 'de', 'ar', 'he']);
    expect(messagesFor('de-AT').locale).to.equal('en');
    let told = 0;
    const stop = onLocalesChanged(() => told++);
    await localeReady('de-AT');
    stop();
    expect(told).to.be.greaterThan(0);
    expect(messagesFor('de-AT').locale).to.equal('de');
    expect(messagesFor('de').availability.Busy).to.equal('Beschäftigt');
    expect(localeReady('de')).to.equal(undefined, 'nothing left to wait for');
  });

  it('never replaces a locale the page registered itself', async () => {
    registerLocale({ locale: 'fr', availability: { Busy: 'Pris' } });
    expect(localeReady('fr')).to.equal(undefined);
    expect(messagesFor('fr').availability.Busy).to.equal('Pris');
  });

  it('an avatar in Arabic renders in Arabic first, never in English', async () => {
    const { avatar, labels } = avatarIn('ar');
    await avatar.updateComplete;
    expect(labels).to.deep.equal(['Adele Vance، مشغول، في مكالمة']);
  });

  it('an avatar moved to a language not loaded yet waits for its words, then shows them', async () => {
    const { avatar, section, labels } = avatarIn('en');
    await avatar.updateComplete;
    section.lang = 'he';
    await new Promise<void>((resolve) => {
      const stop = onLocalesChanged(() => {
        stop();
        resolve();
      });
    });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await avatar.updateComplete;
    expect(labels[0]).to.equal('Adele Vance, Busy, In a call');
    expect(avatar.shadowRoot!.querySelector('[part~="base"]')?.getAttribute('aria-label')).to.equal(
      `Adele Vance, ${messagesFor('he').availability.Busy}, ${messagesFor('he').activity.InACall}`,
    );
    expect(messagesFor('he').locale).to.equal('he');
  });
});
