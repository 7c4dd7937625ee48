/**
 * Properties set from code can hold anything (a framework binding `null`, a number, a Symbol). Elements read
 * them through these, so that a value of the wrong type is coerced or ignored, never thrown on.
 */

/** Text: strings as they are, finite numbers and bigints as their digits, anything else null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint') return String(value);
  return null;
}

/** Text, or the empty string. */
export function textOrEmpty(value: unknown): string {
  return text(value) ?? '';
}

/** One of the allowed strings, else the fallback. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A number greater than zero, else the fallback. Numeric text counts. */
export function positive(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** For `reflect: true` properties: only text reaches the attribute; anything else removes it. */
export const reflectText = { toAttribute: (value: unknown) => text(value) };

/** For properties whose attribute the element reads itself (JSON or a word): the attribute's text, as it is. */
export const asGiven = { fromAttribute: (value: string | null) => value };
