// The members of a team list as a model: sorting, grouping and filtering over plain data, with no DOM and no Lit.
import type { Profile } from '../../client/types.js';
import { badgeFor } from '../../presence/status.js';
import type { BadgeStatus, Presence } from '../../presence/types.js';
import type { Availability } from '../../presence/values.js';

import type { MemberEventDetail } from '../../events/member-detail.js';

export type { MemberEventDetail };

/** A member, with what sorting and grouping need worked out once per change rather than once per comparison. */
export interface Member {
  id: string;
  profile: Profile;
  presence?: Presence;
  sortName: string;
  rank: number;
  group: BadgeStatus;
}
export type Header = { kind: 'header'; group: BadgeStatus; count: number };
export type Row = { kind: 'row'; member: Member; index: number };
export type Item = Header | Row;

const GROUP_ORDER: BadgeStatus[] = [
  'available',
  'busy',
  'do-not-disturb',
  'away',
  'out-of-office',
  'offline',
  'unknown',
];
const AVAILABILITY_RANK: Record<Availability, number> = {
  Available: 0,
  AvailableIdle: 1,
  Busy: 2,
  BusyIdle: 3,
  DoNotDisturb: 4,
  BeRightBack: 5,
  Away: 6,
  Offline: 7,
  PresenceUnknown: 8,
};
const UNKNOWN_RANK = AVAILABILITY_RANK.PresenceUnknown;
/** One collator for every comparison: much faster than `localeCompare`, which sets one up on each call. */
const collator = new Intl.Collator();

/** Lower case without accents, for sorting and filtering: "Émile" is found by "emile". Anything but text is "". */
export function fold(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase();
}

/** A member as first listed: no presence yet, among the unknown. */
export function newMember(profile: Profile): Member {
  return { id: profile.id, profile, sortName: fold(profile.displayName ?? ''), rank: UNKNOWN_RANK, group: 'unknown' };
}

/**
 * Adds the members of a page of profiles to `members`, skipping ids already there (a page may repeat one, or a
 * list of ids name someone twice). Returns the members added, in the page's order.
 */
export function addProfiles(members: Member[], profiles: readonly Profile[]): Member[] {
  const known = new Set(members.map((m) => m.id));
  const added: Member[] = [];
  for (const profile of profiles) {
    if (known.has(profile.id)) continue;
    known.add(profile.id);
    const member = newMember(profile);
    members.push(member);
    added.push(member);
  }
  return added;
}

/** The ids of a `user-ids` attribute: separated by commas, semicolons or white space. */
export function parseUserIds(list: string): string[] {
  return list.split(/[\s,;]+/).filter(Boolean);
}

/** Gives a member the name that arrived later; true when it had none (its place in the list changes). */
export function nameMember(member: Member, profile: Profile): boolean {
  if (!profile.displayName || member.profile.displayName) return false;
  member.profile = profile;
  member.sortName = fold(profile.displayName);
  return true;
}

/** Gives a member a new presence, and with it its rank and group. */
export function updateMember(member: Member, presence: Presence): void {
  member.presence = presence;
  // Own keys only: an availability named "constructor" or "__proto__" must not rank by Object.prototype's members.
  member.rank = Object.prototype.hasOwnProperty.call(AVAILABILITY_RANK, presence.availability)
    ? AVAILABILITY_RANK[presence.availability]
    : UNKNOWN_RANK;
  member.group = badgeFor(presence).status;
}

/** Sorts in place: by availability, then name, then id, so the order is the same on every machine. */
export function sortMembers(members: Member[]): void {
  members.sort(
    (a, b) => a.rank - b.rank || collator.compare(a.sortName, b.sortName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * The list's items: each group's header then its members, those matching `filterText` (name or mail) only. A
 * filter that is not text (a framework binding null, say) filters nothing.
 */
export function buildItems(members: readonly Member[], filterText: unknown): Item[] {
  const filter = fold(typeof filterText === 'string' ? filterText.trim() : '');
  const visible = filter
    ? members.filter((m) => m.sortName.includes(filter) || fold(m.profile.mail ?? '').includes(filter))
    : members;
  const groups = new Map<BadgeStatus, Member[]>();
  for (const member of visible) {
    let list = groups.get(member.group);
    if (!list) groups.set(member.group, (list = []));
    list.push(member);
  }
  const items: Item[] = [];
  let index = 0;
  for (const group of GROUP_ORDER) {
    const list = groups.get(group);
    if (!list?.length) continue;
    items.push({ kind: 'header', group, count: list.length });
    for (const member of list) items.push({ kind: 'row', member, index: index++ });
  }
  return items;
}

/** The rows among the items, in order. */
export function rowsOf(items: readonly Item[]): Row[] {
  return items.filter((i): i is Row => i.kind === 'row');
}

/** The group headers among the items, in order. */
export function headersOf(items: readonly Item[]): Header[] {
  return items.filter((i): i is Header => i.kind === 'header');
}

/** The detail of a member's event. */
export function memberDetail(member: Member, previous?: Availability): MemberEventDetail {
  const detail: MemberEventDetail = {
    userId: member.id,
    displayName: member.profile.displayName,
    availability: member.presence?.availability ?? 'PresenceUnknown',
    activity: member.presence?.activity ?? 'PresenceUnknown',
  };
  if (previous) detail.previousAvailability = previous;
  return detail;
}
