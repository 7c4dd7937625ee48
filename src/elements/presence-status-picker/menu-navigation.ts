// Focus in the picker's menu, as the WAI-ARIA menu button pattern has it
// (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/): one item focusable at a time (roving tabindex), arrows,
// Home and End move, a typed letter jumps, Enter and Space activate, Escape closes back to the button, Tab closes.
import type { ReactiveController } from 'lit';
import type { Host } from '../shared/client-controller.js';
import { movedIndex, typedIndex } from './menu-keys.js';

export interface MenuNavigationOptions {
  /** The labels of the menu's items, in order. */
  labels(): string[];
  activate(index: number): void;
  /** Closes the menu; `focusButton` puts focus back on the menu button. */
  close(focusButton: boolean): void;
}

/** Where focus goes after the next render. */
export type FocusTarget = 'item' | 'button' | 'editor';

const SELECTORS: Record<FocusTarget, (active: number) => string> = {
  item: (active) => `#item-${active}`,
  button: () => '#button',
  editor: () => '#message',
};

export class MenuNavigation implements ReactiveController {
  /** The item that has focus (or gets it when the menu opens). */
  active = 0;
  private wanted: FocusTarget | undefined;
  private typed = { text: '', at: 0 };

  constructor(
    private readonly host: Host & { renderRoot: HTMLElement | DocumentFragment },
    private readonly options: MenuNavigationOptions,
  ) {
    host.addController(this);
  }

  /** Moves focus to `target` once the host has rendered. */
  focus(target: FocusTarget): void {
    this.wanted = target;
    this.host.requestUpdate();
  }

  focusItem(index: number): void {
    this.active = index;
    this.focus('item');
  }

  hostUpdated(): void {
    const target = this.wanted;
    this.wanted = undefined;
    if (target) this.host.renderRoot.querySelector<HTMLElement>(SELECTORS[target](this.active))?.focus();
  }

  /** Which item a key on the closed menu's button opens it on, if it opens it. */
  openingKey(event: KeyboardEvent): 'first' | 'last' | 'checked' | undefined {
    const which = ({ ArrowDown: 'first', ArrowUp: 'last', Enter: 'checked', ' ': 'checked' } as const)[
      event.key as 'ArrowDown'
    ];
    if (which) event.preventDefault();
    return which;
  }

  onKey(event: KeyboardEvent): void {
    const labels = this.options.labels();
    const moved = movedIndex(event.key, this.active, labels.length);
    if (moved !== undefined) {
      event.preventDefault();
      this.focusItem(moved);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.options.activate(this.active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.options.close(true);
    } else if (event.key === 'Tab') {
      // Closed, with focus on the button at once: Tab then moves on from the button, as it would have.
      this.options.close(false);
      this.host.renderRoot.querySelector<HTMLElement>('#button')?.focus();
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const again = event.timeStamp - this.typed.at < 700;
      this.typed = { text: again ? this.typed.text + event.key : event.key, at: event.timeStamp };
      // Typing on within a word stays on the item that matches so far.
      const from = again ? this.active - 1 : this.active;
      const found = typedIndex(this.typed.text, (from + labels.length) % labels.length, labels);
      if (found !== undefined) this.focusItem(found);
    }
  }
}
