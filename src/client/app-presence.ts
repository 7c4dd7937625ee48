// An app's own presence session for the signed-in user (setPresence / clearPresence), kept alive while the page is
// open and shown. https://learn.microsoft.com/graph/api/presence-setpresence: a session times out after 5 minutes
// without a call (an Available one fades to AvailableInactive, then Away) and expires after `expirationDuration`
// (default 5 minutes, PT5M to PT4H), so it is sent again every 4 minutes. The user's own preferred presence
// overrides every app session.
import { GraphCallError } from '../graph/retry.js';
import { browserPage, type PageLifecycle } from './page-lifecycle.js';
import {
  APP_PRESENCES,
  checkPair,
  expiryOf,
  MAX_APP_EXPIRY_MS,
  PresenceWriteError,
  refusal,
} from './presence-rules.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { PresenceSource } from './types.js';
import type { AppPresenceBody } from './write-types.js';

/** Sent again this often, before Graph's 5-minute timeout. */
export const APP_PRESENCE_KEEP_ALIVE_MS = 4 * 60_000;

/** The state of the app's session: one of the pairs `setPresence` takes (`APP_PRESENCES`). */
export interface AppPresenceState {
  /** `Available`, `Busy` or `Away`. */
  availability: string;
  /** `Available`, `InACall`, `InAConferenceCall` or `Away`, with its availability. */
  activity: string;
  /** When the session ends without a call: ISO 8601, PT5M to PT4H. Default Graph's (5 minutes). */
  expirationDuration?: string;
  /** The same in milliseconds (5 minutes to 4 hours); give one or the other. */
  expiresInMs?: number;
}

export interface AppPresenceOptions {
  /** The session's id: default the token provider's `clientId` (Graph asks for the application's id). */
  sessionId?: string;
  /** Told of a keep-alive that failed (the session is sent again at the next one, or when the page is shown). */
  onError?: (error: unknown) => void;
  /** For tests: the page whose visibility pauses the keep-alive. */
  page?: PageLifecycle;
}

/** A running app presence session. */
export interface AppPresenceSession {
  /** Settles with the first `setPresence`: rejects with `PresenceWriteError` or `ConsentRequiredError`. */
  readonly ready: Promise<void>;
  /** Whether `stop()` was called (or the first write failed). */
  readonly stopped: boolean;
  /** Sends a new state now (and keeps it alive from then on). */
  update(next: AppPresenceState): Promise<void>;
  /** Ends the session (`clearPresence`) and its keep-alive. */
  stop(): Promise<void>;
}

/** What a session needs from its client. */
export interface AppPresenceDeps {
  source: PresenceSource;
  clock: Scheduler;
  /** The signed-in user's object id. */
  userId: () => Promise<string>;
  /** The token provider's `clientId`, when it has one. */
  clientId: string | undefined;
}

function bodyOf(sessionId: string, state: AppPresenceState): AppPresenceBody {
  checkPair("An app's presence session", APP_PRESENCES, state?.availability, state?.activity);
  const expiry = expiryOf("An app's presence session", state, MAX_APP_EXPIRY_MS);
  return {
    sessionId,
    availability: state.availability,
    activity: state.activity,
    ...(expiry ? { expirationDuration: expiry } : {}),
  };
}

/** Starts the app's presence session: `setPresence` now, again every 4 minutes while the page is shown. */
export function startAppPresence(
  deps: AppPresenceDeps,
  first: AppPresenceState,
  options: AppPresenceOptions = {},
): AppPresenceSession {
  const { source, clock } = deps;
  const page = options.page ?? browserPage;
  const sessionId = options.sessionId ?? deps.clientId;
  let body: AppPresenceBody | undefined;
  let timer: TimerHandle | undefined;
  let stopped = false;
  // Nothing to clear until a setPresence is sent.
  let cleared = true;
  let unlisten = () => undefined as void;
  const user = deps.userId();
  // Kept from settling unseen: `ready` is the one to await.
  user.catch(() => undefined);

  // The last setPresence sent: a clear waits for it, so that it cannot land after the clear and start again.
  let sending: Promise<unknown> = Promise.resolve();
  const send = async () => {
    if (!source.setPresence) throw new PresenceWriteError("This client's source cannot set presence.", 'invalid');
    const userId = await user;
    // Stopped while the user's id was being found: nothing is sent, so nothing is left to clear.
    if (stopped) return;
    cleared = false;
    const sent = source.setPresence(userId, body!);
    sending = sent.catch(() => undefined);
    try {
      await sent;
    } catch (error) {
      throw refusal('Setting the app presence', error);
    }
  };
  const pause = () => {
    if (timer !== undefined) clock.clearInterval(timer);
    timer = undefined;
  };
  const keepAlive = () => {
    pause();
    if (stopped || page.hidden()) return;
    timer = clock.setInterval(
      () => void send().catch((e: unknown) => options.onError?.(e)),
      APP_PRESENCE_KEEP_ALIVE_MS,
    );
  };
  const clear = async (keepalive: boolean) => {
    if (cleared || !body || !source.clearPresence) return;
    cleared = true;
    // As the page goes away there is no time to wait: the clear goes at once, with keepalive.
    if (!keepalive) await sending;
    try {
      await source.clearPresence(await user, body.sessionId, { keepalive });
    } catch (error) {
      // Graph answers 404 for a session that is gone already (presence-clearpresence): nothing is left to clear.
      if (!(error instanceof GraphCallError && error.status === 404)) throw refusal('Clearing the app presence', error);
    }
  };

  const session: AppPresenceSession = {
    ready: Promise.resolve(),
    get stopped() {
      return stopped;
    },
    async update(next) {
      if (stopped) throw new PresenceWriteError('This app presence session was stopped.', 'invalid');
      if (!sessionId)
        throw new PresenceWriteError(
          "An app's presence session needs the app's client id: give `sessionId`, or a token provider with `clientId`.",
          'invalid',
        );
      body = bodyOf(sessionId, next);
      keepAlive();
      await send();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      pause();
      unlisten();
      await clear(false);
    },
  };
  unlisten = page.listen(
    () => {
      if (stopped || !body) return;
      if (page.hidden()) return pause();
      keepAlive();
      void send().catch((e: unknown) => options.onError?.(e));
    },
    () => {
      pause();
      void clear(true).catch((e: unknown) => options.onError?.(e));
    },
  );
  (session as { ready: Promise<void> }).ready = session.update(first).catch((error: unknown) => {
    stopped = true;
    pause();
    unlisten();
    throw error;
  });
  return session;
}
