// A watch request's body, read and checked before anything changes: `{ ids, session }`, where ids are Graph user
// ids (Entra object ids) and session names one page or tab of the user. What is wrong is answered 400, naming it.
import { DEFAULT_SESSION } from './watchers.js';

/** Graph's user ids (Entra object ids): Graph refuses a presence subscription naming anything else. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A watch session's id, as a page makes it (a UUID, or any short token). */
const SESSION_ID = /^[\w.:-]{1,100}$/;

/** A request to act on (`ids` as given, duplicates included), or the 400 answer to give. */
export type WatchRequest =
  { ids: string[]; session: string } | { status: 400; body: { error: string; invalid?: string[] } };

const refused = (error: string, invalid?: string[]): WatchRequest => ({
  status: 400,
  body: { error, ...(invalid ? { invalid } : {}) },
});

/** Reads a watch request's body (an empty body is `{}`). */
export function parseWatchRequest(text: string): WatchRequest {
  let parsed: { ids?: unknown; session?: unknown };
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    return refused('the body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object') return refused('the body must be {"ids": [...], "session": "..."}');
  if (!Array.isArray(parsed.ids) || parsed.ids.some((id) => typeof id !== 'string'))
    return refused('ids must be an array of strings');
  if (parsed.session !== undefined && (typeof parsed.session !== 'string' || !SESSION_ID.test(parsed.session))) {
    return refused('session must be a string of 1 to 100 letters, digits, "-", "_", ".", ":"');
  }
  const ids = parsed.ids as string[];
  // Refused whole, with nothing changed: Graph would refuse a subscription naming such an id, and the browser's
  // client only ever sends object ids (it resolves other keys first), so one here is a caller's mistake.
  const invalid = [...new Set(ids)].filter((id) => !USER_ID.test(id));
  if (invalid.length) {
    const named = invalid
      .slice(0, 10)
      .map((id) => JSON.stringify(id.slice(0, 80)))
      .join(', ');
    const more = invalid.length > 10 ? ` and ${invalid.length - 10} more` : '';
    return refused(`ids must be user object ids (GUIDs); these are not: ${named}${more}`, invalid.slice(0, 100));
  }
  return { ids, session: (parsed.session as string | undefined) ?? DEFAULT_SESSION };
}
