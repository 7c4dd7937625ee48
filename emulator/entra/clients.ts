// The applications registered in the emulated tenant.

export interface ClientApp {
  clientId: string;
  name: string;
  /** `spa`: public client whose codes must be redeemed cross-origin with PKCE; `web`: confidential, with a secret. */
  type: 'spa' | 'web';
  /** Exact redirect URIs, or patterns with `*` for any port (`http://localhost:*`) on this machine. */
  redirectUris: string[];
  secret?: string;
  /** Scopes the app exposes as an API, e.g. `api://<clientId>/access_as_user`. */
  exposedScopes?: string[];
  /** Application permissions (roles) granted for Microsoft Graph, for client_credentials. */
  graphRoles?: string[];
  /**
   * The app manifest's `accessTokenAcceptedVersion` (Microsoft Graph's `api.requestedAccessTokenVersion`), for an app
   * exposing an API: which access tokens it gets. `null` or absent (the default) and `1`: v1.0 tokens; `2`: v2.0
   * tokens (https://learn.microsoft.com/entra/identity-platform/access-tokens#token-formats).
   */
  accessTokenAcceptedVersion?: 1 | 2 | null;
}

export const DEMO_SPA_CLIENT_ID = '5f0c2a57-9d3e-4b6a-8c1f-2e7d9a4b6c10';
export const DEMO_RELAY_CLIENT_ID = '8b3e6d21-4c7a-4f0e-9a25-61d0c3e8f742';
export const DEMO_RELAY_CLIENT_SECRET = 'relay-secret-for-the-local-emulator-only';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export const DEFAULT_CLIENTS: ClientApp[] = [
  {
    clientId: DEMO_SPA_CLIENT_ID,
    name: 'Presence Elements demo',
    type: 'spa',
    redirectUris: ['http://localhost:*', 'http://127.0.0.1:*', 'https://localhost:*', 'https://127.0.0.1:*'],
  },
  {
    clientId: DEMO_RELAY_CLIENT_ID,
    name: 'Presence Elements relay',
    type: 'web',
    redirectUris: ['http://localhost:*', 'http://127.0.0.1:*'],
    secret: DEMO_RELAY_CLIENT_SECRET,
    exposedScopes: [`api://${DEMO_RELAY_CLIENT_ID}/access_as_user`],
    graphRoles: ['User.Read.All'],
  },
];

/** Whether a redirect URI is registered for the app; `*` in a registration stands for a port and any path. */
export function redirectAllowed(app: ClientApp, redirectUri: string): boolean {
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return false;
  }
  return app.redirectUris.some((registered) => {
    if (!registered.includes('*')) return registered === redirectUri;
    const pattern = new URL(registered.replace(':*', ''));
    return pattern.protocol === target.protocol && pattern.hostname === target.hostname;
  });
}
