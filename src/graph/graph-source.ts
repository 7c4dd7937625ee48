import { loadOnce } from '../loading/load-once.js';
import { SCOPES, type TokenProvider } from '../auth/token-provider.js';
import type { PresenceSource, Profile } from '../client/types.js';
import type { GraphPresence } from '../presence/types.js';
import { readBatchAnswer } from './batch-answer.js';
import { base64Bytes, GRAPH_BATCH, headerOf, pool, type BatchItem } from './batch.js';
import { chunk, PRESENCE_CHUNK } from './chunk.js';
import { graphFetch, graphRoot } from './graph-fetch.js';
import { readPresenceAnswer } from './presence-answer.js';
import { PROFILE_FIELDS } from './profile-fields.js';
import { presenceWrites } from './presence-writes.js';
import { DEFAULT_RETRY, GraphCallError, RETRYABLE, retryAfterMs, sleep, type RetryPolicy } from './retry.js';

export interface GraphSourceOptions {
  auth: TokenProvider;
  /** Graph's root, default `https://graph.microsoft.com`; the emulator's for local runs. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** How many `$batch` requests run at once. Default 4. */
  concurrency?: number;
  /**
   * The scopes other people's profiles are read with. Default `User.ReadBasic.All`: names, mail and
   * userPrincipalName, the "basic profile" that permission is limited to (Microsoft Graph permissions reference,
   * https://learn.microsoft.com/graph/permissions-reference#userreadbasicall), so no job title. `['User.Read.All']`
   * (admin consent) adds job titles to contact cards.
   */
  profileScopes?: string[];
}

/** The code that pages Graph's members, loaded by the first list of members. */
const loadMembers = /* @__PURE__ */ loadOnce("The code that reads a team's members", () => import('./members.js'));

/** `text` as a URL path segment; undefined when it is not well-formed text (a lone surrogate). */
function encoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The photo size asked for: Microsoft 365 keeps photos in 48, 64, 96, 120, 240, 360, 432, 504 and 648 pixels
 * (profilephoto-get). 96x96 covers the default 40 px avatar (and a 48 px one) at 2x device pixels for a few KB;
 * `/photo/$value` would send the largest, up to 648x648, for a 32 px circle.
 */
const PHOTO_SIZE = '96x96';

/**
 * Presence, profiles, photos and members from Microsoft Graph, over the page's `fetch` (graph-fetch.ts): presence in
 * chunks of 650, profiles and photos in `$batch`es of 20 with throttled items retried on their own, members paged.
 * Tokens are asked for with the least scopes each call needs.
 */
export class GraphSource implements PresenceSource {
  private readonly root: string;
  private readonly policy: RetryPolicy;
  private readonly concurrency: number;
  /** Requests made, by kind, for tests and benchmarks. */
  readonly counts = { presence: 0, batch: 0, members: 0, other: 0 };

  constructor(private readonly options: GraphSourceOptions) {
    this.root = graphRoot(options.baseUrl);
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.concurrency = options.concurrency ?? 4;
  }

  private async request<T>(
    path: string,
    scopes: readonly string[],
    signal: AbortSignal | undefined,
    body?: unknown,
    again = true,
    keepalive = false,
  ): Promise<T> {
    const auth = this.options.auth;
    const token = await auth.getToken([...scopes], signal);
    try {
      return (await graphFetch(this.root, { path, token, body, signal, keepalive }, this.policy)) as T;
    } catch (failure) {
      // A token Graph no longer takes (revoked, or expired early): forget it and try once with a fresh one.
      if (again && auth.invalidate && failure instanceof GraphCallError && failure.status === 401) {
        auth.invalidate(token);
        return this.request<T>(path, scopes, signal, body, false, keepalive);
      }
      throw failure;
    }
  }

  /** The signed-in user's presence writes (presence-writes.ts), with `Presence.ReadWrite`. */
  private readonly writes = presenceWrites((path, body, { signal, keepalive }) =>
    this.request(path, SCOPES.ownPresenceWrite, signal, body, true, keepalive),
  );
  /** Sets the user's preferred presence (`PresenceWrites`). */
  readonly setUserPreferredPresence = this.writes.setUserPreferredPresence;
  /** Clears the user's preferred presence (`PresenceWrites`). */
  readonly clearUserPreferredPresence = this.writes.clearUserPreferredPresence;
  /** Sets or clears the user's status message (`PresenceWrites`). */
  readonly setStatusMessage = this.writes.setStatusMessage;
  /** Sets the app's presence session for the user (`PresenceWrites`). */
  readonly setPresence = this.writes.setPresence;
  /** Ends the app's presence session for the user (`PresenceWrites`). */
  readonly clearPresence = this.writes.clearPresence;

  async presences(ids: string[], signal?: AbortSignal): Promise<GraphPresence[]> {
    const results = await Promise.all(
      chunk(ids, PRESENCE_CHUNK).map((part) => {
        this.counts.presence++;
        return this.request<unknown>('/communications/getPresencesByUserId', SCOPES.presence, signal, { ids: part });
      }),
    );
    return results.flatMap(readPresenceAnswer);
  }

  /**
   * Runs GET requests in `$batch`es of 20. Items Graph throttled (429) or found unavailable are retried on their own,
   * after the longest Retry-After among them; the others are returned as they are.
   */
  private async batch(
    urls: Map<string, string>,
    scopes: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, BatchItem>> {
    const results = new Map<string, BatchItem>();
    let pending = [...urls.entries()];
    for (let round = 0; pending.length > 0; round++) {
      const retry: Array<[string, string]> = [];
      let wait = 0;
      await pool(
        chunk(pending, GRAPH_BATCH).map((part) => async () => {
          this.counts.batch++;
          const reply = await this.request<unknown>('/$batch', scopes, signal, {
            requests: part.map(([id, url]) => ({ id, method: 'GET', url })),
          });
          for (const item of readBatchAnswer(reply)) {
            if (RETRYABLE.has(item.status) && round < this.policy.maxRetries) {
              retry.push([item.id, urls.get(item.id)!]);
              wait = Math.max(wait, retryAfterMs(headerOf(item, 'Retry-After')) ?? 1000);
            } else {
              results.set(item.id, item);
            }
          }
        }),
        this.concurrency,
      );
      pending = retry;
      if (pending.length) {
        this.policy.onWait?.(Math.min(wait, this.policy.maxWaitMs), 429);
        await sleep(Math.min(wait, this.policy.maxWaitMs), signal);
      }
    }
    return results;
  }

  async profiles(keys: string[], signal?: AbortSignal): Promise<Array<Profile & { key: string }>> {
    // A key that is not well-formed text cannot be put in a URL: it is left out (unknown), not the whole batch.
    const urls = new Map<string, string>();
    keys.forEach((key, i) => {
      const path = key.toLowerCase() === 'me' ? '/me' : encoded(key) && `/users/${encoded(key)}`;
      if (path) urls.set(String(i), `${path}?$select=${PROFILE_FIELDS}`);
    });
    const needsOthers = keys.some((k) => k.toLowerCase() !== 'me');
    const others = this.options.profileScopes?.length ? this.options.profileScopes : SCOPES.users;
    const replies = await this.batch(urls, needsOthers ? others : SCOPES.me, signal);
    const out: Array<Profile & { key: string }> = [];
    keys.forEach((key, i) => {
      const item = replies.get(String(i));
      const body = (item?.body ?? {}) as Record<string, unknown>;
      // Only text is taken: a field of another type (a proxy's or a faulty answer) is no value, never rendered.
      const text = (field: keyof Profile) => (typeof body[field] === 'string' ? (body[field] as string) : null);
      const id = text('id');
      if (item?.status === 200 && id)
        out.push({
          key,
          id,
          displayName: text('displayName'),
          userPrincipalName: text('userPrincipalName'),
          mail: text('mail'),
          jobTitle: text('jobTitle'),
        });
    });
    return out;
  }

  /**
   * One request per person, 20 to a `$batch`. A 404 is read as "no photo": Graph answers 404 both for a person
   * without one and for a size larger than the photo was uploaded in, and cannot tell the two apart in the answer.
   * Asking again for a smaller size or `/photo/$value` would cost every person without a photo (many people have
   * none) a second request to rescue the rare photo kept smaller than 96x96; those few show initials instead.
   */
  async photos(ids: string[], signal?: AbortSignal): Promise<Map<string, Blob | null>> {
    const urls = new Map<string, string>();
    ids.forEach((id, i) => {
      const path = encoded(id);
      if (path) urls.set(String(i), `/users/${path}/photos/${PHOTO_SIZE}/$value`);
    });
    const replies = await this.batch(urls, SCOPES.photos, signal);
    const out = new Map<string, Blob | null>();
    ids.forEach((id, i) => {
      const item = replies.get(String(i));
      if (item?.status === 200 && typeof item.body === 'string') {
        const type = headerOf(item, 'Content-Type') ?? 'image/jpeg';
        const bytes = base64Bytes(item.body);
        out.set(id, bytes ? new Blob([bytes], { type }) : null);
      } else {
        out.set(id, null);
      }
    });
    return out;
  }

  /** The members of a team or group, page by page (members.ts, loaded with the first list). */
  async members(
    kind: 'team' | 'group',
    id: string,
    onPage: (profiles: Profile[]) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const { pageMembers } = await loadMembers();
    await pageMembers(
      (path, scopes) => {
        this.counts.members++;
        return this.request(path, scopes, signal);
      },
      kind,
      id,
      onPage,
    );
  }
}
