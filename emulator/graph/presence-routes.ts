// Presence: reads (https://learn.microsoft.com/graph/api/presence-get, cloudcommunications-getpresencesbyuserid, at
// most 650 ids, throttled on the published budget) and the signed-in user's own writes (setUserPreferredPresence,
// clearUserPreferredPresence, setStatusMessage).
import type { Router } from '../shared/http.js';
import type { PresenceRecord, Tenant, TenantUser } from '../tenant/tenant.js';
import { appIdOf, isSelf, requirePermission, scopesOf, userFor } from './access.js';
import type { Clock } from '../shared/clock.js';
import { badRequest, forbidden, GraphError } from './errors.js';
import { jsonOf } from './odata.js';
import type { SlidingWindowThrottle } from './throttle.js';
import type { GraphClaims, GraphContext, GraphHandler, GraphResult } from './types.js';

export interface PresenceDeps {
  tenant: Tenant;
  clock: Clock;
  throttle: SlidingWindowThrottle;
}

/** A presence as Graph returns it: its properties, with no `@odata.type` (the answer's context names the type). */
function presenceJson(record: PresenceRecord): Record<string, unknown> {
  return { ...record };
}

function expiryOf(value: unknown): { dateTime: string; timeZone: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  return typeof dateTime === 'string' ? { dateTime, timeZone: typeof timeZone === 'string' ? timeZone : 'UTC' } : null;
}

const PREFERRED_COMBINATIONS: Record<string, string[]> = {
  Available: ['Available'],
  Busy: ['Busy'],
  DoNotDisturb: ['DoNotDisturb'],
  BeRightBack: ['BeRightBack'],
  Away: ['Away'],
  Offline: ['OffWork'],
};

export function presenceRoutes(r: Router<GraphHandler>, { tenant, clock, throttle }: PresenceDeps): void {
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

  const writeTarget = (ctx: GraphContext): TenantUser => {
    requirePermission(ctx.claims, ['Presence.ReadWrite'], ['Presence.ReadWrite.All']);
    const user = userFor(tenant, ctx.params.id, ctx.claims);
    if (scopesOf(ctx.claims).size > 0 && !isSelf(ctx.params.id, ctx.claims, tenant))
      throw forbidden('A user can only set their own presence.');
    return user;
  };
  const setPreferred = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const body = jsonOf<{ availability?: string; activity?: string; expirationDuration?: string }>(ctx);
    const allowed = PREFERRED_COMBINATIONS[body.availability ?? ''];
    if (!allowed || !allowed.includes(body.activity ?? '')) {
      throw badRequest(
        `The availability and activity combination (${body.availability}, ${body.activity}) is not supported.`,
      );
    }
    if (body.expirationDuration !== undefined && !/^P(T(\d+H)?(\d+M)?(\d+S)?|\d+D)$/.test(body.expirationDuration)) {
      throw badRequest('expirationDuration must be an ISO 8601 duration such as PT1H.');
    }
    tenant.setPresence(user.id, { availability: body.availability!, activity: body.activity! });
    return { status: 200 };
  };
  const clearPreferred = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    tenant.setPresence(user.id, { availability: 'Available', activity: 'Available' });
    return { status: 200 };
  };
  const setStatusMessage = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const body = jsonOf<{
      statusMessage?: { message?: { content?: unknown; contentType?: unknown }; expiryDateTime?: unknown };
    }>(ctx);
    const message = body.statusMessage?.message;
    if (!message || typeof message.content !== 'string') throw badRequest('statusMessage.message.content is required.');
    if (message.content.length > 280) throw badRequest('The status message must be at most 280 characters.');
    tenant.setPresence(user.id, {
      statusMessage: message.content
        ? {
            message: { content: message.content, contentType: message.contentType === 'html' ? 'html' : 'text' },
            expiryDateTime: expiryOf(body.statusMessage?.expiryDateTime),
            publishedDateTime: new Date(clock.now()).toISOString(),
          }
        : null,
    });
    return { status: 200 };
  };
  for (const prefix of ['/v1.0/me/presence', '/v1.0/users/:id/presence']) {
    r.on('POST', `${prefix}/setUserPreferredPresence`, setPreferred);
    r.on('POST', `${prefix}/clearUserPreferredPresence`, clearPreferred);
    r.on('POST', `${prefix}/setStatusMessage`, setStatusMessage);
  }
}
