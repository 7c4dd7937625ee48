import '../../../src/define.js';
import type { PresenceAvatar, PresenceBadge } from '../../../src/index.js';

/** The element's shadow root, asserted present. */
export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

/** A part of an element's shadow DOM, asserted present. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = shadow(el).querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`${el.localName} has no part "${name}"`);
  return found;
}

export function maybePart(el: Element, name: string): Element | null {
  return shadow(el).querySelector(`[part~="${name}"]`);
}

/** The status the badge of an avatar or a badge draws, from its SVG. */
export function drawnStatus(el: PresenceAvatar | PresenceBadge): string | null {
  return shadow(el).querySelector('svg.glyph')?.getAttribute('data-status') ?? null;
}

export function drawnGlyph(el: PresenceAvatar | PresenceBadge): string | null {
  return shadow(el).querySelector('svg.glyph')?.getAttribute('data-glyph') ?? null;
}

/** A 2 x 2 PNG, as a data URL, so a photo loads without a server. */
export const PHOTO_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkYPjPwMDAxMDAwMDAAAALHwEDsdzz2wAAAABJRU5ErkJggg==';

/** Resolves on the next `type` event from `target`. */
export function nextEvent<T extends Event = CustomEvent>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as T), { once: true }));
}
