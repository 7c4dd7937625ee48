// Who watches whom, and sending each user exactly the presences they watch through Azure SignalR Service's REST API,
// several updates per message.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseConnectionString, serverToken, type SignalRConnection } from '../../common/signalr-connection.js';
import type { RelayPresence } from './notifications.js';

/** The most ids one user may watch through the relay. */
export const MAX_WATCHED_PER_USER = 10_000;

export class Watchers {
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byId = new Map<string, Set<string>>();

  /** Replaces what a user watches. Returns the ids no one watched before and the ids no one watches any more. */
  set(userId: string, ids: string[]): { added: string[]; removed: string[] } {
    const next = new Set(ids.slice(0, MAX_WATCHED_PER_USER));
    const previous = this.byUser.get(userId) ?? new Set<string>();
    const added: string[] = [];
    const removed: string[] = [];
    for (const id of previous) {
      if (next.has(id)) continue;
      const users = this.byId.get(id)!;
      users.delete(userId);
      if (users.size === 0) {
        this.byId.delete(id);
        removed.push(id);
      }
    }
    for (const id of next) {
      if (previous.has(id)) continue;
      let users = this.byId.get(id);
      if (!users) {
        this.byId.set(id, (users = new Set()));
        added.push(id);
      }
      users.add(userId);
    }
    if (next.size) this.byUser.set(userId, next);
    else this.byUser.delete(userId);
    return { added, removed };
  }

  watchersOf(id: string): ReadonlySet<string> {
    return this.byId.get(id) ?? new Set();
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }
}

function post(url: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('SignalR Service timed out')));
    req.end(body);
  });
}

export class FanOut {
  private readonly connection: SignalRConnection;
  /** Messages sent and presences delivered, for the bench. */
  readonly counts = { messages: 0, presences: 0, failures: 0 };

  constructor(connectionString: string, private readonly hub = 'presence', private readonly target = 'presence') {
    this.connection = parseConnectionString(connectionString);
  }

  /** Sends every watcher the presences they watch, in one message per user. */
  async publish(presences: RelayPresence[], watchers: Watchers): Promise<void> {
    const perUser = new Map<string, RelayPresence[]>();
    for (const presence of presences) {
      for (const user of watchers.watchersOf(presence.id)) {
        let list = perUser.get(user);
        if (!list) perUser.set(user, (list = []));
        list.push(presence);
      }
    }
    await Promise.all(
      [...perUser].map(async ([user, list]) => {
        const url = `${this.connection.endpoint}/api/v1/hubs/${encodeURIComponent(this.hub)}/users/${encodeURIComponent(user)}`;
        try {
          const status = await post(url, serverToken({ accessKey: this.connection.accessKey, audience: url }), JSON.stringify({ target: this.target, arguments: [list] }));
          if (status >= 300) throw new Error(`SignalR Service answered ${status}`);
          this.counts.messages++;
          this.counts.presences += list.length;
        } catch {
          this.counts.failures++;
        }
      }),
    );
  }
}
