import type { AccountInfo, IPublicClientApplication } from '@azure/msal-browser';
import { ConsentRequiredError, SignInRequiredError, userIsActive } from './errors.js';
import { authorityOf, msalTabKey } from './msal-key.js';
import type { TokenProvider } from './token-provider.js';

export { ConsentRequiredError, SignInRequiredError } from './errors.js';

export interface MsalTokenProviderOptions {
  /** The app registration's client id. Not needed when `app` is given. */
  clientId?: string;
  /** The tenant id or domain, for `https://login.microsoftonline.com/<tenant>`; `organizations` by default. */
  tenantId?: string;
  /** The full authority (a national cloud, the local emulator); wins over `tenantId`. */
  authority?: string;
  /** The redirect-bridge page (same origin, no COOP header). Default `<origin>/redirect.html`. */
  redirectUri?: string;
  /** Hosts trusted without instance discovery (needed for the emulator and for B2C-style authorities). */
  knownAuthorities?: string[];
  /** The app's own MSAL instance, already configured: its accounts and cache are shared. */
  app?: IPublicClientApplication;
  /** Use nested app authentication when running inside Teams, Outlook or the Microsoft 365 app. */
  nested?: boolean;
  /**
   * How to ask the user when silent sign-in is not enough. Default `popup`; `none` never asks. Either way a window
   * opens (or the page leaves) only during a click: a background request that needs consent throws
   * `ConsentRequiredError` instead, for a button to call `signIn(scopes)`; one whose session ended throws
   * `SignInRequiredError`, and the user counts as signed out until `signIn()`.
   */
  interaction?: 'popup' | 'redirect' | 'none';
}

export interface MsalTokenProvider extends TokenProvider {
  /** The signed-in account, if any. */
  account(): Promise<AccountInfo | null>;
  /**
   * Signs in with a popup (or a redirect), asking for `scopes` (default the basic ones): call it from a click. When
   * someone is signed in already, they are asked to consent to the scopes, as the same account.
   */
  signIn(scopes?: string[]): Promise<AccountInfo | null>;
  signOut(): Promise<void>;
}

const BASE_SCOPES = ['User.Read', 'Presence.Read.All', 'User.ReadBasic.All'];

/** Microsoft's own sign-in hosts, which MSAL discovers by itself. */
const MICROSOFT_HOSTS =
  /(^|\.)(login\.microsoftonline\.(com|us)|login\.partner\.microsoftonline\.cn|login\.chinacloudapi\.cn|login\.windows\.net|login\.microsoft\.com|sts\.windows\.net)$/i;

/** Another authority (a national cloud, the local emulator) is trusted by its host, without instance discovery. */
function knownAuthoritiesFor(authority: string | undefined): string[] {
  if (!authority) return [];
  let url: URL;
  try {
    url = new URL(authority);
  } catch {
    throw new Error(
      `The authority "${authority}" is not a URL: give one such as https://login.microsoftonline.com/<tenant>, or the tenant instead (tenantId; the tenant attribute).`,
    );
  }
  return MICROSOFT_HOSTS.test(url.hostname) ? [] : [url.host];
}

/**
 * Whether MSAL's interaction-required error is about consent (Entra's AADSTS65001, suberror `consent_required`)
 * rather than a session that ended.
 */
function needsConsent(error: unknown): boolean {
  const e = error as { errorCode?: string; subError?: string; errorMessage?: string; message?: string } | null;
  if (!e) return false;
  return (
    e.errorCode === 'consent_required' ||
    e.subError === 'consent_required' ||
    /AADSTS65001\b/.test(`${e.errorMessage ?? ''} ${e.message ?? ''}`)
  );
}

/**
 * Tokens from MSAL Browser v5, loaded with `import()` only when first needed. Silent first; then a popup or a
 * redirect when MSAL says interaction is required. Scopes are asked for as calls need them.
 */
export function msalTokenProvider(options: MsalTokenProviderOptions): MsalTokenProvider {
  if (!options.app && !options.clientId)
    throw new Error('msalTokenProvider needs a clientId or an app (a PublicClientApplication).');
  // Which app and tenant the tokens are for, so that tabs of one app share a poller (see `TokenProvider.tabKey`).
  let configured: { clientId?: string; authority?: string } | undefined;
  try {
    configured = options.app
      ? options.app.getConfiguration?.().auth
      : { clientId: options.clientId!, authority: authorityOf(options) };
  } catch {
    configured = undefined;
  }
  const tabKey = configured?.clientId ? msalTabKey(configured.clientId, configured.authority) : undefined;
  let ready:
    | Promise<{
        app: IPublicClientApplication;
        InteractionRequired: typeof import('@azure/msal-browser').InteractionRequiredAuthError;
      }>
    | undefined;

  const load = () =>
    (ready ??= (async () => {
      // Only the three names used, so the bundler can leave the rest of MSAL out of its chunk.
      const {
        createNestablePublicClientApplication,
        createStandardPublicClientApplication,
        InteractionRequiredAuthError,
      } = await import('@azure/msal-browser');
      let app = options.app;
      if (!app) {
        const config = {
          auth: {
            clientId: options.clientId!,
            authority: authorityOf(options),
            redirectUri: options.redirectUri ?? `${location.origin}/redirect.html`,
            knownAuthorities: options.knownAuthorities ?? knownAuthoritiesFor(options.authority),
          },
          cache: { cacheLocation: 'localStorage' as const },
        };
        app = options.nested
          ? await createNestablePublicClientApplication(config)
          : await createStandardPublicClientApplication(config);
      }
      const redirected = await app.handleRedirectPromise();
      if (redirected?.account) app.setActiveAccount(redirected.account);
      return { app, InteractionRequired: InteractionRequiredAuthError };
    })());

  // Signed out inside a host: its session stays, so neither it nor its cached account is used until `signIn()`.
  let leftHost = false;
  // The session ended (revoked, expired) while nobody was clicking: the user is signed out until `signIn()`.
  let lapsed = false;
  const currentAccount = (app: IPublicClientApplication) =>
    leftHost || lapsed ? null : (app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null);

  const interactive = async (app: IPublicClientApplication, scopes: string[], cause: unknown) => {
    // No click under way: a popup would be blocked, and a redirect would take the page away from the user without
    // asking. A scope the user has not consented to yet: say which, for a button to call `signIn(scopes)` during
    // its click. A session that ended (revoked, expired): the user is signed out until `signIn()`, so that
    // `<presence-sign-in>` offers its button again.
    if (options.interaction === 'none' || !userIsActive()) {
      if (needsConsent(cause)) throw new ConsentRequiredError(scopes);
      lapsed = true;
      throw new SignInRequiredError('Sign-in is required again.');
    }
    if (options.interaction === 'redirect') {
      await app.acquireTokenRedirect({ scopes });
      throw new SignInRequiredError('Redirecting to sign in.');
    }
    const result = await app.acquireTokenPopup({ scopes });
    if (result.account) app.setActiveAccount(result.account);
    return result.accessToken;
  };

  // Tokens Graph refused: the next silent request for them skips MSAL's cache.
  const refused = new Set<string>();

  return {
    ...(tabKey ? { tabKey } : {}),
    ...(configured?.clientId ? { clientId: configured.clientId } : {}),
    async getToken(scopes, signal) {
      const { app, InteractionRequired } = await load();
      signal?.throwIfAborted();
      const account = currentAccount(app);
      if (!account && options.nested && !leftHost) {
        // Inside Teams, Outlook or the Microsoft 365 app the host knows the user: ask it, with no click (nested
        // app authentication). Outside such a host MSAL answers that nobody is signed in.
        try {
          const result = await app.acquireTokenSilent({ scopes });
          if (result.account) app.setActiveAccount(result.account);
          return result.accessToken;
        } catch {
          throw new SignInRequiredError();
        }
      }
      // The application's own MSAL may have signed the user in again by itself since the session ended: its
      // account is tried once more, silently.
      const signedIn =
        account ??
        (lapsed && options.app && !leftHost ? (app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null) : null);
      // Nobody signed in: background calls never open a window by themselves (browsers block popups without a
      // click anyway); `signIn()` (the sign-in button) does, and the client then reloads.
      if (!signedIn) throw new SignInRequiredError();
      try {
        const forceRefresh = refused.size > 0;
        const token = (
          await app.acquireTokenSilent({ scopes, account: signedIn, ...(forceRefresh ? { forceRefresh } : {}) })
        ).accessToken;
        if (refused.has(token)) throw new Error('Microsoft Entra ID returned a token that Microsoft Graph refused.');
        refused.clear();
        lapsed = false;
        return token;
      } catch (error) {
        if (error instanceof InteractionRequired) return interactive(app, scopes, error);
        throw error;
      }
    },
    invalidate(token) {
      refused.add(token);
    },
    async account() {
      const { app } = await load();
      const account = currentAccount(app);
      if (account || !options.nested || leftHost) return account;
      // Inside a host, the user it knows is signed in here too.
      try {
        const result = await app.acquireTokenSilent({ scopes: ['User.Read'] });
        if (result.account) app.setActiveAccount(result.account);
        return result.account ?? null;
      } catch {
        return null;
      }
    },
    async signIn(scopes = BASE_SCOPES) {
      const { app } = await load();
      // More scopes for the signed-in user (incremental consent), or a session that ended: the same account, no
      // account picker.
      const account = leftHost ? null : (app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null);
      leftHost = false;
      lapsed = false;
      const request = { scopes, ...(account ? { account } : {}) };
      if (options.interaction === 'redirect') {
        await app.loginRedirect(request);
        return null;
      }
      const result = await app.loginPopup(request);
      if (result.account) app.setActiveAccount(result.account);
      return result.account;
    },
    async signOut() {
      const { app } = await load();
      const account = currentAccount(app);
      try {
        if (options.interaction === 'redirect') await app.logoutRedirect({ account });
        else await app.logoutPopup({ account });
      } catch (error) {
        // A host's session (nested app authentication) cannot be ended from inside it: forget it here instead.
        if (!options.nested) throw error;
        app.setActiveAccount(null);
        leftHost = true;
      }
    },
  };
}
