// How much the relay watches for whom. Subscriptions are scarce (650 ids per signed-in owner) and every watched id
// is kept in memory and in the store, so a user's sessions together watch at most `idsPerUser` distinct ids and the
// tenant at most `idsPerTenant`. Ids someone already watches cost the tenant nothing, and ids the user already
// watches in another session cost the user nothing. What does not fit is answered as uncovered (the page polls it)
// and never stored, in the order the page gave its ids (its first ones are what it shows first).
import type { Watchers } from './watchers.js';

export interface WatchQuotas {
  /** Distinct ids one user's sessions watch together. Default 5,000 (`RELAY_MAX_IDS_PER_USER`). */
  idsPerUser?: number;
  /** Distinct ids watched in the tenant. Default 50,000 (`RELAY_MAX_IDS_PER_TENANT`). */
  idsPerTenant?: number;
}

export const DEFAULT_QUOTAS: Required<WatchQuotas> = { idsPerUser: 5_000, idsPerTenant: 50_000 };

/**
 * The ids of `requested` (distinct, in order) that one session of a user may watch, and the ones over a quota.
 * Call it with the watchers as they are before the session's list is replaced.
 */
export function admit(
  watchers: Watchers,
  userId: string,
  session: string,
  requested: string[],
  quotas: WatchQuotas = {},
): { admitted: string[]; refused: string[] } {
  const { idsPerUser, idsPerTenant } = { ...DEFAULT_QUOTAS, ...quotas };
  const sessions = watchers.sessionsOf(userId);
  const previous = new Set(sessions[session]?.ids ?? []);
  const elsewhere = new Set(Object.entries(sessions).flatMap(([name, s]) => (name === session ? [] : s.ids)));
  const wanted = [...new Set(requested)];
  const keeps = new Set(wanted);
  // Ids only this session watches, and dropped by this request, free their place in the tenant.
  let freed = 0;
  for (const id of previous) {
    if (keeps.has(id) || elsewhere.has(id)) continue;
    const others = [...watchers.watchersOf(id)].filter((u) => u !== userId);
    if (!others.length) freed++;
  }
  let userRoom = idsPerUser - elsewhere.size;
  let tenantRoom = idsPerTenant - watchers.ids().length + freed;
  const admitted: string[] = [];
  const refused: string[] = [];
  for (const id of wanted) {
    if (elsewhere.has(id)) {
      admitted.push(id);
      continue;
    }
    const watchedAlready = previous.has(id) || watchers.isWatched(id);
    if (userRoom <= 0 || (!watchedAlready && tenantRoom <= 0)) {
      refused.push(id);
      continue;
    }
    userRoom--;
    if (!watchedAlready) tenantRoom--;
    admitted.push(id);
  }
  return { admitted, refused };
}

/**
 * Every watched id, those more users watch first (then by id, so the order is stable): the order in which the
 * keeper covers them, so that when owners run short it is the ids fewest people look at that stay uncovered.
 */
export function byDemand(watchers: Watchers): string[] {
  const demand = new Map(watchers.ids().map((id) => [id, [...watchers.watchersOf(id)].length]));
  return [...demand.keys()].sort((x, y) => demand.get(y)! - demand.get(x)! || (x < y ? -1 : x > y ? 1 : 0));
}
