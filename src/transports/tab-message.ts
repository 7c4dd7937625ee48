import type { GraphPresence } from '../presence/types.js';

/** What the tabs of one app say to each other on the shared poller's BroadcastChannel. */
export type TabMessage =
  | { type: 'watch'; tab: string; ids: string[] }
  | { type: 'bye'; tab: string }
  | { type: 'presences'; presences: GraphPresence[]; readAt?: number }
  | { type: 'failed'; message: string; ids: string[] };

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * A message read from the channel, or undefined when it is not one of ours. Anything on the page (another copy of
 * the library, an extension, a hostile script) can post on a channel of that name: what is not well formed is
 * ignored, so it can neither throw nor make the poller read ids made of a string's letters.
 */
export function readTabMessage(data: unknown): TabMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.type === 'watch' && typeof m.tab === 'string' && isStrings(m.ids))
    return { type: 'watch', tab: m.tab, ids: m.ids };
  if (m.type === 'bye' && typeof m.tab === 'string') return { type: 'bye', tab: m.tab };
  if (m.type === 'presences' && Array.isArray(m.presences)) {
    const presences = m.presences.filter(
      (p): p is GraphPresence => typeof p === 'object' && p !== null && !Array.isArray(p),
    );
    return typeof m.readAt === 'number' && Number.isFinite(m.readAt)
      ? { type: 'presences', presences, readAt: m.readAt }
      : { type: 'presences', presences };
  }
  if (m.type === 'failed' && typeof m.message === 'string' && isStrings(m.ids))
    return { type: 'failed', message: m.message, ids: m.ids };
  return undefined;
}
