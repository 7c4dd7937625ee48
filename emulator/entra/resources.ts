// Which resource a token request's scopes name, as the v2.0 endpoint reads them
// ("Scopes and permissions", https://learn.microsoft.com/entra/identity-platform/scopes-oidc): a bare name
// ("User.Read") is Microsoft Graph's; other APIs' scopes are prefixed with their App ID URI
// ("api://<id>/access_as_user"); `openid`, `profile`, `email`, `offline_access` are OpenID Connect's. One request
// gets a token for one resource (AADSTS28000 otherwise).
import { GRAPH_APP_ID, GRAPH_RESOURCE, type ClientApp } from './clients.js';
import { OAuthError } from './oauth-error.js';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEFAULT_GRAPH_SCOPES = [
  'User.Read',
  'User.ReadBasic.All',
  'Presence.Read',
  'Presence.Read.All',
  'Presence.ReadWrite',
  'TeamMember.Read.All',
  'GroupMember.Read.All',
];

export interface ResolvedScopes {
  /** The resource: `https://graph.microsoft.com` for Graph, else the API's App ID URI. */
  resource: string;
  /**
   * The resource as the request named it, which a v1.0 token's `aud` repeats: Graph's application id for bare
   * scope names and for its id, `https://graph.microsoft.com` when named so; an API's App ID URI.
   */
  audience: string;
  /** The app registration exposing the API (none for Graph). */
  owner?: ClientApp | undefined;
  /** The resource's scopes granted, without their prefix. */
  scopes: string[];
}

/** The app registration exposing an API, by App ID URI or client id. */
export function apiOwner(resource: string, clients: Iterable<ClientApp>): ClientApp | undefined {
  for (const client of clients) {
    if (client.clientId === resource || client.exposedScopes?.some((s) => s.startsWith(`${resource}/`))) return client;
  }
  return undefined;
}

/** Splits requested scopes into OIDC scopes and one resource's scopes (Entra refuses several resources at once). */
export function resolveScopes(requested: string[], clients: Iterable<ClientApp>): ResolvedScopes {
  const resources = new Map<string, { named: string; names: string[] }>();
  for (const scope of requested) {
    if (OIDC_SCOPES.has(scope)) continue;
    const match = /^(.*)\/([^/]+)$/.exec(scope);
    let resource = GRAPH_RESOURCE;
    let named = GRAPH_APP_ID;
    let name = scope;
    if (match && (match[1]!.startsWith('api://') || match[1]!.startsWith('http') || match[1] === GRAPH_APP_ID)) {
      named = match[1]!;
      resource = named === GRAPH_APP_ID ? GRAPH_RESOURCE : named;
      name = match[2]!;
    }
    const entry = resources.get(resource) ?? { named, names: [] };
    entry.names.push(name);
    resources.set(resource, entry);
  }
  if (resources.size > 1)
    throw new OAuthError(
      400,
      'invalid_request',
      28000,
      'Provided value for the input parameter scope is not valid because it contains more than one resource.',
    );
  const [resource, { named, names }] = [...resources.entries()][0] ?? [
    GRAPH_RESOURCE,
    { named: GRAPH_APP_ID, names: ['User.Read'] },
  ];
  let owner: ClientApp | undefined;
  if (resource !== GRAPH_RESOURCE) {
    owner = apiOwner(resource, clients);
    if (!owner)
      throw new OAuthError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant.`,
      );
    for (const n of names) {
      if (n !== '.default' && !owner.exposedScopes?.includes(`${resource}/${n}`)) {
        throw new OAuthError(
          400,
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid. The scope ${resource}/${n} does not exist.`,
        );
      }
    }
  }
  const expanded = names.includes('.default')
    ? resource === GRAPH_RESOURCE
      ? DEFAULT_GRAPH_SCOPES
      : (owner?.exposedScopes ?? []).map((s) => s.slice(resource.length + 1))
    : names;
  return { resource, audience: named, owner, scopes: expanded };
}

/** The scopes as the token response names them: Graph's bare ("User.Read"), other APIs' in full. */
export function scopeNames(resolved: ResolvedScopes): string[] {
  return resolved.scopes.map((s) => (resolved.resource === GRAPH_RESOURCE ? s : `${resolved.resource}/${s}`));
}
