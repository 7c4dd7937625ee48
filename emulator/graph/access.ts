// Who is calling and what they may do: delegated scopes or application roles, and which user `/me` is.
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import { forbidden, notFound } from './errors.js';
import type { GraphClaims } from './types.js';

export function scopesOf(claims: GraphClaims): Set<string> {
  return new Set(typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : []);
}

function rolesOf(claims: GraphClaims): Set<string> {
  return new Set(Array.isArray(claims.roles) ? claims.roles : []);
}

/**
 * A token issued to a signed-in user carries scopes (`scp`); an application's own token carries roles and no `scp`
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference), even though it has an `oid`
 * (the service principal's).
 */
export function isDelegated(claims: GraphClaims): boolean {
  return typeof claims.scp === 'string' && claims.scp.trim() !== '';
}

/** Passes when the token has one of the delegated scopes, or (when listed) one of the application roles. */
export function requirePermission(claims: GraphClaims, delegated: string[], application: string[] = []): void {
  const scopes = scopesOf(claims);
  if (scopes.size > 0) {
    if (delegated.some((s) => scopes.has(s))) return;
    throw forbidden(`Insufficient privileges to complete the operation. Requires one of: ${delegated.join(', ')}.`);
  }
  const roles = rolesOf(claims);
  if (application.some((r) => roles.has(r))) return;
  throw forbidden(
    application.length
      ? `Insufficient privileges to complete the operation. Requires one of: ${[...delegated, ...application].join(', ')}.`
      : 'This operation is only supported with delegated permissions.',
  );
}

export function appIdOf(claims: GraphClaims): string {
  return String(claims.appid ?? claims.azp ?? 'unknown-app');
}

/**
 * The user a path names: `undefined` (the path was `/me/...`) is the signed-in user; otherwise an object id or a
 * userPrincipalName. "me" is no user id: `/users/me` is a user nobody has, as on Graph.
 */
export function userFor(tenant: Tenant, idOrUpn: string | undefined, claims: GraphClaims): TenantUser {
  const user = tenant.user(idOrUpn ?? String(claims.oid ?? ''));
  if (!user) {
    throw notFound(
      `Resource '${idOrUpn ?? claims.oid}' does not exist or one of its queried reference-property objects are not present.`,
      'Request_ResourceNotFound',
    );
  }
  return user;
}

/** Whether a path about `idOrUpn` is about the caller. */
export function isSelf(idOrUpn: string | undefined, claims: GraphClaims, tenant: Tenant): boolean {
  return idOrUpn === undefined || (claims.oid !== undefined && tenant.user(idOrUpn)?.id === claims.oid);
}
