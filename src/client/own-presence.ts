// The signed-in user's own presence: a preferred presence, a status message, and the app's presence session. Its
// calls (own-presence-calls.ts, the write rules, the app session's keep-alive) load the first time one is used: a
// page that only reads presence never downloads them.
import { loadOnce } from '../loading/load-once.js';
import type { Presence } from '../presence/types.js';
import type { AppPresenceOptions, AppPresenceSession, AppPresenceState } from './app-presence.js';
import type { OwnPresenceCalls } from './own-presence-calls.js';
import type { OwnPresenceHost, PreferredPresence, StatusMessage } from './own-presence-types.js';
import type { Scheduler } from './scheduler.js';

export type { OwnPresenceHost, PreferredPresence, StatusMessage } from './own-presence-types.js';

/**
 * The signed-in user's own presence, as `client.myPresence`. Each write needs `Presence.ReadWrite`, asked for the
 * first time it is used: without a click under way, it rejects with `ConsentRequiredError` (`scopes` says which), so
 * that a button can call `client.grant(error.scopes)` and try again; no popup opens by itself. A write Graph would
 * refuse is refused here first with a `PresenceWriteError` saying why; one Graph refuses rejects with one too. After
 * each write, the user's presence is read again, so every element showing `me` shows it.
 */
export class OwnPresence {
  /** Made by `PresenceClient` (as `myPresence`) with itself as host and its clock; `load` imports the calls' code. */
  constructor(
    private readonly host: OwnPresenceHost,
    private readonly clock: Scheduler,
    private readonly load: () => Promise<Pick<typeof import('./own-presence-calls.js'), 'OwnPresenceCalls'>> = () =>
      import('./own-presence-calls.js'),
  ) {}

  /**
   * Sets the user's preferred presence, which overrides every presence session (Teams clients, apps) until it
   * expires or is cleared. Graph shows it only while the user has a session (signed in to Teams, or an app's).
   */
  async setPreferredPresence(preferred: PreferredPresence): Promise<void> {
    await (await this.calls()).setPreferredPresence(preferred);
  }

  /** Clears the user's preferred presence: their sessions (Teams, apps) decide it again. */
  async clearPreferredPresence(): Promise<void> {
    await (await this.calls()).clearPreferredPresence();
  }

  /** Sets the user's status message, until `expiresAt` or until cleared. */
  async setStatusMessage(status: StatusMessage): Promise<void> {
    await (await this.calls()).setStatusMessage(status);
  }

  /** Clears the user's status message (Graph has no call of its own for it: an empty message clears it). */
  async clearStatusMessage(): Promise<void> {
    await (await this.calls()).clearStatusMessage();
  }

  /** Reads the user's presence now (preferred presence and status message included), and shows it everywhere. */
  async read(): Promise<Presence> {
    return (await this.calls()).read();
  }

  /**
   * Starts this app's presence session for the user (Graph's `setPresence`, named by the app's client id): say
   * `{ availability: 'Busy', activity: 'InACall' }` while the user is in a call in the app. It is sent again every 4
   * minutes while the page is shown (Graph ends it after 5 minutes without one), paused while the page is hidden,
   * and cleared by `stop()` and when the page goes away. The user's own preferred presence overrides it.
   */
  appSession(state: AppPresenceState, options: AppPresenceOptions = {}): AppPresenceSession {
    let session: AppPresenceSession | undefined;
    let stopping = false;
    const started = this.calls().then((calls) => {
      session = calls.appSession(state, options);
      // Stopped before its code had loaded: it sends nothing, as a session stopped at once does.
      if (stopping) void session.stop().catch(() => undefined);
      return session;
    });
    return {
      ready: started.then((s) => s.ready),
      get stopped() {
        return session ? session.stopped : stopping;
      },
      update: async (next) => (await started).update(next),
      stop: async () => {
        stopping = true;
        // A session whose code never loaded sent nothing: there is nothing to stop.
        const running = await started.catch(() => undefined);
        await running?.stop();
      },
    };
  }

  /** The calls' code, loaded on first use; a failed load (offline) rejects, saying so, and the next call tries again. */
  private readonly calls: () => Promise<OwnPresenceCalls> = loadOnce('The code of your own presence', () =>
    this.load().then(({ OwnPresenceCalls }) => new OwnPresenceCalls(this.host, this.clock)),
  );
}
