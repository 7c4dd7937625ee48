// OData on Graph's terms: `$select` checked against the entity type and applied, and the `@odata.context` that
// names what an answer holds (https://learn.microsoft.com/graph/query-parameters#select-parameter).
import { badRequest, unknownProperty } from './errors.js';
import { propertyOf, type EntityType } from './schema.js';
import type { GraphContext, GraphResult } from './types.js';

export interface Selected {
  /** As the request should be echoed in `@odata.context` (the type's spelling, casts kept). */
  echo: string;
  /** The key in the answer. */
  key: string;
  navigation: boolean;
}

/**
 * The properties `$select` names, or undefined without one. A name the type (or, after a cast such as
 * `microsoft.graph.aadUserConversationMember/email`, a type derived from it) does not have is refused with 400, as
 * Graph refuses it: "Could not find a property named 'x' on type 'microsoft.graph.user'."
 */
export function selectOf(url: URL, type: EntityType, derived: readonly EntityType[] = []): Selected[] | undefined {
  const raw = url.searchParams.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const out: Selected[] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part === '*') {
      out.push(...type.structural.map((name) => ({ echo: name, key: name, navigation: false })));
      continue;
    }
    const slash = part.lastIndexOf('/');
    const cast = slash > 0 ? part.slice(0, slash) : undefined;
    const name = slash > 0 ? part.slice(slash + 1) : part;
    const on = cast === undefined ? type : [type, ...derived].find((t) => t.name.toLowerCase() === cast.toLowerCase());
    if (!on) throw unknownProperty(part, type.name);
    const property = propertyOf(on, name);
    if (!property) throw unknownProperty(name, on.name);
    out.push({
      echo: cast === undefined ? property.name : `${on.name}/${property.name}`,
      key: property.name,
      navigation: property.navigation,
    });
  }
  return out;
}

/**
 * An entity as `$select` shapes it: only what was named (Graph adds nothing, not even `id`), relationships left out
 * (they need `$expand`), and a property of the type the emulator keeps no value for as null.
 */
export function project(entity: Record<string, unknown>, select: Selected[] | undefined): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const { key, navigation } of select) {
    if (navigation) continue;
    out[key] = key in entity ? entity[key] : null;
  }
  return out;
}

/** `{base}/v1.0/$metadata#{what}`, e.g. `#users/$entity`, `#users(displayName,id)/$entity`, `#users`. */
export function contextUrl(base: string, entitySet: string, select?: Selected[], entity = false): string {
  const shape = select ? `${entitySet}(${select.map((s) => s.echo).join(',')})` : entitySet;
  return `${base}/v1.0/$metadata#${shape}${entity ? '/$entity' : ''}`;
}

export interface PageOptions {
  /** Page size without `$top`, and the largest `$top` taken. */
  defaultTop: number;
  maxTop: number;
  /** The answer's `@odata.context`. */
  context: string;
  /** Adds `@odata.count` (the whole collection's size) to the first page. */
  count?: boolean;
}

/**
 * One page of `items` by `$top` and `$skiptoken`, with `@odata.nextLink` (absolute, keeping the query) while more
 * remain (https://learn.microsoft.com/graph/paging). Only the items on the page are turned into JSON.
 */
export function pageOf<T>(
  items: readonly T[],
  url: URL,
  base: string,
  options: PageOptions,
  toJson: (item: T, index: number) => unknown,
): GraphResult {
  const topText = url.searchParams.get('$top');
  const top = topText === null ? options.defaultTop : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > options.maxTop) {
    throw badRequest(
      `Invalid page size specified: '${topText}'. Must be between 1 and ${options.maxTop} inclusive.`,
      'Request_BadRequest',
    );
  }
  const token = url.searchParams.get('$skiptoken');
  let offset = 0;
  if (token) {
    offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid $skiptoken.', 'Request_BadRequest');
  }
  const body: Record<string, unknown> = { '@odata.context': options.context };
  if (options.count && !token) body['@odata.count'] = items.length;
  if (offset + top < items.length) {
    // Written as Graph writes its links: system query options keep their `$`.
    const query = new Map<string, string>();
    for (const [k, v] of url.searchParams) if (k !== '$skiptoken' && k !== '$top') query.set(k, v);
    query.set('$top', String(top));
    query.set('$skiptoken', Buffer.from(String(offset + top)).toString('base64url'));
    const search = [...query]
      .map(([k, v]) => `${k.replace(/[^$\w.-]/g, encodeURIComponent)}=${encodeURIComponent(v)}`)
      .join('&');
    body['@odata.nextLink'] = `${base}${url.pathname}?${search}`;
  }
  body.value = items.slice(offset, offset + top).map((item, i) => toJson(item, offset + i));
  return { status: 200, body };
}

/** A JSON object request body, or Graph's 400 for anything else. */
export function jsonOf<T = Record<string, unknown>>(ctx: GraphContext): T {
  try {
    // "Content-Type: application/json. Required." in each API's documented request headers.
    const type = ctx.headers['content-type'];
    if (typeof type !== 'string' || !/^application\/json\s*(;|$)/i.test(type)) throw new Error('not JSON');
    const value = JSON.parse(ctx.rawBody.toString('utf8') || 'null');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as T;
  } catch {
    throw badRequest(
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}
