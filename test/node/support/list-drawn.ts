import type { Page } from 'playwright-core';

/** Whether the team list `id` in `page` has drawn its list, once it has rendered. */
export function listDrawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate(async (id) => {
    const list = document.getElementById(id) as HTMLElement & { updateComplete: Promise<unknown> };
    await list.updateComplete;
    return Boolean(list.shadowRoot?.querySelector('[part~="list"]'));
  }, id);
}
