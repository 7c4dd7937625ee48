// The signed-in user's own presence, its calls: loaded by `client.myPresence` (own-presence.ts) when first used.
import { scopesNeedingConsent } from '../auth/errors.js';
import { normalizePresence } from '../presence/normalize.js';
import type { Presence } from '../presence/types.js';
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
import type { OwnPresenceHost, PreferredPresence, StatusMessage } from './own-presence-types.js';
import type { Scheduler } from './scheduler.js';
import type { PresenceWrites } from './write-types.js';

/** What `OwnPresence` does, each call checked before Graph is called and shown on `me` after (see `OwnPresence`). */
export class OwnPresenceCalls {
  private me: Promise<string> | undefined;

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
