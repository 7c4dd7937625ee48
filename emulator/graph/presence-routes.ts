// Presence reads (https://learn.microsoft.com/graph/api/presence-get, cloudcommunications-getpresencesbyuserid, at
// most 650 ids, throttled on the published budget). The writes are in presence-write-routes.ts.
import type { Router } from '../shared/http.js';
import type { PresenceRecord, Tenant, TenantUser } from '../tenant/tenant.js';
import { appIdOf, requirePermission, userFor } from './access.js';
import { badRequest, GraphError } from './errors.js';
import { jsonOf } from './odata.js';
import type { SlidingWindowThrottle } from './throttle.js';
import type { GraphClaims, GraphContext, GraphHandler, GraphResult } from './types.js';

export interface PresenceDeps {
  tenant: Tenant;
  throttle: SlidingWindowThrottle;
}

/** A presence as Graph returns it: its properties, with no `@odata.type` (the answer's context names the type). */
function presenceJson(record: PresenceRecord): Record<string, unknown> {
  return { ...record };
}

export function presenceRoutes(r: Router<GraphHandler>, { tenant, throttle }: PresenceDeps): void {
  const presenceRead = (claims: GraphClaims) => {
    const wait = throttle.take(`${claims.tid ?? tenant.id}/${appIdOf(claims)}`);
    if (wait > 0) {
      throw new GraphError(
        429,
        'TooManyRequests',
        'Too many requests. Presence reads are limited to 1500 requests per 30 seconds per application per tenant.',
        {
          'retry-after': String(wait),
        },
      );
    }
  };

  const onePresence =
    (entitySet: (user: TenantUser) => string) =>
    (ctx: GraphContext): GraphResult => {
      const { claims, params, base } = ctx;
      requirePermission(
        claims,
        params.id === undefined ? ['Presence.Read', 'Presence.Read.All'] : ['Presence.Read.All'],
        ['Presence.Read.All'],
      );
      presenceRead(claims);
      const user = userFor(tenant, params.id, claims);
      return {
        status: 200,
        body: {
          '@odata.context': `${base}/v1.0/$metadata#${entitySet(user)}/$entity`,
          ...presenceJson(tenant.getPresence(user.id)!),
        },
      };
    };
  const ofUser = onePresence((user) => `users('${user.id}')/presence`);
  r.on('GET', '/v1.0/me/presence', ofUser);
  r.on('GET', '/v1.0/users/:id/presence', ofUser);
  r.on(
    'GET',
    '/v1.0/communications/presences/:id',
    onePresence(() => 'communications/presences'),
  );

  r.on('POST', '/v1.0/communications/getPresencesByUserId', (ctx) => {
    requirePermission(ctx.claims, ['Presence.Read.All'], ['Presence.Read.All']);
    const body = jsonOf<{ ids?: unknown }>(ctx);
    if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string'))
      throw badRequest('The request body must have "ids": an array of user object ids.');
    if (body.ids.length === 0) throw badRequest('The "ids" array must not be empty.');
    if (body.ids.length > 650)
      throw badRequest(`The number of ids (${body.ids.length}) exceeds the maximum of 650 per request.`);
    presenceRead(ctx.claims);
    const unique = [...new Set(body.ids as string[])];
    const value = unique.map((id) => {
      const record = tenant.getPresence(id);
      return record
        ? presenceJson(record)
        : {
            id,
            availability: 'PresenceUnknown',
            activity: 'PresenceUnknown',
            statusMessage: null,
            outOfOfficeSettings: null,
            sequenceNumber: null,
            workLocation: null,
          };
    });
    return {
      status: 200,
      body: { '@odata.context': `${ctx.base}/v1.0/$metadata#Collection(microsoft.graph.presence)`, value },
    };
  });
}
