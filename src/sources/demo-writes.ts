// The demo tenant's presence writes, kept in memory: a preferred presence beats the app's session, which beats
// the made-up presence (https://learn.microsoft.com/graph/api/presence-setpresence#presence-sessions).
import type {
  AppPresenceBody,
  PreferredPresenceBody,
  PresenceWrites,
  StatusMessageBody,
} from '../client/write-types.js';
import type { GraphPresence } from '../presence/types.js';

interface Written {
  preferred?: PreferredPresenceBody;
  session?: AppPresenceBody;
  statusMessage?: StatusMessageBody | null;
}

/** What was written for each demo user, laid over the presence the demo makes up. */
export class DemoWrites implements PresenceWrites {
  private readonly written = new Map<string, Written>();

  private of(userId: string): Written {
    let entry = this.written.get(userId);
    if (!entry) this.written.set(userId, (entry = {}));
    return entry;
  }

  async setUserPreferredPresence(userId: string, body: PreferredPresenceBody): Promise<void> {
    this.of(userId).preferred = { ...body };
  }

  async clearUserPreferredPresence(userId: string): Promise<void> {
    delete this.of(userId).preferred;
  }

  async setStatusMessage(userId: string, statusMessage: StatusMessageBody): Promise<void> {
    this.of(userId).statusMessage = statusMessage.message.content ? { ...statusMessage } : null;
  }

  async setPresence(userId: string, body: AppPresenceBody): Promise<void> {
    this.of(userId).session = { ...body };
  }

  async clearPresence(userId: string, sessionId: string): Promise<void> {
    const entry = this.of(userId);
    if (entry.session?.sessionId === sessionId) delete entry.session;
  }

  /** `presence` with what was written for its user laid over it. */
  over(presence: GraphPresence): GraphPresence {
    const entry = presence.id ? this.written.get(presence.id) : undefined;
    if (!entry) return presence;
    const state = entry.preferred ?? entry.session;
    return {
      ...presence,
      ...(state ? { availability: state.availability, activity: state.activity } : {}),
      ...(entry.statusMessage !== undefined ? { statusMessage: entry.statusMessage } : {}),
    };
  }
}
