// What Graph itself holds: an owner's subscriptions of this application, as `GET /subscriptions` lists them with the
// owner's delegated token ("subscriptions created by this app for the signed-in user",
// https://learn.microsoft.com/graph/api/subscription-list). The keeper compares them with what it keeps, since
// Graph may end a subscription without a word reaching the relay.
import { graphCall } from './graph-call.js';

export interface ListedSubscription {
  id: string;
  resource: string;
  notificationUrl: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  encryptionCertificateId?: string;
}

/** The most pages followed: one presence subscription per user per app, so one page is the rule. */
const MAX_PAGES = 10;

/** An owner's subscriptions at Graph; throws when Graph cannot say (the caller then changes nothing). */
export async function listSubscriptions(graphBaseUrl: string, token: string): Promise<ListedSubscription[]> {
  const out: ListedSubscription[] = [];
  let url: string | undefined = `${graphBaseUrl.replace(/\/+$/, '')}/v1.0/subscriptions`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const reply = await graphCall('GET', url, token);
    if (reply.status !== 200 || !Array.isArray(reply.body?.value))
      throw new Error(`GET /subscriptions answered ${reply.status}`);
    for (const item of reply.body.value as Array<Record<string, unknown> | null>) {
      if (!item || typeof item.id !== 'string' || typeof item.resource !== 'string') continue;
      const expiresAt = typeof item.expirationDateTime === 'string' ? Date.parse(item.expirationDateTime) : Number.NaN;
      out.push({
        id: item.id,
        resource: item.resource,
        notificationUrl: typeof item.notificationUrl === 'string' ? item.notificationUrl : '',
        expiresAt,
        ...(typeof item.encryptionCertificateId === 'string'
          ? { encryptionCertificateId: item.encryptionCertificateId }
          : {}),
      });
    }
    const next: unknown = reply.body['@odata.nextLink'];
    url = typeof next === 'string' ? next : undefined;
  }
  return out;
}

/**
 * The user ids a presence subscription's resource names: `/communications/presences?$filter=id in ('a','b')` or
 * `/communications/presences/{id}`; none for any other resource.
 */
export function presenceIdsOf(resource: string): string[] {
  const decoded = (() => {
    try {
      return decodeURIComponent(resource);
    } catch {
      return resource;
    }
  })();
  const single = /^\/?communications\/presences\/([^/?'"]+)$/i.exec(decoded);
  if (single) return [single[1]!];
  const filter = /^\/?communications\/presences\?\$filter=id\s+in\s*\(([^)]*)\)/i.exec(decoded);
  if (!filter) return [];
  return [...filter[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** Whether two notification URLs are the same endpoint (Graph may normalise what it was given). */
export function sameEndpoint(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).toString() === new URL(b).toString();
  } catch {
    return false;
  }
}
