// The fake tenant: users, photos, teams and presence, all made from a seed so every run sees the same directory.
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { HOSTILE_NAMES, NAME_POOLS } from './names.js';
import { largestPhotoSize } from './photos.js';
import { Random } from './random.js';

export interface TenantUser {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string;
  jobTitle: string | null;
  hasPhoto: boolean;
  /** The edge of the largest size the photo is kept in (see photos.ts); null without a photo. */
  photoSize: number | null;
}

export interface TenantTeam {
  id: string;
  displayName: string;
  description: string;
  /** The people in the team. */
  memberIds: string[];
  /**
   * Members of the team's group that are not people, as Entra ID groups may hold (a nested group, a device): listed
   * among the group's members (https://learn.microsoft.com/graph/api/group-list-members), never among the team's.
   */
  otherMembers: DirectoryMember[];
}

export interface DirectoryMember {
  id: string;
  type: 'group' | 'device';
  displayName: string;
}

/** A presence as Graph returns it. */
export interface PresenceRecord {
  id: string;
  availability: string;
  activity: string;
  statusMessage: null | {
    message: { content: string; contentType: 'text' | 'html' };
    expiryDateTime: { dateTime: string; timeZone: string } | null;
    publishedDateTime: string;
  };
  outOfOfficeSettings: { message: string | null; isOutOfOffice: boolean };
  sequenceNumber: string;
  workLocation: { workLocationType: string; source: string; placeId: string | null } | null;
}

export interface TenantOptions {
  /** Everything follows from it. Default `presence-elements`. */
  seed?: string;
  /** How many users. Default 10,000 (the largest team). */
  userCount?: number;
  /** The sizes of the teams made. Default 5, 50, 650, 2,000 and 10,000. */
  teamSizes?: number[];
  /** The tenant id (a GUID). Default derived from the seed. */
  tenantId?: string;
  /** The domain of user principal names. Default `contoso.example`. */
  domain?: string;
}

export const DEFAULT_TEAM_SIZES = [5, 50, 650, 2_000, 10_000];

const JOB_TITLES = [
  'Product Manager',
  'Engineer',
  'Designer',
  'Sales Lead',
  'Support Engineer',
  'Researcher',
  'Marketing Manager',
  'Finance Analyst',
  null,
];
const STATUS_MESSAGES = [
  'Heads down on the quarterly report',
  'Working from the Paris office this week',
  'Back at 14:00',
  '<p>On <b>parental leave</b> until March &amp; not checking mail</p>',
  'Ask me about the migration 🚀',
  'في اجتماع حتى الظهر',
  '本日は在宅勤務です',
];

function asciiOf(text: string, rng: Random): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  return plain || `user${rng.int(1_000_000)}`;
}

/** A lexicographically sortable sequence number that keeps growing across restarts. */
export class SequenceSource {
  private counter = BigInt(Date.now()) * 1000n;
  next(): string {
    this.counter += 1n;
    return this.counter.toString().padStart(22, '0');
  }
}

export class Tenant extends EventEmitter {
  readonly id: string;
  readonly domain: string;
  readonly seed: string;
  readonly users: TenantUser[] = [];
  readonly teams: TenantTeam[] = [];
  private readonly byId = new Map<string, TenantUser>();
  private readonly byUpn = new Map<string, TenantUser>();
  private readonly teamById = new Map<string, TenantTeam>();
  private readonly presence = new Map<string, PresenceRecord>();
  /** The Teams clients' state of users whose shown presence a layer builds from more (see presence-sessions.ts). */
  private readonly bases = new Map<string, PresenceState>();
  private layer: PresenceLayer | undefined;
  readonly sequence = new SequenceSource();

  constructor(options: TenantOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.seed = options.seed ?? 'presence-elements';
    this.domain = options.domain ?? 'contoso.example';
    const rng = new Random(this.seed);
    this.id = options.tenantId ?? rng.guid();
    const teamSizes = options.teamSizes ?? DEFAULT_TEAM_SIZES;
    const userCount = options.userCount ?? Math.max(10_000, ...teamSizes);
    this.makeUsers(rng, userCount);
    this.makeTeams(rng, teamSizes);
    for (const user of this.users) this.presence.set(user.id, this.initialPresence(rng, user));
  }

  private addUser(user: TenantUser): void {
    this.users.push(user);
    this.byId.set(user.id, user);
    this.byUpn.set(user.userPrincipalName.toLowerCase(), user);
  }

  private makeUsers(rng: Random, count: number): void {
    const usedUpns = new Set<string>();
    const hostileEvery = Math.max(50, Math.floor(count / HOSTILE_NAMES.length / 4));
    for (let i = 0; i < count; i++) {
      const id = rng.guid();
      let givenName: string | null;
      let surname: string | null;
      let displayName: string;
      let upnBase: string;
      // The first users are the well-known demo people, so the demo always opens on the same faces.
      const pool = i < 18 ? NAME_POOLS[0]! : rng.chance(0.55) ? NAME_POOLS[0]! : rng.pick(NAME_POOLS);
      if (i < 18) {
        givenName = pool.given[i]!;
        surname = pool.family[i]!;
      } else {
        givenName = rng.pick(pool.given);
        surname = rng.pick(pool.family);
      }
      displayName = pool.familyFirst ? `${surname}${pool.separator ?? ' '}${givenName}` : `${givenName} ${surname}`;
      upnBase = pool.ascii
        ? `${pool.ascii}.${asciiOf(givenName, rng)}${rng.int(100)}`
        : `${asciiOf(givenName, rng)}.${asciiOf(surname, rng)}`;
      if (i >= 18 && i % hostileEvery === 7) {
        displayName = HOSTILE_NAMES[Math.floor(i / hostileEvery) % HOSTILE_NAMES.length]!;
        givenName = null;
        surname = null;
        upnBase = `edge.case${i}`;
      } else if (i >= 18 && rng.chance(0.03)) {
        displayName = `${surname}, ${givenName}`;
      }
      let upn = `${upnBase}@${this.domain}`;
      for (let n = 2; usedUpns.has(upn); n++) upn = `${upnBase}${n}@${this.domain}`;
      usedUpns.add(upn);
      // Drawn in this order (job title, then photo) so a seed keeps making the same people.
      const jobTitle = rng.pick(JOB_TITLES);
      const hasPhoto = i < 18 ? i % 4 !== 3 : rng.chance(0.7);
      this.addUser({
        id,
        displayName,
        givenName,
        surname,
        userPrincipalName: upn,
        mail: upn,
        jobTitle,
        hasPhoto,
        // The demo people's photos are full size, so the demo always shows their faces.
        photoSize: !hasPhoto ? null : i < 18 ? 648 : largestPhotoSize(id),
      });
    }
  }

  private makeTeams(rng: Random, sizes: number[]): void {
    const names: Record<number, string> = {
      5: 'Leadership',
      50: 'Product Engineering',
      650: 'Sales EMEA',
      2000: 'Operations',
      10000: 'Everyone at Contoso',
    };
    for (const size of sizes) {
      const memberCount = Math.min(size, this.users.length);
      // The small teams start with the demo people; larger ones take a deterministic spread of everyone.
      const members = this.users.slice(0, memberCount).map((u) => u.id);
      const id = rng.guid();
      const displayName = names[size] ?? `Team of ${size}`;
      // Drawn from the team's id, so the rest of the seeded tenant stays as it was.
      const others = new Random(`${id}/other-members`);
      const team: TenantTeam = {
        id,
        displayName,
        description: `${memberCount} members`,
        memberIds: members,
        otherMembers:
          memberCount >= 50
            ? [
                { id: others.guid(), type: 'group', displayName: `${displayName} leads` },
                { id: others.guid(), type: 'device', displayName: `${displayName} meeting room` },
              ]
            : [],
      };
      this.teams.push(team);
      this.teamById.set(team.id, team);
    }
  }

  private initialPresence(rng: Random, user: TenantUser): PresenceRecord {
    const state = rng.pick(PRESENCE_STATES);
    const record: PresenceRecord = {
      id: user.id,
      availability: state.availability,
      activity: state.activity,
      statusMessage: null,
      outOfOfficeSettings: { message: null, isOutOfOffice: state.activity === 'OutOfOffice' },
      sequenceNumber: this.sequence.next(),
      workLocation: rng.chance(0.5)
        ? { workLocationType: rng.pick(['office', 'remote']), source: 'manual', placeId: null }
        : null,
    };
    if (rng.chance(0.15)) {
      const content = rng.pick(STATUS_MESSAGES);
      record.statusMessage = {
        message: { content, contentType: content.startsWith('<') ? 'html' : 'text' },
        expiryDateTime: null,
        publishedDateTime: new Date(Date.UTC(2026, 10, 1)).toISOString(),
      };
    }
    if (rng.chance(0.05)) {
      record.outOfOfficeSettings = {
        isOutOfOffice: true,
        message: 'I am out of the office with limited access to email.',
      };
    }
    return record;
  }

  user(idOrUpn: string): TenantUser | undefined {
    return this.byId.get(idOrUpn) ?? this.byUpn.get(idOrUpn.toLowerCase());
  }

  team(id: string): TenantTeam | undefined {
    return this.teamById.get(id);
  }

  getPresence(id: string): PresenceRecord | undefined {
    const record = this.presence.get(id);
    return record && structuredClone(record);
  }

  /** Lets `layer` build the shown availability and activity of the users it covers (presence sessions). */
  usePresenceLayer(layer: PresenceLayer | undefined): void {
    this.layer = layer;
  }

  /** The Teams clients' state of a user: what the simulator and the control API set, before any session. */
  basePresence(id: string): PresenceState | undefined {
    const base = this.bases.get(id);
    if (base) return { ...base };
    const record = this.presence.get(id);
    return record && { availability: record.availability, activity: record.activity };
  }

  /**
   * Changes a user's presence (from the simulator, a presence write or the control API), gives it a new
   * sequence number and emits `presence` with the new record. For a user with presence sessions, `availability`
   * and `activity` are the Teams clients' state, and the shown presence is the sessions' aggregate: nothing is
   * emitted when that aggregate and the rest stay as they were.
   */
  setPresence(id: string, change: Partial<Omit<PresenceRecord, 'id' | 'sequenceNumber'>>): PresenceRecord {
    const current = this.presence.get(id);
    if (!current) throw new Error(`no user ${id}`);
    const merged = { ...current, ...structuredClone(change) };
    if (this.layer?.covers(id)) {
      const base = { ...this.basePresence(id)!, ...pickState(change) };
      this.bases.set(id, base);
      const shown = this.layer.resolve(id, base);
      const next = { ...merged, availability: shown.availability, activity: shown.activity };
      if (samePresence(current, next)) return structuredClone(current);
      return this.publish({ ...next, id, sequenceNumber: this.sequence.next() });
    }
    this.bases.delete(id);
    return this.publish({ ...merged, id, sequenceNumber: this.sequence.next() });
  }

  /** Shows a user's presence again as the layer builds it now; emits only when it changed. */
  republish(id: string): boolean {
    const current = this.presence.get(id);
    const base = this.basePresence(id);
    if (!current || !base) return false;
    const covered = this.layer?.covers(id) ?? false;
    const shown = covered ? this.layer!.resolve(id, base) : base;
    if (!covered) this.bases.delete(id);
    else this.bases.set(id, base);
    if (shown.availability === current.availability && shown.activity === current.activity) return false;
    this.publish({ ...current, ...shown, sequenceNumber: this.sequence.next() });
    return true;
  }

  private publish(next: PresenceRecord): PresenceRecord {
    this.presence.set(next.id, next);
    this.emit('presence', structuredClone(next));
    return structuredClone(next);
  }
}

/** What builds the shown presence of some users from more than their Teams clients' state. */
export interface PresenceLayer {
  covers(id: string): boolean;
  resolve(id: string, base: PresenceState): PresenceState;
}

function pickState(change: Partial<PresenceState>): Partial<PresenceState> {
  const picked: Partial<PresenceState> = {};
  if (change.availability !== undefined) picked.availability = change.availability;
  if (change.activity !== undefined) picked.activity = change.activity;
  return picked;
}

function samePresence(a: PresenceRecord, b: PresenceRecord): boolean {
  const { id: _a, sequenceNumber: _as, ...restA } = a;
  const { id: _b, sequenceNumber: _bs, ...restB } = b;
  return isDeepStrictEqual(restA, restB);
}

export interface PresenceState {
  availability: string;
  activity: string;
}

/** The states the simulator moves between, with how often people are in each. */
export const PRESENCE_STATES: PresenceState[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Available', activity: 'Available' },
  { availability: 'Available', activity: 'Available' },
  { availability: 'AvailableIdle', activity: 'Available' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'BeRightBack', activity: 'BeRightBack' },
  { availability: 'Busy', activity: 'Busy' },
  { availability: 'Busy', activity: 'InAMeeting' },
  { availability: 'Busy', activity: 'InAMeeting' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'BusyIdle', activity: 'Busy' },
  { availability: 'DoNotDisturb', activity: 'Presenting' },
  { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  { availability: 'DoNotDisturb', activity: 'UrgentInterruptionsOnly' },
  { availability: 'Offline', activity: 'Offline' },
  { availability: 'Offline', activity: 'OffWork' },
  { availability: 'Away', activity: 'OutOfOffice' },
];
