// The team list's virtual window (only the rows in view are rendered) and its keyboard: a listbox whose active
// row is named by aria-activedescendant while focus stays on the scrolling list.
import type { ReactiveController } from 'lit';
import type { Host } from '../shared/client-controller.js';
import { rowsOf, type Item, type Member } from './roster-model.js';

/** Rows rendered beyond each edge of the view, so a fast scroll shows no gap. */
export const OVERSCAN = 6;

/** The slice of items to render, `first` included and `last` excluded, for a list scrolled to `scrollTop`. */
export function windowRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = OVERSCAN,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}

/**
 * What a key does in the list, given the active row's index (-1 for none), the number of rows and the rows in a
 * page: the row to move to (the caller clamps it), `'select'` for the active row, or undefined when the key is not
 * the list's.
 */
export function keyAction(key: string, current: number, count: number, page: number): number | 'select' | undefined {
  switch (key) {
    case 'ArrowDown':
      return current + 1;
    case 'ArrowUp':
      return current < 0 ? 0 : current - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return current + page;
    case 'PageUp':
      return current - page;
    case 'Enter':
    case ' ':
      return 'select';
    default:
      return undefined;
  }
}

export interface VirtualWindowOptions {
  /** The items in their order, headers included (each takes one row). */
  items: () => readonly Item[];
  /** The scrolling element, once rendered. */
  scroller: () => HTMLElement | null;
  /** Enter, Space (and the host's clicks) choose a member. */
  select: (member: Member) => void;
}

/**
 * Keeps the scroll position, the view's height and the row height of the host's list, says which items to render,
 * and moves the active row with the keyboard, scrolling it into view. The host re-renders on every change.
 */
export class VirtualWindow implements ReactiveController {
  /** The row height until the host's styles say otherwise (`--_row`). */
  rowHeight = 48;
  private active: string | null = null;
  private scrollTop = 0;
  private viewport = 420;
  private resize: ResizeObserver | undefined;

  constructor(
    private readonly host: Host,
    private readonly options: VirtualWindowOptions,
  ) {
    host.addController(this);
  }

  /** The id of the active member (the keyboard's position, and the last chosen), or null. */
  get activeId(): string | null {
    return this.active;
  }

  set activeId(id: string | null) {
    if (id === this.active) return;
    this.active = id;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    const scroller = this.options.scroller();
    if (this.resize || !scroller || typeof ResizeObserver === 'undefined') return;
    this.resize = new ResizeObserver(() => {
      this.viewport = scroller.clientHeight || this.viewport;
      this.rowHeight = parseFloat(getComputedStyle(this.host).getPropertyValue('--_row')) || 48;
      this.host.requestUpdate();
    });
    this.resize.observe(scroller);
  }

  hostDisconnected(): void {
    this.resize?.disconnect();
    this.resize = undefined;
  }

  /** The items to render now. */
  range(): { first: number; last: number } {
    return windowRange(this.scrollTop, this.viewport, this.rowHeight, this.options.items().length);
  }

  /** Makes a row active, by its place among the rows (clamped), and scrolls it into view. */
  move(to: number): void {
    const rows = rowsOf(this.options.items());
    if (!rows.length) return;
    const row = rows[Math.max(0, Math.min(rows.length - 1, to))]!;
    this.activeId = row.member.id;
    this.reveal(row.member.id);
  }

  /** For the list's `keydown`. */
  readonly onKey = (event: KeyboardEvent): void => {
    const rows = rowsOf(this.options.items());
    const current = rows.findIndex((r) => r.member.id === this.active);
    const page = Math.max(1, Math.floor(this.viewport / this.rowHeight) - 1);
    const action = keyAction(event.key, current, rows.length, page);
    if (action === undefined) return;
    event.preventDefault();
    if (action !== 'select') this.move(action);
    else if (current >= 0) this.options.select(rows[current]!.member);
  };

  /** For the list's `scroll`. */
  readonly onScroll = (event: Event): void => {
    this.setScrollTop((event.target as HTMLElement).scrollTop);
  };

  /** For the list's `focus`: the first row becomes active when none is. */
  readonly onFocus = (): void => {
    if (!this.active) this.move(0);
  };

  /** For the filter box's `keydown`: ArrowDown goes to the list. */
  readonly onFilterKey = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    this.options.scroller()?.focus();
    if (!this.active) this.move(0);
  };

  private reveal(id: string): void {
    const at = this.options.items().findIndex((i) => i.kind === 'row' && i.member.id === id);
    const scroller = this.options.scroller();
    if (at < 0 || !scroller) return;
    const top = at * this.rowHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + this.rowHeight > scroller.scrollTop + scroller.clientHeight)
      scroller.scrollTop = top + this.rowHeight - scroller.clientHeight;
    this.setScrollTop(scroller.scrollTop);
  }

  private setScrollTop(top: number): void {
    if (top === this.scrollTop) return;
    this.scrollTop = top;
    this.host.requestUpdate();
  }
}
