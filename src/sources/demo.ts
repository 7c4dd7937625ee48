import type { PresenceSource, Profile } from '../client/types.js';
import type { GraphPresence } from '../presence/types.js';
import type { PresenceTransport, TransportSink } from '../transports/transport.js';
import { DemoWrites } from './demo-writes.js';

const GIVEN = [
  'Adele',
  'Alex',
  'Megan',
  'Nestor',
  'Lee',
  'Grady',
  'Isaiah',
  'Johanna',
  'Lidia',
  'Lynne',
  'Miriam',
  'Patti',
  'Pradeep',
  'Diego',
  'Joni',
  'Henrietta',
  'Irvin',
  'Christie',
  'Élodie',
  'Søren',
  'Yuki',
  'Amir',
  'Leila',
  'Dmitri',
];
const FAMILY = [
  'Vance',
  'Wilber',
  'Bowen',
  'Wilke',
  'Gu',
  'Archie',
  'Langer',
  'Lorenz',
  'Holloway',
  'Robbins',
  'Graham',
  'Fernandez',
  'Gupta',
  'Siciliani',
  'Sherman',
  'Mueller',
  'Sink',
  'Cline',
  'Durand',
  'Øvrebø',
  'Tanaka',
  'Haddad',
  'Nasser',
  'Petrov',
];
const STATES: Array<[string, string]> = [
  ['Available', 'Available'],
  ['Available', 'Available'],
  ['Busy', 'InAMeeting'],
  ['Busy', 'InACall'],
  ['Away', 'Away'],
  ['BeRightBack', 'BeRightBack'],
  ['DoNotDisturb', 'Presenting'],
  ['Offline', 'Offline'],
  ['AvailableIdle', 'Available'],
  ['Busy', 'Busy'],
];
const TITLES = [
  'Product Manager',
  'Software Engineer',
  'Designer',
  'Marketing Lead',
  'Sales Director',
  'Support Engineer',
  'Data Analyst',
  'Recruiter',
];
const COLORS = ['#7a9cc6', '#96bea0', '#d6aa78', '#b496c8', '#78b4be', '#c88c8c'];

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The id the demo uses for "me". */
export const DEMO_ME = '00000000-0000-4000-8000-00000000d3m0'.replace('d3m0', 'de00');

/** A demo id for the n-th made-up person. */
export function demoUserId(n: number): string {
  const hex = (hash(`demo-${n}`).toString(16) + hash(`person-${n}`).toString(16)).padEnd(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${String(n).padStart(3, '0').slice(-3)}-${String(n).padStart(12, '0')}`;
}

function nameFor(id: string): string {
  if (id === DEMO_ME) return 'Adele Vance';
  const h = hash(id);
  return `${GIVEN[h % GIVEN.length]} ${FAMILY[(h >>> 8) % FAMILY.length]}`;
}

let sequence = Date.now() * 1000;
function nextSequence(): string {
  sequence += 1;
  return String(sequence).padStart(20, '0');
}

function presenceFor(id: string, state = STATES[hash(id) % STATES.length]!): GraphPresence {
  return {
    id,
    availability: state[0],
    activity: state[1],
    outOfOfficeSettings: { isOutOfOffice: hash(`${id}/oof`) % 17 === 0, message: null },
    statusMessage:
      hash(`${id}/msg`) % 9 === 0 ? { message: { content: 'Heads down until 3 pm', contentType: 'text' } } : null,
    sequenceNumber: nextSequence(),
  };
}

function portrait(id: string): Blob {
  const h = hash(id);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" fill="${COLORS[h % COLORS.length]}"/><circle cx="48" cy="38" r="18" fill="#f1d2b6"/><path d="M16 96c2-20 15-31 32-31s30 11 32 31z" fill="#2d4b73"/></svg>`;
  return new Blob([svg], { type: 'image/svg+xml' });
}

/**
 * A made-up tenant in the browser: any id is a person with a name, most with a photo, all with a presence. For
 * Storybook, tests of one layer, and trying the library with no account.
 */
export class DemoSource implements PresenceSource {
  /** Calls made, for tests. */
  readonly counts = { presence: 0, profiles: 0, photos: 0 };
  /** The signed-in user's writes, kept in memory and shown in every read after them. */
  private readonly writes = new DemoWrites();
  /** Sets the user's preferred presence (`PresenceWrites`). */
  readonly setUserPreferredPresence = this.writes.setUserPreferredPresence.bind(this.writes);
  /** Clears the user's preferred presence (`PresenceWrites`). */
  readonly clearUserPreferredPresence = this.writes.clearUserPreferredPresence.bind(this.writes);
  /** Sets or clears the user's status message (`PresenceWrites`). */
  readonly setStatusMessage = this.writes.setStatusMessage.bind(this.writes);
  /** Sets the app's presence session for the user (`PresenceWrites`). */
  readonly setPresence = this.writes.setPresence.bind(this.writes);
  /** Ends the app's presence session for the user (`PresenceWrites`). */
  readonly clearPresence = this.writes.clearPresence.bind(this.writes);

  async presences(ids: string[]): Promise<GraphPresence[]> {
    this.counts.presence++;
    return ids.map((id) => this.writes.over(presenceFor(id)));
  }

  async profiles(keys: string[]): Promise<Array<Profile & { key: string }>> {
    this.counts.profiles++;
    return keys.map((key) => {
      const id = key.toLowerCase() === 'me' ? DEMO_ME : /@/.test(key) ? demoUserId(hash(key) % 100_000) : key;
      const displayName =
        key.toLowerCase() === 'me'
          ? 'Adele Vance'
          : /@/.test(key)
            ? key
                .split('@')[0]!
                .split(/[._]/)
                .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
                .join(' ')
            : nameFor(id);
      const userPrincipalName = /@/.test(key)
        ? key
        : `${displayName.toLowerCase().replace(/\s+/g, '.')}@contoso.example`;
      return {
        key,
        id,
        displayName,
        userPrincipalName,
        mail: userPrincipalName,
        jobTitle: TITLES[hash(id) % TITLES.length]!,
      };
    });
  }

  async photos(ids: string[]): Promise<Map<string, Blob | null>> {
    this.counts.photos++;
    return new Map(ids.map((id) => [id, hash(`${id}/photo`) % 4 === 0 ? null : portrait(id)]));
  }

  async members(_kind: 'team' | 'group', id: string, onPage: (profiles: Profile[]) => void): Promise<void> {
    const size = Number(/(\d+)$/.exec(id)?.[1] ?? 12);
    for (let start = 0; start < size; start += 999) {
      const page: Profile[] = [];
      for (let n = start; n < Math.min(size, start + 999); n++) {
        const userId = demoUserId(n);
        page.push({ id: userId, displayName: nameFor(userId) });
      }
      onPage(page);
    }
  }
}

/** How often the demo says that whoever it did not change is still as shown. */
const VOUCH_MS = 30_000;

/**
 * Changes the presence of watched people now and then, as a live tenant would; whoever it leaves alone stays fresh
 * (never marked out of date for being calm).
 */
export class DemoTransport implements PresenceTransport {
  private sink: TransportSink | undefined;
  private ids: string[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private vouching: ReturnType<typeof setInterval> | undefined;

  /**
   * `rate`: changes per second across the watched people. Default 1. `vouchMs`: how often it says that whoever it
   * did not change is still as shown (default 30 s).
   */
  constructor(
    private readonly rate = 1,
    private readonly vouchMs = VOUCH_MS,
  ) {}

  start(sink: TransportSink): void {
    this.sink = sink;
    sink.state('connected', 'Demo: simulated presence.');
    if (this.rate > 0) this.timer = setInterval(() => this.tick(), Math.max(20, 1000 / this.rate));
    // The simulation is the truth: whoever it leaves alone is as shown, and never marked out of date for it.
    this.vouching = setInterval(() => sink.current?.(this.ids), this.vouchMs);
  }

  watch(ids: ReadonlySet<string>): void {
    this.ids = [...ids];
  }

  /** Makes one change now (for tests). */
  tick(): GraphPresence | undefined {
    if (!this.ids.length) return undefined;
    const id = this.ids[Math.floor(Math.random() * this.ids.length)]!;
    const presence = presenceFor(id, STATES[Math.floor(Math.random() * STATES.length)]);
    this.sink?.update([presence]);
    return presence;
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.vouching);
    this.sink?.state('idle');
  }
}
