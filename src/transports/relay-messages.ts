import type { GraphPresence } from '../presence/types.js';

/** The most ids one relay message is read for. */
const MAX_IDS = 10_000;

const idList = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string').slice(0, MAX_IDS) : undefined;

/** A `presence` message: the list of presences, or why it was ignored. */
export function readPresenceMessage(message: unknown): GraphPresence[] | Error {
  if (!Array.isArray(message))
    return new Error(`The relay sent a presence message that is not a list (${typeof message}); it was ignored.`);
  return message as GraphPresence[];
}

/** A `resync` message: the ids to read again, or why it was ignored. */
export function readResyncMessage(message: unknown): string[] | Error {
  const list = idList(message) ?? [];
  if (!list.length) return new Error('The relay asked to re-read presence without a list of ids; it was ignored.');
  return list;
}

/** A `coverage` message: the ids Graph no longer covers and those it covers again, or why it was ignored. */
export function readCoverageMessage(message: unknown): { lost: string[]; regained: string[] } | Error {
  const { uncovered, covered } = (message && typeof message === 'object' ? message : {}) as {
    uncovered?: unknown;
    covered?: unknown;
  };
  const lost = idList(uncovered);
  const regained = idList(covered);
  if (!lost && !regained) return new Error('The relay sent a coverage message without lists of ids; it was ignored.');
  return { lost: lost ?? [], regained: regained ?? [] };
}

/** The longest heartbeat interval a page goes by (the relay's setting goes up to an hour). */
const MAX_HEARTBEAT_MS = 3_600_000;

/** A `heartbeat` message: the relay's interval between beats, or why it was ignored. */
export function readHeartbeatMessage(message: unknown): number | Error {
  const intervalMs = (message && typeof message === 'object' ? message : {}) as { intervalMs?: unknown };
  const value = intervalMs.intervalMs;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_HEARTBEAT_MS)
    return new Error('The relay sent a heartbeat without a usable interval; it was ignored.');
  return value;
}
