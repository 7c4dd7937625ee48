// The signed-in user's own presence: a preferred presence, a status message, and the app's presence session.
import { scopesNeedingConsent } from '../auth/errors.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { normalizePresence } from '../presence/normalize.js';
import type { GraphPresence, Presence } from '../presence/types.js';
import {
  startAppPresence,
  type AppPresenceOptions,
  type AppPresenceSession,
  type AppPresenceState,
} from './app-presence.js';
import {
  checkPair,
  expiryOf,
  MAX_PREFERRED_EXPIRY_MS,
  PREFERRED_PRESENCES,
  PresenceWriteError,
  refusal,
} from './presence-rules.js';
import type { Scheduler } from './scheduler.js';
import type { PersonSnapshot, PresenceSource } from './types.js';
import type { PresenceWrites } from './write-types.js';

/** A preferred presence: one of the pairs `setUserPreferredPresence` takes (`PREFERRED_PRESENCES`). */
export interface PreferredPresence {
  /** `Available`, `Busy`, `DoNotDisturb`, `BeRightBack`, `Away` or `Offline`. */
  availability: string;
  /** The activity that goes with it: the same value, or `OffWork` with `Offline`. */
  activity: string;
  /** When it ends, in milliseconds from now: 5 minutes to 7 days. Default Graph's (1 day for Busy and DND, else 7). */
  expiresInMs?: number;
  /** The same as an ISO 8601 duration (`PT1H`); give one or the other. */
  expirationDuration?: string;
}

/** A status message for the signed-in user. */
export interface StatusMessage {
  /** The text (or HTML, with `contentType: 'html'`) shown with the presence. Not empty: `clearStatusMessage()`. */
  message: string;
  contentType?: 'text' | 'html';
  /** When it ends (a Date, or milliseconds since the epoch); it stays until cleared when absent. */
  expiresAt?: Date | number;
}

/** What the user's own presence needs from its client (a `PresenceClient` has all of it). */
export interface OwnPresenceHost {
  readonly source: PresenceSource;
  readonly auth: TokenProvider | undefined;
  peek(key: string): PersonSnapshot;
  refresh(ids?: string[]): Promise<void>;
  applyPresences(presences: GraphPresence[], receivedAt?: number, readAt?: number): number;
}

/**
 * The signed-in user's own presence, as `client.myPresence`. Each write needs `Presence.ReadWrite`, asked for the
 * first time it is used: without a click under way, it rejects with `ConsentRequiredError` (`scopes` says which), so
 * that a button can call `client.grant(error.scopes)` and try again; no popup opens by itself. A write Graph would
 * refuse is refused here first with a `PresenceWriteError` saying why; one Graph refuses rejects with one too. After
 * each write, the user's presence is read again, so every element showing `me` shows it.
 */
export class OwnPresence {
  private me: Promise<string> | undefined;

  /** Made by `PresenceClient` (as `myPresence`) with itself as host and its clock. */
  constructor(
    private readonly host: OwnPresenceHost,
    private readonly clock: Scheduler,
  ) {}

  /**
   * Sets the user's preferred presence, which overrides every presence session (Teams clients, apps) until it
   * expires or is cleared. Graph shows it only while the user has a session (signed in to Teams, or an app's).
   */
  async setPreferredPresence(preferred: PreferredPresence): Promise<void> {
    const what = 'A preferred presence';
    checkPair(what, PREFERRED_PRESENCES, preferred?.availability, preferred?.activity);
    const expiry = expiryOf(what, preferred, MAX_PREFERRED_EXPIRY_MS);
    const body = {
      availability: preferred.availability,
      activity: preferred.activity,
      ...(expiry ? { expirationDuration: expiry } : {}),
    };
    await this.write('setUserPreferredPresence', 'Setting the preferred presence', (w, id) =>
      w.setUserPreferredPresence(id, body),
    );
  }

  /** Clears the user's preferred presence: their sessions (Teams, apps) decide it again. */
  async clearPreferredPresence(): Promise<void> {
    await this.write('clearUserPreferredPresence', 'Clearing the preferred presence', (w, id) =>
      w.clearUserPreferredPresence(id),
    );
  }

  /** Sets the user's status message, until `expiresAt` or until cleared. */
  async setStatusMessage(status: StatusMessage): Promise<void> {
    const what = 'A status message';
    if (typeof status?.message !== 'string' || !status.message.trim())
      throw new PresenceWriteError(`${what} needs some text; clearStatusMessage() clears it.`, 'invalid');
    if (status.contentType !== undefined && status.contentType !== 'text' && status.contentType !== 'html')
      throw new PresenceWriteError(`${what}: contentType must be text or html.`, 'invalid');
    let expiryDateTime: { dateTime: string; timeZone: string } | undefined;
    if (status.expiresAt !== undefined) {
      const at = status.expiresAt instanceof Date ? status.expiresAt.getTime() : status.expiresAt;
      if (typeof at !== 'number' || !Number.isFinite(at) || at <= this.clock.now())
        throw new PresenceWriteError(`${what}: expiresAt must be a date in the future.`, 'invalid');
      // Graph's dateTimeTimeZone: a date and time without offset, and the zone it is in.
      expiryDateTime = { dateTime: new Date(at).toISOString().replace(/Z$/, ''), timeZone: 'UTC' };
    }
    const statusMessage = {
      message: { content: status.message, contentType: status.contentType ?? 'text' },
      ...(expiryDateTime ? { expiryDateTime } : {}),
    };
    await this.write('setStatusMessage', 'Setting the status message', (w, id) =>
      w.setStatusMessage(id, statusMessage),
    );
  }

  /** Clears the user's status message (Graph has no call of its own for it: an empty message clears it). */
  async clearStatusMessage(): Promise<void> {
    await this.write('setStatusMessage', 'Clearing the status message', (w, id) =>
      w.setStatusMessage(id, { message: { content: '', contentType: 'text' } }),
    );
  }

  /** Reads the user's presence now (preferred presence and status message included), and shows it everywhere. */
  async read(): Promise<Presence> {
    const id = await this.userId();
    const readAt = this.clock.now();
    const [presence] = await this.host.source.presences([id]);
    if (!presence) throw new Error('Graph said nothing about your presence.');
    this.host.applyPresences([presence], this.clock.now(), readAt);
    return normalizePresence(presence);
  }

  /**
   * Starts this app's presence session for the user (Graph's `setPresence`, named by the app's client id): say
   * `{ availability: 'Busy', activity: 'InACall' }` while the user is in a call in the app. It is sent again every 4
   * minutes while the page is shown (Graph ends it after 5 minutes without one), paused while the page is hidden,
   * and cleared by `stop()` and when the page goes away. The user's own preferred presence overrides it.
   */
  appSession(state: AppPresenceState, options: AppPresenceOptions = {}): AppPresenceSession {
    return startAppPresence(
      { source: this.host.source, clock: this.clock, userId: () => this.userId(), clientId: this.host.auth?.clientId },
      state,
      options,
    );
  }

  /** The signed-in user's object id: known to the client already, or asked for once. */
  private userId(): Promise<string> {
    const known = this.host.peek('me').id;
    if (known) return Promise.resolve(known);
    this.me ??= (async () => {
      const [me] = (await this.host.source.profiles?.(['me'])) ?? [];
      if (!me?.id) throw new Error('Who is signed in could not be found: sign in first.');
      return me.id;
    })();
    // A failure is not kept: the next write asks again (after sign-in).
    this.me.catch(() => (this.me = undefined));
    return this.me;
  }

  private async write(
    name: keyof PresenceWrites,
    what: string,
    call: (writes: PresenceWrites, userId: string) => Promise<void>,
  ): Promise<void> {
    const source = this.host.source;
    if (typeof source[name] !== 'function')
      throw new PresenceWriteError(`${what}: this client's source cannot write presence.`, 'invalid');
    const id = await this.userId();
    try {
      await call(source as PresenceWrites, id);
    } catch (error) {
      throw scopesNeedingConsent(error) ? error : refusal(what, error);
    }
    // Shown again wherever the user is watched (nothing to read when no element shows them).
    if (this.host.peek(id).id) await this.host.refresh([id]);
  }
}
