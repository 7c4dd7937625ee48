// A user's presence as Graph builds it from presence sessions: each Teams client and each application that calls
// setPresence has a session; the user may set a preferred presence; the shown presence is their aggregate.
// https://learn.microsoft.com/graph/cloud-communications-manage-presence-state ("Presence sessions", "Timeout,
// expiration, and keep alive") and https://learn.microsoft.com/graph/api/presence-setpresence.
//
// The tenant's own presence (what the simulator, the control API and tests set with `tenant.setPresence`) stands for
// the user's Teams clients: one more session, taken as it is (an Offline one is no session at all, as a user signed
// out of Teams has none). Users nobody has written presence for keep showing it unchanged.
import type { Clock } from '../shared/clock.js';
import type { PresenceState, Tenant } from './tenant.js';

/** An Available session with no keep-alive fades after 5 minutes, then again after 5 more (manage-presence-state). */
export const FADE_MS = 5 * 60_000;

export interface AppSession {
  /** The application's id, as setPresence requires it. */
  sessionId: string;
  availability: string;
  activity: string;
  /** When the session ends (setPresence's `expirationDuration` from its last call). */
  expiresAt: number;
  /** The last setPresence call for the session, from which it fades. */
  lastKeepAlive: number;
}

export interface PreferredPresence {
  availability: string;
  activity: string;
  expiresAt: number;
}

export interface SessionsInput {
  /** The Teams clients' state; null or Offline when the user has no Teams client signed in. */
  base: PresenceState | null;
  sessions: readonly AppSession[];
  preferred: PreferredPresence | null;
}

export const OFFLINE: PresenceState = { availability: 'Offline', activity: 'Offline' };

/**
 * Where a session's availability stands in "Among session-level states: DoNotDisturb > Busy > Available > Away"
 * (manage-presence-state). The Teams clients' other states sit beside their nearest documented one (BusyIdle with
 * Busy, AvailableIdle with Available, BeRightBack with Away): Graph does not say, this is the reading closest to it.
 * 0: no live session.
 */
export function rankOf(availability: string): number {
  switch (availability) {
    case 'DoNotDisturb':
      return 4;
    case 'Busy':
    case 'BusyIdle':
      return 3;
    case 'Available':
    case 'AvailableIdle':
      return 2;
    case 'Away':
    case 'BeRightBack':
      return 1;
    default:
      return 0;
  }
}

/**
 * One application session's state at `now`: null once it has expired ("When a session expires it becomes Offline"),
 * Available/AvailableInactive 5 minutes after its last keep-alive and Away/Away 5 minutes after that when it was
 * Available ("A presence session can time out if the availability is Available and the timeout is 5 minutes"),
 * otherwise as set. (setPresence, "Timeout, expiration, and keep alive".)
 */
export function sessionStateAt(session: AppSession, now: number): PresenceState | null {
  if (now >= session.expiresAt) return null;
  if (session.availability === 'Available') {
    const idle = now - session.lastKeepAlive;
    if (idle >= 2 * FADE_MS) return { availability: 'Away', activity: 'Away' };
    if (idle >= FADE_MS) return { availability: 'Available', activity: 'AvailableInactive' };
  }
  return { availability: session.availability, activity: session.activity };
}

/**
 * The user's presence at `now`. With no application session and no preferred presence, the Teams clients' state as
 * it is. Otherwise: the preferred presence while it lasts and at least one session is live
 * (https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence: "Preferred presence takes effect only
 * when at least one presence session exists for the user. Otherwise, the user's presence shows as Offline"); else
 * the live session ranked highest (DoNotDisturb > Busy > Available > Away); Offline/Offline when none is live
 * (https://learn.microsoft.com/graph/api/presence-clearpresence: "If it is the user's only presence session, the
 * user's presence will change to Offline/Offline"). Between equal ranks, which the pages do not order: the Teams
 * clients' state first (its activity, InAMeeting from the calendar, is the more specific), then the session kept
 * alive last.
 */
export function aggregate(input: SessionsInput, now: number): PresenceState {
  const preferred = input.preferred && input.preferred.expiresAt > now ? input.preferred : null;
  if (input.sessions.length === 0 && !preferred) return input.base ?? OFFLINE;
  const live: PresenceState[] = [];
  if (input.base && rankOf(input.base.availability) > 0) live.push(input.base);
  const byRecency = [...input.sessions].sort((a, b) => b.lastKeepAlive - a.lastKeepAlive);
  for (const session of byRecency) {
    const state = sessionStateAt(session, now);
    if (state) live.push(state);
  }
  if (live.length === 0) return input.base?.availability === 'Offline' ? input.base : OFFLINE;
  if (preferred) return { availability: preferred.availability, activity: preferred.activity };
  let best = live[0]!;
  for (const state of live) if (rankOf(state.availability) > rankOf(best.availability)) best = state;
  return { availability: best.availability, activity: best.activity };
}

/** The next instant after `now` at which `aggregate` may answer differently (a fade, an expiry), or Infinity. */
export function nextChangeAt(input: Omit<SessionsInput, 'base'>, now: number): number {
  const times: number[] = [];
  for (const s of input.sessions) {
    times.push(s.expiresAt);
    if (s.availability === 'Available') times.push(s.lastKeepAlive + FADE_MS, s.lastKeepAlive + 2 * FADE_MS);
  }
  if (input.preferred) times.push(input.preferred.expiresAt);
  return Math.min(Infinity, ...times.filter((t) => t > now));
}

interface UserState {
  sessions: AppSession[];
  preferred: PreferredPresence | null;
  statusExpiresAt: number | null;
}

const OF_TENANT = new WeakMap<Tenant, PresenceSessions>();

/** The sessions of every user that has any, kept on the local cloud's clock, publishing through the tenant. */
export class PresenceSessions {
  private readonly users = new Map<string, UserState>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  /** A tenant's sessions: one model per tenant, however many Graph emulators serve it. */
  static of(tenant: Tenant, clock: Clock): PresenceSessions {
    let sessions = OF_TENANT.get(tenant);
    if (!sessions) {
      sessions = new PresenceSessions(tenant, clock);
      OF_TENANT.set(tenant, sessions);
    }
    return sessions;
  }

  private constructor(
    private readonly tenant: Tenant,
    private readonly clock: Clock,
  ) {
    tenant.usePresenceLayer({
      covers: (id) => this.covers(id),
      resolve: (id, base) => this.resolve(id, base),
    });
    // Tests move the clock (control API `POST /clock/advance`): fades and expiries happen then, with their
    // notifications; a timer does the same when real time passes (`npm start`).
    clock.onAdvance(() => this.reevaluate());
  }

  /** Stops the timer (a Graph emulator stopping); the next write or move of the clock sets it again. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private state(id: string): UserState {
    let state = this.users.get(id);
    if (!state) {
      state = { sessions: [], preferred: null, statusExpiresAt: null };
      this.users.set(id, state);
    }
    return state;
  }

  private covers(id: string): boolean {
    const state = this.users.get(id);
    return !!state && (state.sessions.length > 0 || state.preferred !== null);
  }

  private resolve(id: string, base: PresenceState): PresenceState {
    const state = this.users.get(id);
    return state ? aggregate({ base, sessions: state.sessions, preferred: state.preferred }, this.clock.now()) : base;
  }

  /** setPresence: creates or refreshes the application's session (a call is also its keep-alive). */
  setSession(
    id: string,
    session: { sessionId: string; availability: string; activity: string; durationMs: number },
  ): void {
    const now = this.clock.now();
    const state = this.state(id);
    state.sessions = state.sessions.filter((s) => s.sessionId !== session.sessionId);
    state.sessions.push({
      sessionId: session.sessionId,
      availability: session.availability,
      activity: session.activity,
      expiresAt: now + session.durationMs,
      lastKeepAlive: now,
    });
    this.settle(id);
  }

  /** clearPresence: false when the application has no session for the user. */
  clearSession(id: string, sessionId: string): boolean {
    const state = this.users.get(id);
    const session = state?.sessions.find((s) => s.sessionId === sessionId && s.expiresAt > this.clock.now());
    if (!state || !session) return false;
    state.sessions = state.sessions.filter((s) => s !== session);
    this.settle(id);
    return true;
  }

  setPreferred(id: string, preferred: { availability: string; activity: string; durationMs: number }): void {
    this.state(id).preferred = {
      availability: preferred.availability,
      activity: preferred.activity,
      expiresAt: this.clock.now() + preferred.durationMs,
    };
    this.settle(id);
  }

  clearPreferred(id: string): void {
    const state = this.users.get(id);
    if (!state?.preferred) return;
    state.preferred = null;
    this.settle(id);
  }

  /** setStatusMessage: publishes the message (null clears it) and removes it when it expires. */
  setStatusMessage(
    id: string,
    statusMessage: NonNullable<ReturnType<Tenant['getPresence']>>['statusMessage'],
    expiresAt: number | null,
  ): void {
    this.state(id).statusExpiresAt = statusMessage ? expiresAt : null;
    this.tenant.setPresence(id, { statusMessage });
    this.settle(id);
  }

  /** What the control API shows: the user's sessions, preferred presence and status message, with their expiries. */
  describe(id: string): Record<string, unknown> {
    const now = this.clock.now();
    const state = this.users.get(id);
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const record = this.tenant.getPresence(id);
    return {
      id,
      presence: record && { availability: record.availability, activity: record.activity },
      teamsClient: this.tenant.basePresence(id),
      sessions: (state?.sessions ?? []).map((s) => ({
        sessionId: s.sessionId,
        availability: s.availability,
        activity: s.activity,
        now: sessionStateAt(s, now) ?? OFFLINE,
        lastKeepAlive: iso(s.lastKeepAlive),
        expiresAt: iso(s.expiresAt),
      })),
      preferred: state?.preferred ? { ...state.preferred, expiresAt: iso(state.preferred.expiresAt) } : null,
      statusMessage: record?.statusMessage
        ? { message: record.statusMessage.message, expiresAt: iso(state?.statusExpiresAt ?? null) }
        : null,
    };
  }

  /** Drops what has expired, publishes the aggregate when it changed, and sets the timer for the next change. */
  reevaluate(): void {
    for (const id of [...this.users.keys()]) this.settle(id, false);
    this.schedule();
  }

  private settle(id: string, reschedule = true): void {
    const state = this.users.get(id);
    if (!state) return;
    const now = this.clock.now();
    state.sessions = state.sessions.filter((s) => s.expiresAt > now);
    if (state.preferred && state.preferred.expiresAt <= now) state.preferred = null;
    if (state.statusExpiresAt !== null && state.statusExpiresAt <= now) {
      state.statusExpiresAt = null;
      // https://learn.microsoft.com/graph/api/resources/presencestatusmessage: the message lasts until expiryDateTime.
      if (this.tenant.getPresence(id)?.statusMessage) this.tenant.setPresence(id, { statusMessage: null });
    }
    this.tenant.republish(id);
    if (state.sessions.length === 0 && !state.preferred && state.statusExpiresAt === null) this.users.delete(id);
    if (reschedule) this.schedule();
  }

  private schedule(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (const state of this.users.values()) {
      next = Math.min(next, nextChangeAt(state, now));
      if (state.statusExpiresAt !== null) next = Math.min(next, state.statusExpiresAt);
    }
    if (next === this.timerAt && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.reevaluate();
      },
      Math.min(Math.max(next - now, 0) + 1, 2 ** 31 - 1),
    );
    this.timer.unref?.();
  }
}
