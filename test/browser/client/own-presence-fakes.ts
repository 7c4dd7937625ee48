// A source that keeps the signed-in user's presence and records every write, and a page whose visibility a test sets.
import type {
  AppPresenceBody,
  GraphPresence,
  PageLifecycle,
  PreferredPresenceBody,
  PresenceSource,
  StatusMessageBody,
  WriteOptions,
} from '../../../src/index.js';

export const ME = '00000000-0000-4000-8000-0000000000aa';

export class WritableSource implements PresenceSource {
  writes: Array<{ name: string; userId: string; body?: unknown; options?: WriteOptions }> = [];
  profileReads = 0;
  /** Thrown by the next writes, when set. */
  fail: unknown;
  private state: GraphPresence = { id: ME, availability: 'Available', activity: 'Available', statusMessage: null };
  private sequence = 1;

  async presences(ids: string[]): Promise<GraphPresence[]> {
    return ids.filter((id) => id === ME).map(() => ({ ...this.state, sequenceNumber: String(this.sequence++) }));
  }
  async profiles(keys: string[]) {
    this.profileReads++;
    return keys.map((key) => ({ key, id: key === 'me' ? ME : key, displayName: 'Me' }));
  }
  private record(name: string, userId: string, body?: unknown, options?: WriteOptions) {
    this.writes.push({ name, userId, body, ...(options ? { options } : {}) });
    if (this.fail) throw this.fail;
  }
  async setUserPreferredPresence(userId: string, body: PreferredPresenceBody) {
    this.record('setUserPreferredPresence', userId, body);
    this.state = { ...this.state, availability: body.availability, activity: body.activity };
  }
  async clearUserPreferredPresence(userId: string) {
    this.record('clearUserPreferredPresence', userId);
    this.state = { ...this.state, availability: 'Available', activity: 'Available' };
  }
  async setStatusMessage(userId: string, statusMessage: StatusMessageBody) {
    this.record('setStatusMessage', userId, statusMessage);
    this.state = { ...this.state, statusMessage: statusMessage.message.content ? statusMessage : null };
  }
  async setPresence(userId: string, body: AppPresenceBody, options?: WriteOptions) {
    this.record('setPresence', userId, body, options);
  }
  async clearPresence(userId: string, sessionId: string, options?: WriteOptions) {
    this.record('clearPresence', userId, { sessionId }, options);
  }
  named(name: string) {
    return this.writes.filter((w) => w.name === name);
  }
}

/** A page a test hides, shows and puts away. */
export class FakePage implements PageLifecycle {
  isHidden = false;
  listeners = 0;
  private changed: (() => void) | undefined;
  private leaving: (() => void) | undefined;
  hidden() {
    return this.isHidden;
  }
  listen(changed: () => void, leaving: () => void) {
    this.changed = changed;
    this.leaving = leaving;
    this.listeners++;
    return () => {
      this.listeners--;
      this.changed = this.leaving = undefined;
    };
  }
  setHidden(hidden: boolean) {
    this.isHidden = hidden;
    this.changed?.();
  }
  pagehide() {
    this.leaving?.();
  }
}

/** What `promise` rejects with; it fails the test when the promise fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('It did not reject.');
}
