// The team list's model on its own, in Node: no DOM, no Lit, no browser. What the list shows, in which order,
// under which header, for which filter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '../../../src/client/types.js';
import type { Presence } from '../../../src/presence/types.js';
import {
  addProfiles,
  buildItems,
  headersOf,
  memberDetail,
  nameMember,
  parseUserIds,
  rowsOf,
  sortMembers,
  updateMember,
  type Item,
  type Member,
} from '../../../src/elements/team-presence-list/roster-model.js';

const presence = (availability: string, extra: Partial<Presence> = {}): Presence =>
  ({ availability, activity: availability, isOutOfOffice: false, ...extra }) as Presence;

/** Members from [id, name, availability or undefined for none yet, mail?]. */
function roster(entries: Array<[string, string | null, string | undefined, string?]>): Member[] {
  const members: Member[] = [];
  addProfiles(
    members,
    entries.map(([id, displayName, , mail]) => ({ id, displayName, ...(mail ? { mail } : {}) })),
  );
  entries.forEach(([, , availability], n) => availability && updateMember(members[n]!, presence(availability)));
  return members;
}

const ids = (items: Item[]) => rowsOf(items).map((r) => r.member.id);
const names = (items: Item[]) => rowsOf(items).map((r) => r.member.profile.displayName);
const headers = (items: Item[]) => headersOf(items).map((h) => `${h.group} ${h.count}`);
const sorted = (members: Member[]) => (sortMembers(members), members);

test('sorts by availability in Teams order, then by name ignoring case and accents, unknown presence last', () => {
  const members = sorted(
    roster([
      ['1', 'Zoë Adams', 'Busy'],
      ['2', 'adele vance', 'Available'],
      ['3', 'Émile Bernard', 'Offline'],
      ['4', 'Lee Gu', 'Available'],
      ['5', 'Megan Bowen', 'DoNotDisturb'],
      ['6', 'Alex Wilber', 'Away'],
      ['7', 'Bianca Pisani', undefined],
      ['8', 'Eric Idle', 'AvailableIdle'],
      ['9', 'Brb Person', 'BeRightBack'],
      ['10', 'Ebb Tide', 'BusyIdle'],
      ['11', 'Emile Alpha', 'Offline'],
    ]),
  );
  assert.deepEqual(
    members.map((m) => m.profile.displayName),
    [
      'adele vance',
      'Lee Gu',
      'Eric Idle',
      'Zoë Adams',
      'Ebb Tide',
      'Megan Bowen',
      'Brb Person',
      'Alex Wilber',
      'Emile Alpha',
      'Émile Bernard',
      'Bianca Pisani',
    ],
  );
});

test('the order is stable and total: same names fall back to the id, whatever order the members came in', () => {
  const entries: Array<[string, string | null, string | undefined]> = [
    ['c', 'Sam Lee', 'Available'],
    ['a', 'Sam Lee', 'Available'],
    ['b', 'sam lee', 'Available'],
    ['d', 'Sàm Lee', 'Available'],
    ['e', null, 'Available'],
  ];
  const expected = ids(buildItems(sorted(roster(entries)), ''));
  assert.deepEqual(expected.slice(1), ['a', 'b', 'c', 'd'], 'the nameless first, then one name by id');
  for (const order of [
    [4, 3, 2, 1, 0],
    [2, 0, 4, 1, 3],
    [1, 4, 0, 3, 2],
  ]) {
    assert.deepEqual(ids(buildItems(sorted(roster(order.map((n) => entries[n]!))), '')), expected);
  }
  const members = sorted(roster(entries));
  const before = members.map((m) => m.id);
  assert.deepEqual(
    sorted(members).map((m) => m.id),
    before,
    'sorting again moves nothing',
  );
});

test('groups in a fixed order with counts; empty groups have no header; rows are numbered across groups', () => {
  const members = sorted(
    roster([
      ['1', 'A', 'Offline'],
      ['2', 'B', 'Available'],
      ['3', 'C', 'Busy'],
      ['4', 'D', 'Available'],
      ['5', 'E', undefined],
      ['6', 'F', 'BeRightBack'],
    ]),
  );
  updateMember(
    members.find((m) => m.id === '1')!,
    presence('Offline', { isOutOfOffice: true }),
  );
  sortMembers(members);
  const items = buildItems(members, '');
  assert.deepEqual(headers(items), ['available 2', 'busy 1', 'away 1', 'out-of-office 1', 'unknown 1']);
  assert.deepEqual(
    items.map((i) => (i.kind === 'header' ? i.group : i.member.id)),
    ['available', '2', '4', 'busy', '3', 'away', '6', 'out-of-office', '1', 'unknown', '5'],
  );
  assert.deepEqual(
    rowsOf(items).map((r) => r.index),
    [0, 1, 2, 3, 4, 5],
  );
  assert.deepEqual(buildItems([], ''), []);
});

test('filters by name or mail, ignoring case, accents and the spaces around it, and counts what is left', () => {
  const members = sorted(
    roster([
      ['1', 'Émile Bernard', 'Available', 'emile@contoso.com'],
      ['2', 'Adele Vance', 'Busy', 'AdeleV@contoso.com'],
      ['3', 'Lee Gu', 'Busy', 'lee@fabrikam.com'],
    ]),
  );
  assert.deepEqual(names(buildItems(members, 'EMILE')), ['Émile Bernard']);
  assert.deepEqual(names(buildItems(members, '  émile ')), ['Émile Bernard']);
  assert.deepEqual(names(buildItems(members, 'adelev@')), ['Adele Vance']);
  assert.deepEqual(headers(buildItems(members, 'contoso')), ['available 1', 'busy 1']);
  assert.deepEqual(
    rowsOf(buildItems(members, 'fabrikam')).map((r) => r.index),
    [0],
    'numbered among the rows shown',
  );
  assert.deepEqual(buildItems(members, 'nobody'), []);
});

test('a filter that is not text filters nothing, and never throws', () => {
  const members = sorted(
    roster([
      ['1', 'Adele Vance', 'Available'],
      ['2', 'Lee Gu', 'Busy'],
    ]),
  );
  for (const hostile of [null, undefined, 42, {}, [], Symbol('x'), () => 'Lee', { toString: () => 'Lee' }]) {
    assert.deepEqual(ids(buildItems(members, hostile)), ['1', '2'], String(typeof hostile));
  }
  for (const blank of ['', '   ', '\u0301'])
    assert.deepEqual(ids(buildItems(members, blank)), ['1', '2'], JSON.stringify(blank));
});

test('odd Unicode: decomposed accents, emoji, right-to-left scripts and regular-expression characters match as text', () => {
  const members = sorted(
    roster([
      ['1', 'Zoe\u0308 Adams', 'Available'], // ë as e + combining diaeresis
      ['2', '🦄 Unicorn Team', 'Available'],
      ['3', 'أحمد علي', 'Available'],
      ['4', 'Dr. (Who) *', 'Available'],
      ['5', 'İlkay Şen', 'Available'],
      ['6', 'Ｆｕｌｌ Ｗｉｄｔｈ', 'Available'],
    ]),
  );
  assert.deepEqual(ids(buildItems(members, 'zoë')), ['1']);
  assert.deepEqual(ids(buildItems(members, 'zoe')), ['1']);
  assert.deepEqual(ids(buildItems(members, '🦄')), ['2']);
  assert.deepEqual(ids(buildItems(members, 'علي')), ['3']);
  assert.deepEqual(ids(buildItems(members, '(who) *')), ['4']);
  assert.deepEqual(ids(buildItems(members, '.*')), [], 'no pattern matching');
  assert.deepEqual(ids(buildItems(members, 'şen')), ['5']);
  assert.deepEqual(ids(buildItems(members, 'ｗｉｄｔｈ')), ['6']);
});

test('names that are missing or not text sort and filter without throwing', () => {
  const members: Member[] = [];
  addProfiles(members, [
    { id: 'x', displayName: 42 as never },
    { id: 'y', displayName: null },
    { id: 'z', displayName: 'Zed' },
  ] as Profile[]);
  sortMembers(members);
  assert.deepEqual(ids(buildItems(members, '')), ['x', 'y', 'z']);
  assert.deepEqual(ids(buildItems(members, 'zed')), ['z']);
});

test('an availability outside the vocabulary ranks and groups as unknown, even one named like an object member', () => {
  const members = roster([
    ['1', 'A', undefined],
    ['2', 'B', 'Available'],
    ['3', 'C', undefined],
    ['4', 'D', undefined],
  ]);
  updateMember(members[0]!, presence('constructor'));
  updateMember(members[2]!, presence('__proto__'));
  updateMember(members[3]!, presence('SomethingNew'));
  sortMembers(members);
  assert.deepEqual(
    members.map((m) => [m.id, m.group, m.rank]),
    [
      ['2', 'available', 0],
      ['1', 'unknown', 8],
      ['3', 'unknown', 8],
      ['4', 'unknown', 8],
    ],
  );
});

test('pages add each member once; a name that arrives later is taken once and moves the member', () => {
  const members: Member[] = [];
  assert.deepEqual(
    addProfiles(members, [
      { id: 'a', displayName: null },
      { id: 'b', displayName: 'Bea' },
      { id: 'a', displayName: 'Again' },
    ]).map((m) => m.id),
    ['a', 'b'],
  );
  assert.deepEqual(
    addProfiles(members, [
      { id: 'b', displayName: 'Bea' },
      { id: 'c', displayName: 'Cy' },
    ]).map((m) => m.id),
    ['c'],
  );
  assert.deepEqual(
    members.map((m) => m.id),
    ['a', 'b', 'c'],
  );
  assert.equal(nameMember(members[0]!, { id: 'a', displayName: 'Zack' }), true);
  assert.equal(nameMember(members[0]!, { id: 'a', displayName: 'Other' }), false, 'a name once known stays');
  sortMembers(members);
  assert.deepEqual(
    members.map((m) => m.profile.displayName),
    ['Bea', 'Cy', 'Zack'],
  );
});

test('user-ids separate by commas, semicolons and white space', () => {
  assert.deepEqual(parseUserIds(' a, b;c\n d\t,,e '), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(parseUserIds(' ,; '), []);
});

test('event details carry the member, and the availability before for presence-available', () => {
  const [member] = roster([['1', 'Adele', 'Available']]);
  assert.deepEqual(memberDetail(member!), {
    userId: '1',
    displayName: 'Adele',
    availability: 'Available',
    activity: 'Available',
  });
  assert.deepEqual(memberDetail(member!, 'Away'), {
    userId: '1',
    displayName: 'Adele',
    availability: 'Available',
    activity: 'Available',
    previousAvailability: 'Away',
  });
  const [unknown] = roster([['2', null, undefined]]);
  assert.deepEqual(memberDetail(unknown!), {
    userId: '2',
    displayName: null,
    availability: 'PresenceUnknown',
    activity: 'PresenceUnknown',
  });
});
