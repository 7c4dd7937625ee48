// What a source is asked to write for the signed-in user: the bodies of Graph's presence writes.

/** A preferred presence, as `setUserPreferredPresence` takes it. */
export interface PreferredPresenceBody {
  availability: string;
  activity: string;
  /** ISO 8601 duration, such as `PT1H`. Graph's default when absent: 1 day for Busy and DoNotDisturb, else 7 days. */
  expirationDuration?: string;
}

/** A status message, as `setStatusMessage` takes it (`presenceStatusMessage`); an empty `content` clears it. */
export interface StatusMessageBody {
  message: { content: string; contentType: 'text' | 'html' };
  /** When it ends: a date and time in `timeZone` (this library sends UTC). */
  expiryDateTime?: { dateTime: string; timeZone: string };
}

/** The state of an app's presence session, as `setPresence` takes it. */
export interface AppPresenceBody {
  /** The application's (client) id: Graph keeps one session per app and user. */
  sessionId: string;
  availability: string;
  activity: string;
  /** ISO 8601 duration from PT5M to PT4H; Graph's default is 5 minutes. */
  expirationDuration?: string;
}

/** How a write is sent. */
export interface WriteOptions {
  signal?: AbortSignal;
  /** Sent so that it outlives the page (`fetch`'s `keepalive`): for the last write as the page goes away. */
  keepalive?: boolean;
}

/**
 * The presence writes a source may offer, each for the user `userId` (the signed-in user's object id; Graph lets a
 * delegated caller write only their own presence). The Graph source sends them to Microsoft Graph with
 * `Presence.ReadWrite`; the demo source keeps them in memory.
 */
export interface PresenceWrites {
  /** Sets the user's preferred presence (it overrides every presence session, an app's included). */
  setUserPreferredPresence(userId: string, body: PreferredPresenceBody, options?: WriteOptions): Promise<void>;
  /** Clears the user's preferred presence: their sessions decide again. */
  clearUserPreferredPresence(userId: string, options?: WriteOptions): Promise<void>;
  /** Sets (or, with empty content, clears) the user's status message. */
  setStatusMessage(userId: string, statusMessage: StatusMessageBody, options?: WriteOptions): Promise<void>;
  /** Sets the state of this app's presence session for the user (and keeps it alive). */
  setPresence(userId: string, body: AppPresenceBody, options?: WriteOptions): Promise<void>;
  /** Ends this app's presence session for the user. */
  clearPresence(userId: string, sessionId: string, options?: WriteOptions): Promise<void>;
}
