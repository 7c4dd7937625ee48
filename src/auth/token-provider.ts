/** The signed-in user, as a token provider with interactive sign-in knows them. */
export interface SignedInAccount {
  /** The user name, usually an email address. */
  username: string;
  /** The display name, when the account has one. */
  name?: string | undefined;
}

/**
 * Where access tokens come from. Every implementation asks for the least: the scopes a call needs, when it needs
 * them, so consent grows with use.
 */
export interface TokenProvider {
  /** An access token for Microsoft Graph with at least these scopes. Rejects when the user must sign in. */
  getToken(scopes: string[], signal?: AbortSignal): Promise<string>;
  /** Graph refused this token (401): forget it, so that the next `getToken` gets a fresh one. */
  invalidate?(token: string): void;
  /**
   * Asks the user interactively (sign-in, consent to `scopes`). Called from a click, such as the "Grant access"
   * button `<team-presence-list>` shows when `getToken` rejects with `ConsentRequiredError`, or the sign-in button
   * of `<presence-sign-in>`. Resolves with the account signed in (a `SignedInAccount`) when it has one at once.
   */
  signIn?(scopes?: string[]): Promise<unknown>;
  /**
   * Who is signed in, or null. With `signIn` and `signOut`, it makes the provider one that `<presence-sign-in>`
   * can sign in and out (`msalTokenProvider` has all three).
   */
  account?(): Promise<SignedInAccount | null>;
  /** Signs the user out. */
  signOut?(): Promise<void>;
  /**
   * Names the application and tenant the tokens are for (`msalTokenProvider` sets it to its client id and
   * authority), so that `createPresenceClient` lets the tabs of the same app and tenant share one poller. Leave it
   * out when tokens could be for another app or tenant from one call to the next.
   */
  readonly tabKey?: string;
  /**
   * The application's (client) id the tokens are for (`msalTokenProvider` sets it). An app's presence session
   * (`client.myPresence.appSession`) is named by it.
   */
  readonly clientId?: string;
}

/** A key naming what presences come from (app, tenant, Graph's root), alike however each part was spelled. */
export function tabKeyOf(parts: string[]): string {
  return parts.map((part) => part.trim().replace(/\/+$/, '').toLowerCase()).join(' ');
}

export interface BringYourOwnTokenOptions {
  /**
   * Keep each token (by scopes) until two minutes before the `exp` in it, and share one call among callers asking
   * at the same time. Default true. Tokens that are not JWTs are never kept.
   */
  cache?: boolean;
  /**
   * The app's own interactive step (a popup of its sign-in library asking for `scopes`), run from a click. When the
   * token function throws `ConsentRequiredError(scopes)` for a background request, `<team-presence-list>` offers a
   * "Grant access" button that calls this, then loads again.
   */
  signIn?: (scopes: string[]) => Promise<unknown> | unknown;
  /** The application's (client) id the tokens are for, which names its presence session (`appSession`). */
  clientId?: string;
}

/** When a JWT expires (milliseconds since the epoch), or undefined when it is not a JWT with an `exp`. */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the shared call goes on for the others). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const EARLY_MS = 2 * 60_000;

/**
 * A token provider for apps that get tokens their own way (their backend, another library). Tokens are kept until
 * shortly before they expire, so the app's function is called once per set of scopes, not once per Graph call.
 */
export function bringYourOwnToken(
  getToken: (scopes: string[], signal?: AbortSignal) => Promise<string> | string,
  options: BringYourOwnTokenOptions = {},
): TokenProvider {
  const cache = options.cache !== false;
  const kept = new Map<string, { token: string; until: number }>();
  const asking = new Map<string, Promise<string>>();
  const fetchToken = async (scopes: string[], signal?: AbortSignal): Promise<string> => {
    const token = await getToken(scopes, signal);
    if (typeof token !== 'string' || !token) throw new Error('The token function returned no token.');
    return token;
  };
  return {
    async getToken(scopes, signal) {
      signal?.throwIfAborted();
      if (!cache) return fetchToken(scopes, signal);
      const key = [...new Set(scopes)].sort().join(' ');
      const known = kept.get(key);
      if (known && known.until > Date.now()) return known.token;
      let pending = asking.get(key);
      if (!pending) {
        // Shared by everyone asking meanwhile, so no one caller's abort cancels it for the others.
        pending = fetchToken(scopes).then((token) => {
          const expiry = expiryOf(token);
          if (expiry !== undefined) kept.set(key, { token, until: expiry - EARLY_MS });
          return token;
        });
        asking.set(key, pending);
        void pending.finally(() => asking.delete(key)).catch(() => undefined);
      }
      return abortable(pending, signal);
    },
    invalidate(token) {
      for (const [key, value] of kept) if (value.token === token) kept.delete(key);
    },
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.signIn
      ? {
          async signIn(scopes: string[] = []) {
            await options.signIn!(scopes);
            // Tokens kept from before may lack what was just granted.
            kept.clear();
          },
        }
      : {}),
  };
}

/** The scopes each kind of call needs, least first. */
export const SCOPES = {
  me: ['User.Read'],
  ownPresence: ['Presence.Read'],
  ownPresenceWrite: ['Presence.ReadWrite'],
  presence: ['Presence.Read.All'],
  users: ['User.ReadBasic.All'],
  photos: ['User.ReadBasic.All'],
  teamMembers: ['TeamMember.Read.All'],
  groupMembers: ['GroupMember.Read.All'],
} as const;
