import type { Page } from 'playwright-core';

/** What an avatar in `page` says (its accessible name), once it has rendered. */
export function avatarLabel(page: Page, id: string): Promise<string | null | undefined> {
  return page.evaluate(async (id) => {
    const avatar = document.getElementById(id) as HTMLElement & { updateComplete: Promise<unknown> };
    await avatar.updateComplete;
    return avatar.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label');
  }, id);
}
