// Members of a team (https://learn.microsoft.com/graph/api/team-list-members: conversationMembers, `$filter`,
// `$select` and `$top`, pages of 100 by default and 999 at most) and of a group
// (https://learn.microsoft.com/graph/api/group-list-members: directoryObjects, paged by 100, OData casts such as
// `/members/microsoft.graph.user`; an unsupported cast is a 400 Request_UnsupportedQuery).
import type { Router } from '../shared/http.js';
import type { Tenant, TenantTeam } from '../tenant/tenant.js';
import { requirePermission } from './access.js';
import { badRequest, notFound } from './errors.js';
import { parseMemberFilter, type MemberView } from './member-filter.js';
import { contextUrl, pageOf, project, selectOf } from './odata.js';
import { AAD_USER_CONVERSATION_MEMBER, CONVERSATION_MEMBER, DIRECTORY_OBJECT, MEMBER_CASTS, USER } from './schema.js';
import type { GraphContext, GraphHandler, GraphResult } from './types.js';
import { userJson } from './user-routes.js';

const TEAM_READ = ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'];
const GROUP_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];

interface Member extends MemberView {
  id: string;
  tenantId: string;
}

export function memberRoutes(r: Router<GraphHandler>, tenant: Tenant): void {
  const membersOf = (team: TenantTeam): Member[] =>
    team.memberIds.map((userId, i) => {
      const user = tenant.user(userId)!;
      return {
        id: Buffer.from(`${team.id}##${user.id}`).toString('base64'),
        // The emulated teams have one owner each: the first member.
        roles: i === 0 ? ['owner'] : [],
        displayName: user.displayName,
        userId: user.id,
        email: user.mail,
        tenantId: tenant.id,
      };
    });

  r.on('GET', '/v1.0/teams/:id/members', ({ claims, params, url, base }) => {
    requirePermission(claims, TEAM_READ, [...TEAM_READ, 'TeamMember.Read.Group']);
    const team = tenant.team(params.id!);
    if (!team) throw notFound(`No team found with Group Id ${params.id}`, 'NotFound');
    // Typed conversationMember: `email` and `userId` need the aadUserConversationMember cast, in `$select` as in `$filter`.
    const select = selectOf(url, CONVERSATION_MEMBER, [AAD_USER_CONVERSATION_MEMBER]);
    let members = membersOf(team);
    const filterText = url.searchParams.get('$filter');
    if (filterText !== null) {
      const filter = parseMemberFilter(filterText);
      if (filter.byRole && !url.searchParams.has('$top') && !url.searchParams.has('$skiptoken')) {
        // https://learn.microsoft.com/graph/known-issues#requests-to-filter-team-members-by-role-require-a-parameter
        throw badRequest('Requests that filter members by role need a $top or a $skiptoken parameter.');
      }
      members = members.filter((m) => filter.test(m));
    }
    const context = `${base}/v1.0/$metadata#teams('${team.id}')/members`;
    return pageOf(members, url, base, { defaultTop: 100, maxTop: 999, context, count: true }, (m) =>
      project(
        {
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          id: m.id,
          roles: m.roles,
          displayName: m.displayName,
          visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
          userId: m.userId,
          email: m.email,
          tenantId: m.tenantId,
        },
        select && [{ echo: '@odata.type', key: '@odata.type', navigation: false }, ...select],
      ),
    );
  });

  const groupMembers = (ctx: GraphContext, cast?: string): GraphResult => {
    const { claims, params, url, base, headers } = ctx;
    requirePermission(claims, GROUP_READ, GROUP_READ);
    const team = tenant.team(params.id!);
    if (!team)
      throw notFound(
        `Resource '${params.id}' does not exist or one of its queried reference-property objects are not present.`,
        'Request_ResourceNotFound',
      );
    const entitySet = cast === undefined ? 'directoryObjects' : MEMBER_CASTS[cast.toLowerCase()];
    if (entitySet === undefined)
      throw badRequest(
        `The type cast '${cast}' is not supported for the members of a group.`,
        'Request_UnsupportedQuery',
      );
    // A cast to user makes the collection's type user; without one it is directoryObject, which takes any member type's properties.
    const select = selectOf(url, cast === undefined ? DIRECTORY_OBJECT : USER);
    if (url.searchParams.has('$filter')) {
      // https://learn.microsoft.com/graph/aad-advanced-queries: filters on members need the advanced query parameters;
      // without them Graph refuses with this message. The emulator does not evaluate member filters either way.
      const advanced =
        String(headers.consistencylevel ?? '').toLowerCase() === 'eventual' &&
        url.searchParams.get('$count') === 'true';
      throw badRequest(
        advanced
          ? 'Filters on group members are not emulated.'
          : 'The specified filter to the reference property query is currently not supported.',
        'Request_UnsupportedQuery',
      );
    }
    // People first, then the group's other members (a nested group, a device), each of its own type.
    const members: Array<{ type: string; id: string; displayName?: string }> = [
      ...team.memberIds.map((id) => ({ type: 'user', id })),
      ...team.otherMembers,
    ];
    const kept =
      cast === undefined ? members : members.filter((m) => `microsoft.graph.${m.type}` === cast.toLowerCase());
    return pageOf(
      kept,
      url,
      base,
      { defaultTop: 100, maxTop: 999, context: contextUrl(base, entitySet, select) },
      (member) => {
        const json =
          member.type === 'user'
            ? userJson(tenant.user(member.id)!, select)
            : project(
                { id: member.id, displayName: member.displayName },
                select ?? [
                  { echo: 'id', key: 'id', navigation: false },
                  { echo: 'displayName', key: 'displayName', navigation: false },
                ],
              );
        // In a directoryObject collection each member names its type; behind a cast the collection's type says it.
        return cast === undefined ? { '@odata.type': `#microsoft.graph.${member.type}`, ...json } : json;
      },
    );
  };
  r.on('GET', '/v1.0/groups/:id/members', (ctx) => groupMembers(ctx));
  r.on('GET', '/v1.0/groups/:id/members/:cast', (ctx) => groupMembers(ctx, ctx.params.cast));
}
