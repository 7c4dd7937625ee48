// Who is in each group of Azure SignalR Service, as the relay told the service: one group per watched id, whose
// members are the users watching it, so one change is one REST call however many users watch it. Membership is
// brought in line with the watchers just before a send to the group: users who started watching are added, users who
// stopped are removed, and a send never goes to a group the relay has not first made right.
//
// REST API v1 (https://learn.microsoft.com/azure/azure-signalr/swagger/signalr-data-plane-rest-v1): "Add a user to
// the target group" `PUT /api/v1/hubs/{hub}/groups/{group}/users/{user}` and "Remove a user from the target group"
// `DELETE` on the same path; a user in a group receives what is sent to the group on every connection of theirs.
// Every user is added with a `ttl`, and a membership is made again before a send once half its ttl has passed, so none
// lapses while it is used. "If ttl is not set, the service preserves 100 user-group relationships per user and old
// user-group relationship are overwritten by newly added ones" (the same page); whether memberships with a ttl count
// among those 100 is not said, so a user is put in at most 100 groups, and the changes of anyone else they watch are
// sent to them alone (`notAdded`): a 101st membership could silently end an older one.
import type { RestReply } from './signalr-rest.js';

/** The REST calls membership needs: one per user added (for `ttlSeconds`) or removed. */
export type MembershipCall = (
  method: 'PUT' | 'DELETE',
  group: string,
  user: string,
  ttlSeconds?: number,
) => Promise<RestReply>;

/** What a group holds once brought in line: the users it reaches, and those the service would not add. */
export interface GroupSync {
  members: string[];
  /** Users the service did not add (network error, 429, 5xx): they are sent to one by one instead. */
  notAdded: string[];
}

const ok = (reply: RestReply) => reply.status >= 200 && reply.status < 300;

/** Membership calls under way at once, by default, over all groups. */
export const MEMBERSHIP_CALLS_AT_ONCE = 64;
/** Groups a user is put in at most, by default: the service may keep no more (see above). */
export const MAX_GROUPS_PER_USER = 100;
/** How long a user stays in a group unless added again, by default: a day. */
export const MEMBERSHIP_TTL_SECONDS = 24 * 3600;

export interface GroupMembersOptions {
  /** Membership calls under way at once (MEMBERSHIP_CALLS_AT_ONCE). */
  atOnce?: number;
  /** The ttl each user is added with (MEMBERSHIP_TTL_SECONDS). */
  ttlSeconds?: number;
  /** Groups a user is put in at most (MAX_GROUPS_PER_USER); beyond, they are sent to alone. */
  maxGroupsPerUser?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

export class GroupMembers {
  /** Per group, the users the service took as members, and when each was added. */
  private readonly joined = new Map<string, Map<string, number>>();
  /** Per user, the groups they are in or being added to. */
  private readonly groupsOf = new Map<string, number>();
  /**
   * Calls under way, and calls waiting for one to end: a relay starting with thousands of watchers makes tens of
   * thousands of memberships at its first changes, and each request made at once would be held in memory.
   */
  private running = 0;
  private readonly queue: Array<() => void> = [];

  private readonly atOnce: number;
  private readonly ttlSeconds: number;
  private readonly maxGroupsPerUser: number;
  private readonly now: () => number;

  constructor(
    private readonly call: MembershipCall,
    options: GroupMembersOptions = {},
  ) {
    this.atOnce = options.atOnce ?? MEMBERSHIP_CALLS_AT_ONCE;
    this.ttlSeconds = options.ttlSeconds ?? MEMBERSHIP_TTL_SECONDS;
    this.maxGroupsPerUser = options.maxGroupsPerUser ?? MAX_GROUPS_PER_USER;
    this.now = options.now ?? Date.now;
  }

  /** Memberships the relay holds at the service, over all groups. */
  get size(): number {
    let n = 0;
    for (const users of this.joined.values()) n += users.size;
    return n;
  }

  /**
   * Adds to `group` the users in `wanted` not in it yet and removes those no longer wanted, all at once. A user who
   * could not be removed stays a member (tried again next time); one who could not be added is in `notAdded`.
   */
  async sync(group: string, wanted: Iterable<string>): Promise<GroupSync> {
    let had = this.joined.get(group);
    const want = new Set(wanted);
    const notAdded: string[] = [];
    const calls: Array<Promise<void>> = [];
    const now = this.now();
    // Added before half the ttl has passed: still a member for at least that long.
    const fresh = now - (this.ttlSeconds * 1000) / 2;
    for (const user of want) {
      const added = had?.get(user);
      if (added !== undefined && added > fresh) continue;
      if (added === undefined) {
        // A place among the user's groups, taken now so that syncs running at once cannot give them more.
        if (this.count(user) >= this.maxGroupsPerUser) {
          notAdded.push(user);
          continue;
        }
        this.count(user, +1);
      }
      calls.push(
        this.bounded('PUT', group, user).then((reply) => {
          if (!ok(reply)) {
            // One still in the group from before is sent to there; the ttl is tried again next time.
            if (added === undefined || added <= now - this.ttlSeconds * 1000) {
              if (had?.delete(user) || added === undefined) this.count(user, -1);
              notAdded.push(user);
            }
            return;
          }
          if (!had) this.joined.set(group, (had = new Map()));
          had.set(user, now);
        }),
      );
    }
    for (const user of had?.keys() ?? [])
      if (!want.has(user))
        calls.push(
          this.bounded('DELETE', group, user).then((reply) => {
            if (ok(reply) && had!.delete(user)) this.count(user, -1);
          }),
        );
    if (calls.length) await Promise.all(calls);
    if (had && !had.size) this.joined.delete(group);
    return { members: [...(this.joined.get(group)?.keys() ?? [])], notAdded };
  }

  /** The groups `user` is in (or being added to), after adding `change`. */
  private count(user: string, change = 0): number {
    const n = (this.groupsOf.get(user) ?? 0) + change;
    if (change !== 0) {
      if (n > 0) this.groupsOf.set(user, n);
      else this.groupsOf.delete(user);
    }
    return n;
  }

  private async bounded(method: 'PUT' | 'DELETE', group: string, user: string): Promise<RestReply> {
    // A call that ends hands its place to the next one waiting, so no more than `atOnce` are ever under way.
    if (this.running < this.atOnce) this.running++;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await this.call(method, group, user, method === 'PUT' ? this.ttlSeconds : undefined);
    } catch {
      return { status: 0 };
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
