// Which watched ids are users of the tenant, as Graph's directory says (`POST /directoryObjects/getByIds`, up to
// 1,000 ids a call, with the relay's own app token: application permission User.Read.All). Ids it does not know
// are not watched: no subscription is tried for them (Graph would refuse it, and finding the one refused costs
// several calls). Answers are kept for a day, so a page renewing its watch costs no call. When the directory
// cannot be asked (no token, Graph failing), ids are taken as users and asked about again next time.
import { graphCall } from './graph-call.js';

/** Graph's limit of ids per getByIds call. */
const IDS_PER_CALL = 1000;

export interface UserDirectoryOptions {
  graphBaseUrl: string;
  /** An app-only Graph token (client credentials), or undefined when none can be had. */
  token(): Promise<string | undefined>;
  /** How long an answer is kept. Default 24 hours. */
  ttlMs?: number;
  /** The most answers kept; the oldest go first. Default 200,000. */
  maxKept?: number;
  now?: () => number;
}

export class UserDirectory {
  private readonly known = new Map<string, { user: boolean; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: UserDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The ids among `ids` that the directory says are not users (lower-case GUIDs compared). */
  async notUsers(ids: string[]): Promise<Set<string>> {
    const now = this.now();
    const ttl = this.options.ttlMs ?? 24 * 3600_000;
    const key = (id: string) => id.toLowerCase();
    const unknown = [...new Set(ids.map(key))].filter((id) => {
      const entry = this.known.get(id);
      return !entry || now - entry.at > ttl;
    });
    if (unknown.length) await this.ask(unknown, now);
    return new Set(ids.filter((id) => this.known.get(key(id))?.user === false));
  }

  private async ask(ids: string[], now: number): Promise<void> {
    const token = await this.options.token().catch(() => undefined);
    if (!token) return;
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      const chunk = ids.slice(i, i + IDS_PER_CALL);
      const reply = await graphCall('POST', `${this.options.graphBaseUrl}/v1.0/directoryObjects/getByIds`, token, {
        ids: chunk,
        types: ['user'],
      }).catch(() => undefined);
      const found =
        reply?.status === 200 && Array.isArray(reply.body?.value)
          ? (reply.body.value as Array<Record<string, unknown>>)
          : undefined;
      if (!found) continue;
      const users = new Set(
        found
          .filter((o) => o?.['@odata.type'] === '#microsoft.graph.user' && typeof o.id === 'string')
          .map((o) => (o.id as string).toLowerCase()),
      );
      for (const id of chunk) {
        this.known.delete(id);
        this.known.set(id, { user: users.has(id), at: now });
      }
    }
    const max = this.options.maxKept ?? 200_000;
    for (const id of this.known.keys()) {
      if (this.known.size <= max) break;
      this.known.delete(id);
    }
  }
}

/** A directory asked with the relay's app token from `broker`, kept until five minutes before it expires. */
export function userDirectory(
  graphBaseUrl: string,
  broker: { appToken(): Promise<{ accessToken: string; expiresAt: number }> },
  now: () => number = Date.now,
): UserDirectory {
  let cached: { accessToken: string; expiresAt: number } | undefined;
  return new UserDirectory({
    graphBaseUrl,
    now,
    token: async () => {
      if (!cached || cached.expiresAt - now() < 5 * 60_000) cached = await broker.appToken();
      return cached.accessToken;
    },
  });
}
