// The claims Entra ID puts in the tokens it issues, by token version.
//
// Access tokens ("Access tokens in the Microsoft identity platform",
// https://learn.microsoft.com/entra/identity-platform/access-tokens#token-formats, and "Access token claims
// reference", https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
// - The resource decides the version, not the endpoint: an API registered with `accessTokenAcceptedVersion: 2` gets
//   v2.0 tokens; `null` (the default) and `1` get v1.0. Microsoft Graph's tokens are v1.0.
// - v1.0: `iss` `https://sts.windows.net/{tid}/`, `ver` "1.0", `appid` + `appidacr`, `upn` and `unique_name` for
//   users, `aud` the resource as the request named it (an App ID URI such as `api://<id>`, or a client id); the
//   header carries `x5t` beside `kid`.
// - v2.0: `iss` `https://login.microsoftonline.com/{tid}/v2.0`, `ver` "2.0", `azp` + `azpacr`, `preferred_username`,
//   `aud` always the API's client id.
// ID tokens ("ID token claims reference", https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference)
// from the v2.0 endpoint are v2.0, for the client that asked.
import { createHash, randomBytes } from 'node:crypto';
import type { JwtClaims } from '../../common/jwt.js';
import type { TenantUser } from '../tenant/tenant.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, type ClientApp } from './clients.js';

export type TokenVersion = '1.0' | '2.0';

/**
 * Microsoft Graph change tracking, the application whose validation tokens come with rich notifications
 * ("Set up change notifications that include resource data", https://learn.microsoft.com/graph/change-notifications-with-resource-data#how-to-validate).
 */
export const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** The issuer of v1.0 tokens for a tenant. */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** The version of the access tokens a resource gets: Graph v1.0; a registered API by its manifest. */
export function accessTokenVersion(resource: string, owner: ClientApp | undefined): TokenVersion {
  if (resource === GRAPH_RESOURCE || resource === GRAPH_APP_ID) return '1.0';
  return owner?.accessTokenAcceptedVersion === 2 ? '2.0' : '1.0';
}

function sha256base64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The pairwise subject of a user for an application. */
export function pairwiseSubject(userId: string, clientId: string): string {
  return sha256base64url(`${userId}/${clientId}`).slice(0, 43);
}

/** The object id of an application's service principal in the tenant (stable per app). */
export function servicePrincipalId(clientId: string): string {
  const hex = createHash('sha256').update(`service-principal/${clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An opaque value, as Entra's `aio`, `rh` and `uti` are. */
function opaque(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

export interface AccessTokenSpec {
  tenantId: string;
  /** The v2.0 issuer (the emulator's stand-in for `https://login.microsoftonline.com/{tid}/v2.0`). */
  v2Issuer: string;
  /** Seconds since the epoch, on the emulator's clock. */
  now: number;
  lifetimeSeconds: number;
  /** The client the token is issued to, and whether it proved itself with a secret. */
  clientId: string;
  confidential: boolean;
  /** The resource as the request named it (`https://graph.microsoft.com`, Graph's id, `api://<id>`). */
  audience: string;
  /** The app registration exposing the resource, when it is not Graph. */
  owner?: ClientApp | undefined;
  user?: TenantUser | undefined;
  scopes?: string[];
  roles?: string[];
}

/** An access token's claims, and its version. */
export function accessTokenClaims(spec: AccessTokenSpec): { claims: JwtClaims; version: TokenVersion } {
  const version = accessTokenVersion(spec.audience, spec.owner);
  const graph = spec.audience === GRAPH_RESOURCE || spec.audience === GRAPH_APP_ID;
  const v1 = version === '1.0';
  const clientAuth = spec.confidential ? '1' : '0';
  const claims: JwtClaims = {
    // A v2.0 token names its API by client id, whatever the request called it.
    aud: v1 ? spec.audience : spec.owner!.clientId,
    iss: v1 ? v1Issuer(spec.tenantId) : spec.v2Issuer,
    iat: spec.now,
    nbf: spec.now,
    exp: spec.now + spec.lifetimeSeconds,
    aio: opaque(48),
    ...(v1 ? { appid: spec.clientId, appidacr: clientAuth } : { azp: spec.clientId, azpacr: clientAuth }),
  };
  const user = spec.user;
  if (user) {
    Object.assign(claims, v1 ? { acr: '1', amr: ['pwd'] } : {});
    if (v1 && user.surname) claims.family_name = user.surname;
    if (v1 && user.givenName) claims.given_name = user.givenName;
    if (graph) claims.idtyp = 'user';
    Object.assign(claims, {
      name: user.displayName,
      oid: user.id,
      ...(v1 ? {} : { preferred_username: user.userPrincipalName }),
      rh: opaque(),
      scp: (spec.scopes ?? []).join(' '),
      sub: pairwiseSubject(user.id, spec.clientId),
      tid: spec.tenantId,
      ...(v1 ? { unique_name: user.userPrincipalName, upn: user.userPrincipalName } : {}),
    });
  } else {
    const principal = servicePrincipalId(spec.clientId);
    if (v1) claims.idp = v1Issuer(spec.tenantId);
    Object.assign(claims, {
      idtyp: 'app',
      oid: principal,
      rh: opaque(),
      roles: spec.roles ?? [],
      sub: principal,
      tid: spec.tenantId,
    });
  }
  claims.uti = opaque();
  claims.ver = version;
  return { claims, version };
}

/** An ID token's claims (v2.0), for the client that signed the user in. */
export function idTokenClaims(spec: {
  tenantId: string;
  v2Issuer: string;
  now: number;
  clientId: string;
  user: TenantUser;
  nonce: string | null;
}): JwtClaims {
  const claims: JwtClaims = {
    aud: spec.clientId,
    iss: spec.v2Issuer,
    iat: spec.now,
    nbf: spec.now,
    exp: spec.now + 3600,
    aio: opaque(48),
    name: spec.user.displayName,
    ...(spec.nonce ? { nonce: spec.nonce } : {}),
    oid: spec.user.id,
    preferred_username: spec.user.userPrincipalName,
    rh: opaque(),
    sub: pairwiseSubject(spec.user.id, spec.clientId),
    tid: spec.tenantId,
    uti: opaque(),
    ver: '2.0',
  };
  return claims;
}

/**
 * The claims of a validation token in a rich Graph notification: v1.0, issued by the tenant's STS to Microsoft
 * Graph change tracking (`appid`, `appidacr` "2": a certificate), for the subscribing app (`aud`). As in the example
 * of https://learn.microsoft.com/graph/change-notifications-with-resource-data#example-jwt-token.
 */
export function validationTokenClaims(spec: { tenantId: string; now: number; appId: string }): JwtClaims {
  return {
    aud: spec.appId,
    iss: v1Issuer(spec.tenantId),
    iat: spec.now,
    nbf: spec.now,
    exp: spec.now + 3600,
    aio: opaque(24),
    appid: GRAPH_CHANGE_TRACKING_APP_ID,
    appidacr: '2',
    idp: v1Issuer(spec.tenantId),
    tid: spec.tenantId,
    uti: opaque(),
    ver: '1.0',
  };
}
