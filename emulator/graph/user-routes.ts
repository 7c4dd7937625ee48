// Users: `/me`, `/users/{id | userPrincipalName}`, `/users` (paged; `$filter=id in (...)`) and
// `/directoryObjects/getByIds`. https://learn.microsoft.com/graph/api/user-get, user-list, directoryobject-getbyids.
import type { Router } from '../shared/http.js';
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import { isDelegated, isSelf, requirePermission, scopesOf, userFor } from './access.js';
import { badRequest } from './errors.js';
import { contextUrl, jsonOf, pageOf, project, selectOf, type Selected } from './odata.js';
import { USER, USER_DEFAULT_PROPERTIES } from './schema.js';
import type { GraphClaims, GraphContext, GraphHandler, GraphResult } from './types.js';

/** What the emulator knows of a user, under Graph's property names; every other property of the type reads as null. */
function userRecord(user: TenantUser): Record<string, unknown> {
  return {
    id: user.id,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail,
    jobTitle: user.jobTitle,
    businessPhones: [],
    imAddresses: [user.userPrincipalName],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    accountEnabled: true,
    userType: 'Member',
    otherMails: [],
    proxyAddresses: [`SMTP:${user.mail}`],
  };
}

const DEFAULT_SELECTION = USER_DEFAULT_PROPERTIES.map((name) => ({ echo: name, key: name, navigation: false }));

/**
 * The basic profile, all that User.ReadBasic.All shows of other people: https://learn.microsoft.com/graph/permissions-reference
 * ("The User.ReadBasic.All permission constrains app access to a limited set of properties known as the basic
 * profile"); the rest comes back null, or empty for collections (microsoftgraph/microsoft-graph-docs#4993).
 */
const BASIC_PROFILE = new Set([
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'securityIdentifier',
]);
const FULL_PROFILE_SCOPES = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

function basicOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      BASIC_PROFILE.has(key) ? value : Array.isArray(value) ? [] : null,
    ]),
  );
}

/** Whether a delegated token sees only the basic profile of `user` (its own profile it always sees whole). */
function seesBasicProfileOnly(claims: GraphClaims, user: TenantUser): boolean {
  if (!isDelegated(claims) || user.id === claims.oid) return false;
  const scopes = scopesOf(claims);
  return !FULL_PROFILE_SCOPES.some((s) => scopes.has(s));
}

/** A user as Graph returns it: the default property set, or what `$select` names; the basic profile when that is all the caller may see. */
export function userJson(user: TenantUser, select?: Selected[], basic = false): Record<string, unknown> {
  const record = userRecord(user);
  return project(basic ? basicOnly(record) : record, select ?? DEFAULT_SELECTION);
}

const READ_SELF = ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All'];
const READ_OTHERS = ['User.ReadBasic.All', 'User.Read.All'];

export function userRoutes(r: Router<GraphHandler>, tenant: Tenant): void {
  const one = ({ claims, params, url, base }: GraphContext): GraphResult => {
    requirePermission(claims, isSelf(params.id, claims, tenant) ? READ_SELF : READ_OTHERS, ['User.Read.All']);
    const select = selectOf(url, USER);
    const user = userFor(tenant, params.id, claims);
    return {
      status: 200,
      body: {
        '@odata.context': contextUrl(base, 'users', select, true),
        ...userJson(user, select, seesBasicProfileOnly(claims, user)),
      },
    };
  };
  r.on('GET', '/v1.0/me', one);
  r.on('GET', '/v1.0/users/:id', one);

  r.on('GET', '/v1.0/users', ({ claims, url, base }) => {
    requirePermission(claims, READ_OTHERS, ['User.Read.All']);
    const select = selectOf(url, USER);
    const filter = url.searchParams.get('$filter');
    let users = tenant.users;
    if (filter) {
      const match = /^\s*id\s+in\s+\(([^)]*)\)\s*$/i.exec(filter);
      if (!match)
        throw badRequest(
          `Unsupported filter: ${filter}. Only "id in ('a','b')" is emulated.`,
          'Request_UnsupportedQuery',
        );
      const ids = match[1]!
        .split(',')
        .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
        .filter(Boolean);
      // https://learn.microsoft.com/graph/filter-query-parameter: at most 15 expressions in an `in` clause.
      if (ids.length > 15)
        throw badRequest(
          "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.",
          'Request_UnsupportedQuery',
        );
      users = ids.map((id) => tenant.user(id)).filter((u): u is TenantUser => !!u);
    }
    return pageOf(users, url, base, { defaultTop: 100, maxTop: 999, context: contextUrl(base, 'users', select) }, (u) =>
      userJson(u, select, seesBasicProfileOnly(claims, u)),
    );
  });

  r.on('POST', '/v1.0/directoryObjects/getByIds', (ctx) => {
    requirePermission(
      ctx.claims,
      ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
      ['User.Read.All', 'Directory.Read.All'],
    );
    const body = jsonOf<{ ids?: unknown }>(ctx);
    if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string'))
      throw badRequest('ids must be an array of strings.');
    if (body.ids.length > 1000) throw badRequest('The number of ids exceeds the maximum of 1000.');
    const users = (body.ids as string[]).map((id) => tenant.user(id)).filter((u): u is TenantUser => !!u);
    return {
      status: 200,
      body: {
        '@odata.context': contextUrl(ctx.base, 'directoryObjects'),
        value: users.map((u) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(u) })),
      },
    };
  });
}
