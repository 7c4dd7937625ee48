import type { GraphPresence } from '../presence/types.js';
import { GraphCallError } from './retry.js';

/** A short, printable sample of what came back, for the error message. */
function sample(body: unknown): string {
  let text: string;
  try {
    text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  } catch {
    text = Object.prototype.toString.call(body);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A 200 whose body is not what Graph sends for `call`: an error naming `code`, why, and a sample of the body. */
export function invalidAnswer(
  call: string,
  expected: string,
  code: string,
  body: unknown,
  why: string,
): GraphCallError {
  return new GraphCallError(
    `Microsoft Graph answered ${call} with something that is not ${expected} (${why}): ${sample(body)}`,
    200,
    undefined,
    code,
  );
}

const invalid = (body: unknown, why: string) =>
  invalidAnswer('a presence read', 'a list of presences', 'InvalidPresenceAnswer', body, why);

/**
 * The presences of a `getPresencesByUserId` answer: `{ value: [presence, ...] }`, each presence an object with a
 * string `id` (presence-get). A 200 of another shape (a proxy's sign-in page, a gateway's error, a single object
 * where a list belongs) is an error: read as "no presences", it would show everyone as unknown without a word.
 */
export function readPresenceAnswer(body: unknown): GraphPresence[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid(body, 'not an object');
  const value = (body as { value?: unknown }).value;
  if (!Array.isArray(value)) throw invalid(body, value === undefined ? 'no value' : 'value is not a list');
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(body, 'an item is not an object');
    if (typeof (item as { id?: unknown }).id !== 'string') throw invalid(body, 'an item has no string id');
  }
  return value as GraphPresence[];
}
