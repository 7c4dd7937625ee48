// Changes presence at a configurable rate with plausible transitions: meetings end, people come back from
// lunch, the working day ends. Pausable, and driven by the clock it is given.
import { PRESENCE_STATES, type PresenceState, type Tenant } from './tenant.js';
import { Random } from './random.js';

/** Where each activity tends to go next; weights, not probabilities. */
const NEXT: Record<string, Record<string, number>> = {
  Available: {
    Available: 0,
    InAMeeting: 4,
    InACall: 3,
    Away: 2,
    BeRightBack: 1,
    Busy: 2,
    Presenting: 1,
    AvailableIdle: 2,
    Offline: 1,
  },
  AvailableIdle: { Available: 5, Away: 3, Offline: 1 },
  Away: { Available: 6, Offline: 2, BeRightBack: 1 },
  BeRightBack: { Available: 8, Away: 1 },
  Busy: { Available: 5, InAMeeting: 2, BusyIdle: 1, DoNotDisturb: 1 },
  BusyIdle: { Busy: 3, Available: 3, Away: 2 },
  InAMeeting: { Available: 6, InACall: 1, Presenting: 1, Busy: 2 },
  InACall: { Available: 6, InAMeeting: 1, Busy: 2 },
  InAConferenceCall: { Available: 5, Busy: 2 },
  Presenting: { Available: 4, InAMeeting: 3 },
  DoNotDisturb: { Available: 5, Busy: 2 },
  UrgentInterruptionsOnly: { Available: 4, DoNotDisturb: 2 },
  Offline: { Available: 6, Offline: 0, OffWork: 1 },
  OffWork: { Available: 5, Offline: 2 },
  OutOfOffice: { OutOfOffice: 0, Available: 1, Offline: 2 },
};

const STATE_OF: Record<string, PresenceState> = {
  Available: { availability: 'Available', activity: 'Available' },
  AvailableIdle: { availability: 'AvailableIdle', activity: 'Available' },
  Away: { availability: 'Away', activity: 'Away' },
  BeRightBack: { availability: 'BeRightBack', activity: 'BeRightBack' },
  Busy: { availability: 'Busy', activity: 'Busy' },
  BusyIdle: { availability: 'BusyIdle', activity: 'Busy' },
  InAMeeting: { availability: 'Busy', activity: 'InAMeeting' },
  InACall: { availability: 'Busy', activity: 'InACall' },
  InAConferenceCall: { availability: 'Busy', activity: 'InAConferenceCall' },
  Presenting: { availability: 'DoNotDisturb', activity: 'Presenting' },
  DoNotDisturb: { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  UrgentInterruptionsOnly: { availability: 'DoNotDisturb', activity: 'UrgentInterruptionsOnly' },
  Offline: { availability: 'Offline', activity: 'Offline' },
  OffWork: { availability: 'Offline', activity: 'OffWork' },
  OutOfOffice: { availability: 'Away', activity: 'OutOfOffice' },
};

function keyOf(state: PresenceState): string {
  if (state.availability === 'AvailableIdle' || state.availability === 'BusyIdle') return state.availability;
  return state.activity in NEXT ? state.activity : state.availability in NEXT ? state.availability : 'Available';
}

/** The next state for someone in `state`. */
export function nextState(state: PresenceState, rng: Random): PresenceState {
  const weights = NEXT[keyOf(state)] ?? NEXT.Available!;
  return STATE_OF[rng.weighted(weights)] ?? PRESENCE_STATES[0]!;
}

export interface SimulatorOptions {
  /** Presence changes per second across the tenant. Default 2. 0 stops changes. */
  rate?: number;
  /** Only these users change (default: the members of the smaller teams, so a watched page sees movement). */
  userIds?: string[];
  seed?: string;
}

export class Simulator {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly rng: Random;
  private rate: number;
  private userIds: string[];
  private carry = 0;
  paused = false;
  changes = 0;

  constructor(
    private readonly tenant: Tenant,
    options: SimulatorOptions = {},
  ) {
    this.rng = new Random(`${options.seed ?? tenant.seed}/simulator`);
    this.rate = options.rate ?? 2;
    this.userIds = options.userIds ?? tenant.users.slice(0, 650).map((u) => u.id);
  }

  get status(): { rate: number; paused: boolean; changes: number; users: number } {
    return { rate: this.rate, paused: this.paused, changes: this.changes, users: this.userIds.length };
  }

  configure(options: { rate?: number; userIds?: string[]; paused?: boolean }): void {
    if (options.rate !== undefined) {
      if (!Number.isFinite(options.rate) || options.rate < 0 || options.rate > 10_000)
        throw new RangeError('rate must be between 0 and 10000 changes per second');
      this.rate = options.rate;
    }
    if (options.userIds) this.userIds = options.userIds.filter((id) => this.tenant.user(id));
    if (options.paused !== undefined) this.paused = options.paused;
  }

  /** Makes one change now and returns it. */
  step(): ReturnType<Tenant['setPresence']> | undefined {
    if (this.userIds.length === 0) return undefined;
    const id = this.rng.pick(this.userIds);
    const current = this.tenant.getPresence(id);
    if (!current) return undefined;
    const next = nextState(current, this.rng);
    this.changes++;
    return this.tenant.setPresence(id, {
      availability: next.availability,
      activity: next.activity,
      outOfOfficeSettings: { ...current.outOfOfficeSettings, isOutOfOffice: next.activity === 'OutOfOffice' },
    });
  }

  start(tickMs = 100): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.paused || this.rate <= 0) return;
      this.carry += (this.rate * tickMs) / 1000;
      while (this.carry >= 1) {
        this.carry -= 1;
        this.step();
      }
    }, tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
