// `<presence-provider client-id>`'s token provider: MSAL's (msal.ts), its code loaded the first time a token,
// the account or a sign-in is asked for. A page that gives its own client never downloads it.
import type { MsalTokenProvider, MsalTokenProviderOptions } from './msal.js';
import { loadOnce } from '../loading/load-once.js';
import { authorityOf, msalTabKey } from './msal-key.js';

/**
 * Behaves as `msalTokenProvider(options)` (made from a client id, not an app), with what it names (`tabKey`,
 * `clientId`) known at once and the rest loaded on first use.
 */
export function deferredMsal(
  options: MsalTokenProviderOptions & { clientId: string },
  load: () => Promise<Pick<typeof import('./msal.js'), 'msalTokenProvider'>> = () => import('./msal.js'),
): MsalTokenProvider {
  let loaded: MsalTokenProvider | undefined;
  // A failed load (offline, a replaced chunk) rejects the call that asked, saying so; the next call loads again.
  const provider = loadOnce('The sign-in code (MSAL)', () =>
    load().then(({ msalTokenProvider }) => (loaded = msalTokenProvider(options))),
  );
  return {
    tabKey: msalTabKey(options.clientId, authorityOf(options)),
    clientId: options.clientId,
    getToken: async (scopes, signal) => (await provider()).getToken(scopes, signal),
    // A token to forget was given by the loaded provider: nothing to forget before.
    invalidate: (token) => loaded?.invalidate?.(token),
    account: async () => (await provider()).account(),
    signIn: async (scopes) => (await provider()).signIn(scopes),
    signOut: async () => (await provider()).signOut(),
  };
}
