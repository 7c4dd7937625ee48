// The autoloader as a bundler imports it (`presence-elements/autoloader`, the sources as tsc compiles them): the
// avatar and the badge are defined from their classes, each the first time it appears, and a tag the page defined
// itself is left alone. (The script-tag build is tested in Chromium by test/node/autoloader.test.ts.)
import { expect } from '@open-wc/testing';
import { loadElement } from '../../../src/autoloader.js';

afterEach(() => {
  document.body.replaceChildren();
});

describe('the autoloader, from the sources', () => {
  it('defines the avatar when one first appears, and it renders', async () => {
    expect(customElements.get('presence-avatar')).to.equal(undefined);
    const avatar = document.createElement('presence-avatar') as HTMLElement & { updateComplete: Promise<unknown> };
    avatar.setAttribute('display-name', 'Adele Vance');
    avatar.setAttribute('presence', 'Busy');
    document.body.append(avatar);
    await customElements.whenDefined('presence-avatar');
    await avatar.updateComplete;
    expect(avatar.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label')).to.equal(
      'Adele Vance, Busy',
    );
  });

  it('leaves a badge the page defined itself alone, and loadElement resolves all the same', async () => {
    class PagesBadge extends HTMLElement {}
    customElements.define('presence-badge', PagesBadge);
    await loadElement('presence-badge');
    expect(customElements.get('presence-badge')).to.equal(PagesBadge);
  });
});
