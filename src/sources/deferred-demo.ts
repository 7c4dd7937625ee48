import type { PresenceSource, Profile } from '../client/types.js';
import type {
  AppPresenceBody,
  PreferredPresenceBody,
  PresenceWrites,
  StatusMessageBody,
} from '../client/write-types.js';
import type { GraphPresence } from '../presence/types.js';
import { loadOnce } from '../loading/load-once.js';
import type { DemoSource } from './demo.js';

/**
 * The demo tenant, its code loaded with `import()` on the first read: `<presence-provider demo>` downloads it, a
 * live page never does. Answers as `DemoSource` does, writes included.
 */
export class DeferredDemoSource implements PresenceSource, PresenceWrites {
  /** `load` imports the demo's module (replaced in tests). */
  constructor(
    private readonly load: () => Promise<Pick<typeof import('./demo.js'), 'DemoSource'>> = () => import('./demo.js'),
  ) {}

  /**
   * The demo source, once its code is here. A failed load rejects the read that asked, saying so; the next read
   * loads again.
   */
  readonly loaded: () => Promise<DemoSource> = loadOnce("The demo tenant's code", () =>
    this.load().then(({ DemoSource }) => new DemoSource()),
  );

  async presences(ids: string[]): Promise<GraphPresence[]> {
    return (await this.loaded()).presences(ids);
  }

  async profiles(keys: string[]): Promise<Array<Profile & { key: string }>> {
    return (await this.loaded()).profiles(keys);
  }

  async photos(ids: string[]): Promise<Map<string, Blob | null>> {
    return (await this.loaded()).photos(ids);
  }

  async members(kind: 'team' | 'group', id: string, onPage: (profiles: Profile[]) => void): Promise<void> {
    return (await this.loaded()).members(kind, id, onPage);
  }

  async setUserPreferredPresence(userId: string, body: PreferredPresenceBody): Promise<void> {
    return (await this.loaded()).setUserPreferredPresence(userId, body);
  }

  async clearUserPreferredPresence(userId: string): Promise<void> {
    return (await this.loaded()).clearUserPreferredPresence(userId);
  }

  async setStatusMessage(userId: string, statusMessage: StatusMessageBody): Promise<void> {
    return (await this.loaded()).setStatusMessage(userId, statusMessage);
  }

  async setPresence(userId: string, body: AppPresenceBody): Promise<void> {
    return (await this.loaded()).setPresence(userId, body);
  }

  async clearPresence(userId: string, sessionId: string): Promise<void> {
    return (await this.loaded()).clearPresence(userId, sessionId);
  }
}
