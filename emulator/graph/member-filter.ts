// `$filter` on a team's members, as far as Graph documents it, and nothing more:
// - https://learn.microsoft.com/graph/api/team-list-members: `(microsoft.graph.aadUserConversationMember/userId eq
//   '...')`, and `displayName` / `email` comparisons joined with `or`;
// - https://learn.microsoft.com/graph/api/team-list-members?view=graph-rest-beta and the known issues
//   (https://learn.microsoft.com/graph/known-issues#unable-to-filter-team-members-by-roles): `roles/any(r:r eq
//   'owner')`, which "might not work" with other filters and expects `$top` or `$skiptoken`: refused here in both cases.
// The list is typed `conversationMember`: `userId` and `email` live on the derived `aadUserConversationMember`, so
// without the cast they are unknown properties (microsoftgraph/microsoft-graph-docs#9138).
import { badRequest, unknownProperty } from './errors.js';
import { AAD_USER_CONVERSATION_MEMBER, CONVERSATION_MEMBER, propertyOf, type EntityType } from './schema.js';

export interface MemberView {
  displayName: string;
  email: string;
  userId: string;
  roles: string[];
}

export interface MemberFilter {
  test(member: MemberView): boolean;
  /** Filters on roles (which needs `$top` or `$skiptoken`). */
  byRole: boolean;
}

type Predicate = (member: MemberView) => boolean;

const FILTERABLE = new Set(['displayName', 'email', 'userId']);
const invalid = () => badRequest('Invalid filter clause');

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:(\(|\)|:)|('(?:[^']|'')*')|([A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) throw invalid();
    tokens.push(match[1] ?? match[2] ?? match[3]!);
    at = pattern.lastIndex;
  }
  return tokens;
}

class Parser {
  private at = 0;
  roleClauses = 0;
  clauses = 0;

  constructor(private readonly tokens: string[]) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.at !== this.tokens.length) throw invalid();
    return predicate;
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.at++];
    if (token === undefined || (expected !== undefined && token.toLowerCase() !== expected)) throw invalid();
    return token;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.peek()?.toLowerCase() === 'or') {
      this.take();
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : (m) => parts.some((p) => p(m));
  }

  private and(): Predicate {
    const parts = [this.primary()];
    while (this.peek()?.toLowerCase() === 'and') {
      this.take();
      parts.push(this.primary());
    }
    return parts.length === 1 ? parts[0]! : (m) => parts.every((p) => p(m));
  }

  private primary(): Predicate {
    if (this.peek() === '(') {
      this.take('(');
      const inner = this.or();
      this.take(')');
      return inner;
    }
    const path = this.take();
    if (/\/any$/i.test(path)) return this.anyRole(path.slice(0, -4));
    // Functions (startswith, contains...) are not among the documented forms.
    if (this.peek() === '(') throw invalid();
    const property = this.property(path);
    if (this.take().toLowerCase() !== 'eq') throw invalid();
    const value = literal(this.take());
    this.clauses++;
    if (!FILTERABLE.has(property)) throw invalid();
    const key = property as 'displayName' | 'email' | 'userId';
    return (m) => m[key].toLowerCase() === value.toLowerCase();
  }

  /** `roles/any(r:r eq 'owner')` */
  private anyRole(path: string): Predicate {
    if (this.property(path) !== 'roles') throw invalid();
    this.take('(');
    const variable = this.take();
    this.take(':');
    if (this.take() !== variable) throw invalid();
    this.take('eq');
    const role = literal(this.take()).toLowerCase();
    this.take(')');
    this.clauses++;
    this.roleClauses++;
    return (m) => m.roles.some((r) => r.toLowerCase() === role);
  }

  /** A property name, bare (on conversationMember) or behind the aadUserConversationMember cast. */
  private property(path: string): string {
    const parts = path.split('/');
    if (parts.length > 2) throw invalid();
    const [cast, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
    let type: EntityType = CONVERSATION_MEMBER;
    if (cast !== undefined) {
      if (cast.toLowerCase() !== AAD_USER_CONVERSATION_MEMBER.name.toLowerCase())
        throw unknownProperty(path, CONVERSATION_MEMBER.name);
      type = AAD_USER_CONVERSATION_MEMBER;
    }
    const found = propertyOf(type, name);
    if (!found) throw unknownProperty(name, type.name);
    return found.name;
  }
}

function literal(token: string): string {
  if (!/^'.*'$/s.test(token)) throw invalid();
  return token.slice(1, -1).replace(/''/g, "'");
}

/** Parses a team members `$filter`; throws Graph's 400 for what Graph does not take. */
export function parseMemberFilter(text: string): MemberFilter {
  const parser = new Parser(tokenize(text));
  const test = parser.parse();
  if (parser.roleClauses > 0 && parser.clauses > parser.roleClauses) {
    throw badRequest('Filtering members by role cannot be combined with other filters.');
  }
  return { test, byRole: parser.roleClauses > 0 };
}
