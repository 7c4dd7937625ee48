// A team's or group's members from Microsoft Graph, page by page (loaded with the first list of members).
import { SCOPES } from '../auth/token-provider.js';
import type { Profile } from '../client/types.js';
import { PROFILE_FIELDS } from './profile-fields.js';

/** One GET through the source (its token, retry policy and request count). */
export type GraphGet = (path: string, scopes: readonly string[]) => Promise<unknown>;

interface MembersPage {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

/** Reads every page of members with `get`, handing each page's people to `onPage`. */
export async function pageMembers(
  get: GraphGet,
  kind: 'team' | 'group',
  id: string,
  onPage: (profiles: Profile[]) => void,
): Promise<void> {
  const scopes = kind === 'team' ? SCOPES.teamMembers : SCOPES.groupMembers;
  // A group's members may be groups, devices or contacts as well as people: the OData cast keeps the people
  // (group-list-members). A team's members are people already.
  let next: string | undefined =
    kind === 'team'
      ? `/teams/${encodeURIComponent(id)}/members?$top=999`
      : `/groups/${encodeURIComponent(id)}/members/microsoft.graph.user?$top=999&$select=${PROFILE_FIELDS}`;
  while (next) {
    const page = (await get(next, scopes)) as MembersPage;
    onPage(
      (page.value ?? [])
        .map((m) =>
          kind === 'team'
            ? {
                id: String(m.userId ?? ''),
                displayName: (m.displayName as string) ?? null,
                mail: (m.email as string) ?? null,
              }
            : {
                id: String(m.id ?? ''),
                displayName: (m.displayName as string) ?? null,
                userPrincipalName: (m.userPrincipalName as string) ?? null,
                mail: (m.mail as string) ?? null,
                jobTitle: (m.jobTitle as string) ?? null,
              },
        )
        .filter((p) => p.id),
    );
    // Graph's nextLink is absolute; requests are made relative to the source's own root and version.
    next = page['@odata.nextLink']?.replace(/^https?:\/\/[^/]+\/v1\.0(?=\/)/i, '');
  }
}
