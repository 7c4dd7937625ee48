/** Named avatar sizes, in pixels, as Fluent names them. */
export const AVATAR_SIZES = {
  'extra-small': 24,
  small: 32,
  medium: 40,
  large: 56,
  'extra-large': 72,
  huge: 96,
} as const;

export type AvatarSizeName = keyof typeof AVATAR_SIZES;

/** Named badge sizes, in pixels. */
export const BADGE_SIZES = {
  tiny: 8,
  'extra-small': 10,
  small: 12,
  medium: 16,
  large: 20,
  'extra-large': 28,
} as const;

export type BadgeSizeName = keyof typeof BADGE_SIZES;

/**
 * Turns a size attribute into a CSS length: a name from the table, a bare number (pixels) or any CSS length.
 * Gives `undefined` (use the default) for empty or invalid values, so a typo cannot break the layout.
 */
export function cssSize(value: unknown, names: Record<string, number>): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? `${value}px` : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text) return undefined;
  // Own names only: `constructor` or `__proto__` are not sizes, whatever every object inherits.
  const name = text.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(names, name)) return `${names[name]}px`;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) > 0 ? `${text}px` : undefined;
  if (typeof CSS !== 'undefined' && typeof CSS.supports === 'function') {
    return CSS.supports('width', text) && !/^(auto|inherit|initial|unset|revert)/i.test(text) ? text : undefined;
  }
  return undefined;
}

/**
 * Sets a size worked out by `cssSize` on `element` as a CSS property, through the CSSOM: a strict Content Security
 * Policy lets that through, where it blocks a `style` attribute. `undefined` removes it (the stylesheet's default).
 */
export function setSizeProperty(element: Element | null, property: string, value: string | undefined): void {
  const style = (element as HTMLElement | null)?.style;
  if (!style) return;
  if (value === undefined) style.removeProperty(property);
  else if (style.getPropertyValue(property) !== value) style.setProperty(property, value);
}

/**
 * CSS rules giving each named size to `property` through the host's `size` attribute, as `cssSize` reads it
 * (names in any case). They draw named sizes from the stylesheet alone: right in server-rendered HTML before any
 * script runs, and with no `style` attribute a strict Content Security Policy would block. Other sizes (numbers,
 * CSS lengths) are set by the element once it runs.
 */
export function namedSizeRules(property: string, names: Record<string, number>): string {
  return Object.entries(names)
    .map(([name, px]) => `:host([size='${name}' i]) { ${property}: ${px}px; }`)
    .join('\n');
}
