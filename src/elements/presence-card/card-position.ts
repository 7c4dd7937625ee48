// Where an opened card goes: next to what opened it, flipped to the other side when there is no room.

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface Placement {
  top: number;
  left: number;
  /** Which side of the anchor the card ended up on. */
  side: 'below' | 'above';
}

/** The gap between the anchor and the card, in CSS pixels. */
const GAP = 8;
/** The least distance kept from the viewport's edges. */
const MARGIN = 8;

/**
 * The card's top-left corner in viewport coordinates: below the anchor, or above it when it does not fit below
 * and fits better above; aligned with the anchor's start edge (its right edge right to left), and kept inside the
 * viewport.
 */
export function placeCard(
  anchor: Box,
  card: { width: number; height: number },
  viewport: { width: number; height: number },
  rtl = false,
): Placement {
  const below = anchor.top + anchor.height + GAP;
  const roomBelow = viewport.height - below - MARGIN;
  const roomAbove = anchor.top - GAP - MARGIN;
  const side = card.height > roomBelow && roomAbove > roomBelow ? 'above' : 'below';
  let top = side === 'below' ? below : anchor.top - GAP - card.height;
  top = Math.max(MARGIN, Math.min(top, viewport.height - MARGIN - card.height));
  let left = rtl ? anchor.left + anchor.width - card.width : anchor.left;
  left = Math.max(MARGIN, Math.min(left, viewport.width - MARGIN - card.width));
  // A card taller or wider than the viewport starts at its top or start edge.
  if (card.height + 2 * MARGIN > viewport.height) top = MARGIN;
  if (card.width + 2 * MARGIN > viewport.width) left = rtl ? viewport.width - MARGIN - card.width : MARGIN;
  return { top: Math.round(top), left: Math.round(left), side };
}

/** Whether this browser has the `popover` attribute (Chromium 114, Safari 17, Firefox 125). */
export function supportsPopover(element: HTMLElement): boolean {
  return typeof element.showPopover === 'function';
}

/** The `toggle` a popover sends when it opens or closes, for the card to send itself where there is no popover. */
export function toggleEvent(): Event {
  return new Event('toggle');
}

/**
 * Puts `card` next to `anchor` (fixed position, in the top layer with `popover`, else above the page), through the
 * CSS object model: a strict Content Security Policy allows it where it would block a `style` attribute.
 */
export function positionCard(card: HTMLElement, anchor: Element): Placement {
  const rect = anchor.getBoundingClientRect();
  const size = card.getBoundingClientRect();
  const rtl = getComputedStyle(anchor).direction === 'rtl';
  const placement = placeCard(
    rect,
    size,
    { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight },
    rtl,
  );
  card.style.setProperty('top', `${placement.top}px`);
  card.style.setProperty('left', `${placement.left}px`);
  card.dataset.side = placement.side;
  return placement;
}
