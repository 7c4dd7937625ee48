/**
 * Graph's `sequenceNumber`: "the lexicographically sortable string stamp that represents the version of a presence
 * object" (presence resource type). It orders updates only when it looks like one: 1 to 64 hexadecimal digits
 * (Graph's are digits and hex letters, the emulator's 22 digits). Anything else (`NaN`, `~~~~`, a lone `\uffff`,
 * a number, 200 zeros) would sort above or below every real stamp and freeze the person it came with, so it is
 * not kept: that presence is applied as unordered.
 */
const SEQUENCE = /^[0-9A-Fa-f]{1,64}$/;

/** The sequence number to order by (trimmed), or undefined when there is none or it is not one. */
export function sequenceNumberOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return SEQUENCE.test(trimmed) ? trimmed : undefined;
}

/**
 * How `next` stands to `current`: `newer`, `same` or `older`; `unordered` when either is missing or invalid.
 * Compared as Graph documents it, lexicographically, letters in either case being the same digit.
 */
export function compareSequence(next: unknown, current: unknown): 'newer' | 'same' | 'older' | 'unordered' {
  const a = sequenceNumberOf(next)?.toUpperCase();
  const b = sequenceNumberOf(current)?.toUpperCase();
  if (a === undefined || b === undefined) return 'unordered';
  return a === b ? 'same' : a > b ? 'newer' : 'older';
}
