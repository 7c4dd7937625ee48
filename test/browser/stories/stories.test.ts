// The Storybook stories are the states people look at; here they are test fixtures too. Every story of every element
// is rendered as Storybook renders it (the meta's args and render, then the story's), in light and dark, left to
// right and right to left, and must upgrade, say something to assistive technology, pass axe, and send no
// presence-error unless the story shows a failure.
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../../src/define.js';
import { defineElements } from '../../../src/define.js';
import * as avatar from '../../../stories/presence-avatar.stories.js';
import * as badge from '../../../stories/presence-badge.stories.js';
import * as provider from '../../../stories/presence-provider.stories.js';
import * as signIn from '../../../stories/presence-sign-in.stories.js';
import * as list from '../../../stories/team-presence-list.stories.js';
import * as statusPicker from '../../../stories/presence-status-picker.stories.js';
import * as alerts from '../../../stories/presence-alerts.stories.js';
import * as card from '../../../stories/presence-card.stories.js';

defineElements();

type Args = Record<string, unknown>;
interface StoryLike {
  args?: Args;
  render?: (args: Args, context: unknown) => unknown;
  parameters?: { theme?: string; direction?: string };
}
interface MetaLike {
  title: string;
  args?: Args;
  render?: (args: Args, context: unknown) => unknown;
}

const modules = { avatar, badge, provider, signIn, list, statusPicker, alerts, card } as unknown as Record<
  string,
  Record<string, unknown> & { default: MetaLike }
>;

/** Stories that show a failure on purpose: their presence-error is the point. */
const showsAFailure = /broken|error|consent|fail|invalid/i;

/** Renders a story as Storybook's preview does, inside the same light/dark, ltr/rtl root. */
function renderStory(meta: MetaLike, story: StoryLike): TemplateResult {
  const args = { ...meta.args, ...story.args };
  const render = story.render ?? meta.render;
  const content = render!(args, { args, parameters: story.parameters ?? {}, globals: {} });
  const rtl = story.parameters?.direction === 'rtl';
  const dark = story.parameters?.theme === 'dark';
  return html`<div class="story-root ${dark ? 'dark' : 'light'}" lang=${rtl ? 'ar' : 'en'} dir=${rtl ? 'rtl' : 'ltr'}>${content}</div>`;
}

/** Every element of this library under `root`, through shadow roots. */
function ours(root: ParentNode): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (/^(presence-|team-presence-list)/.test(el.localName)) found.push(el);
    if (el.shadowRoot) found.push(...ours(el.shadowRoot));
  }
  return found;
}

// Stories name their pictures relative to the Storybook's static folder, which is stories/ here.
let base: HTMLBaseElement;
before(() => {
  base = document.createElement('base');
  base.href = new URL('/stories/', location.href).href;
  document.head.prepend(base);
});
after(() => base.remove());

for (const [name, module] of Object.entries(modules)) {
  const meta = module.default;
  describe(`stories: ${meta.title}`, () => {
    for (const [storyName, story] of Object.entries(module)) {
      if (storyName === 'default' || typeof story !== 'object' || story === null) continue;
      it(`${storyName} renders, upgrades, is labelled and passes axe`, async () => {
        const errors: Array<{ kind?: string; message?: string }> = [];
        const listen = (e: Event) => errors.push((e as CustomEvent).detail);
        document.addEventListener('presence-error', listen, true);
        try {
          const root = await fixture<HTMLElement>(renderStory(meta, story as StoryLike));
          const elements = ours(root);
          expect(elements.length, `${name}/${storyName} shows at least one element`).to.be.greaterThan(0);
          for (const el of elements) {
            expect(customElements.get(el.localName), `<${el.localName}> is defined`).to.not.equal(undefined);
            await (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
          }
          for (const badgeEl of elements.filter(
            (el) => el.localName === 'presence-badge' && !el.hasAttribute('decorative'),
          )) {
            const img = badgeEl.shadowRoot!.querySelector('[role="img"]');
            expect(img?.getAttribute('aria-label')?.trim(), 'a badge says its status').to.not.equal('');
          }
          await expect(root).to.be.accessible();
          if (!showsAFailure.test(storyName)) expect(errors, 'no presence-error').to.deep.equal([]);
        } finally {
          document.removeEventListener('presence-error', listen, true);
        }
      });
    }
  });
}
