// Presence writes: an application's presence session (setPresence, clearPresence), the user's preferred presence
// (setUserPreferredPresence, clearUserPreferredPresence) and status message (setStatusMessage), checked as strictly
// as Graph's pages describe them, and fed to the presence sessions model (../tenant/presence-sessions.ts).
// Where a page is silent, the stricter reading is taken, and said so by the rule.
import type { Router } from '../shared/http.js';
import { instantOf } from '../shared/date-time-zone.js';
import { durationMs } from '../shared/iso-duration.js';
import type { PresenceSessions } from '../tenant/presence-sessions.js';
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import type { Clock } from '../shared/clock.js';
import { appIdOf, isDelegated, isSelf, scopesOf, userFor } from './access.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { jsonOf } from './odata.js';
import type { GraphContext, GraphHandler, GraphResult } from './types.js';

export interface PresenceWriteDeps {
  tenant: Tenant;
  clock: Clock;
  sessions: PresenceSessions;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * https://learn.microsoft.com/graph/api/presence-setpresence, "Supported combinations of availability and activity".
 * DoNotDisturb/Presenting is in the current v1.0 and beta tables (older copies of the page had four rows).
 */
const SESSION_COMBINATIONS: Record<string, string[]> = {
  Available: ['Available'],
  Busy: ['InACall', 'InAConferenceCall'],
  Away: ['Away'],
  DoNotDisturb: ['Presenting'],
};

/** https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence: its own table, one activity each. */
const PREFERRED_COMBINATIONS: Record<string, string[]> = {
  Available: ['Available'],
  Busy: ['Busy'],
  DoNotDisturb: ['DoNotDisturb'],
  BeRightBack: ['BeRightBack'],
  Away: ['Away'],
  Offline: ['OffWork'],
};

/**
 * Graph answers a malformed presence write 400 `InvalidArgument`, naming the field in brackets: "[SessionId]: The
 * SessionId field is required." (reported from Graph in https://github.com/osodevops/ms-teams-cli/issues/71).
 * The other messages follow that form; their exact wording is not published.
 */
const invalidArgument = (field: string, message: string) => badRequest(`[${field}]: ${message}`, 'InvalidArgument');

function checkCombination(table: Record<string, string[]>, availability: unknown, activity: unknown): void {
  if (typeof availability !== 'string' || !(availability in table))
    throw invalidArgument('Availability', `'${String(availability)}' is not a supported availability.`);
  if (typeof activity !== 'string' || !table[availability]!.includes(activity))
    throw invalidArgument(
      'Activity',
      `'${String(activity)}' is not supported with availability '${availability}'; supported: ${table[availability]!.join(', ')}.`,
    );
}

/** An optional `expirationDuration` within [min, max]; `fallback` when absent. */
function expirationOf(value: unknown, fallback: number, min: number, max: number, range: string): number {
  if (value === undefined || value === null) return fallback;
  const ms = durationMs(value);
  if (ms === undefined)
    throw invalidArgument('ExpirationDuration', `'${String(value)}' is not an ISO 8601 duration such as PT1H.`);
  if (ms < min || ms > max) throw invalidArgument('ExpirationDuration', `The duration must be within ${range}.`);
  return ms;
}

export function presenceWriteRoutes(r: Router<GraphHandler>, { tenant, clock, sessions }: PresenceWriteDeps): void {
  /**
   * Every write: delegated `Presence.ReadWrite` (the signed-in user's own presence only) or application
   * `Presence.ReadWrite.All`, as the permission table of each of the five pages gives them; a 403 otherwise, with
   * the `Forbidden` code Graph sends (https://github.com/osodevops/ms-teams-cli/issues/70). An unknown user: 404.
   */
  const writeTarget = (ctx: GraphContext): TenantUser => {
    const { claims } = ctx;
    const allowed = isDelegated(claims)
      ? scopesOf(claims).has('Presence.ReadWrite')
      : Array.isArray(claims.roles) && claims.roles.includes('Presence.ReadWrite.All');
    if (!allowed)
      throw forbidden(
        'Insufficient privileges to complete the operation. Requires Presence.ReadWrite (delegated) or Presence.ReadWrite.All (application).',
        'Forbidden',
      );
    const user = userFor(tenant, ctx.params.id, claims);
    if (isDelegated(claims) && !isSelf(ctx.params.id, claims, tenant))
      throw forbidden('A user can only set their own presence.', 'Forbidden');
    return user;
  };

  /**
   * `sessionId` is required, and is the calling application's id ("Provide the ID of the application as sessionId
   * in the request": setPresence, clearPresence). Graph does not say what it does with another id: refused here.
   */
  const sessionIdOf = (ctx: GraphContext, body: { sessionId?: unknown }): string => {
    if (typeof body.sessionId !== 'string' || body.sessionId === '')
      throw invalidArgument('SessionId', 'The SessionId field is required.');
    if (body.sessionId.toLowerCase() !== appIdOf(ctx.claims).toLowerCase())
      throw invalidArgument('SessionId', 'The SessionId must be the id of the calling application.');
    return body.sessionId;
  };

  const setPresence = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const body = jsonOf<Record<string, unknown>>(ctx);
    const sessionId = sessionIdOf(ctx, body);
    checkCombination(SESSION_COMBINATIONS, body.availability, body.activity);
    // setPresence: "If not provided, a default expiration of 5 minutes is applied. The valid duration range is from 5
    // to 240 minutes (PT5M to PT4H)."
    const duration = expirationOf(body.expirationDuration, 5 * MINUTE, 5 * MINUTE, 240 * MINUTE, 'PT5M to PT4H');
    sessions.setSession(user.id, {
      sessionId,
      availability: body.availability as string,
      activity: body.activity as string,
      durationMs: duration,
    });
    return { status: 200 };
  };

  const clearPresence = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const sessionId = sessionIdOf(ctx, jsonOf<Record<string, unknown>>(ctx));
    // clearPresence: "If the presence session doesn't exist, this method returns a 404 NotFound response code."
    if (!sessions.clearSession(user.id, sessionId))
      throw notFound(`No presence session '${sessionId}' for user '${user.id}'.`, 'NotFound');
    return { status: 200 };
  };

  const setPreferred = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const body = jsonOf<Record<string, unknown>>(ctx);
    checkCombination(PREFERRED_COMBINATIONS, body.availability, body.activity);
    const availability = body.availability as string;
    // setUserPreferredPresence: "If not provided, a default expiration will be applied: DoNotDisturb or Busy:
    // Expiration in 1 day; All others: Expiration in 7 days". The page gives no range: the stricter reading takes
    // setPresence's minimum (PT5M) and the longest default (7 days) as the bounds.
    const fallback = availability === 'DoNotDisturb' || availability === 'Busy' ? DAY : 7 * DAY;
    const duration = expirationOf(body.expirationDuration, fallback, 5 * MINUTE, 7 * DAY, 'PT5M to P7D');
    sessions.setPreferred(user.id, { availability, activity: body.activity as string, durationMs: duration });
    return { status: 200 };
  };

  const clearPreferred = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    // clearUserPreferredPresence: the body is `{}`; its own example sends none. Clearing nothing is a 200 as well
    // (observed, https://github.com/osodevops/ms-teams-cli/pull/92).
    if (ctx.rawBody.length > 0) jsonOf(ctx);
    sessions.clearPreferred(user.id);
    return { status: 200 };
  };

  const setStatusMessage = (ctx: GraphContext): GraphResult => {
    const user = writeTarget(ctx);
    const body = jsonOf<{ statusMessage?: unknown }>(ctx);
    const statusMessage = body.statusMessage as
      { message?: { content?: unknown; contentType?: unknown }; expiryDateTime?: unknown } | undefined;
    if (typeof statusMessage !== 'object' || statusMessage === null)
      throw invalidArgument('StatusMessage', 'The StatusMessage field is required.');
    const message = statusMessage.message;
    if (typeof message !== 'object' || message === null || typeof message.content !== 'string')
      throw invalidArgument('StatusMessage.Message', 'The message content is required.');
    // https://learn.microsoft.com/graph/api/resources/presencestatusmessage: "The only supported format currently
    // is message.contentType = 'text'".
    if (message.contentType !== undefined && message.contentType !== 'text')
      throw invalidArgument('StatusMessage.Message.ContentType', "The only supported content type is 'text'.");
    // Teams' own limit on a status message; Graph's pages give none.
    if (message.content.length > 280)
      throw invalidArgument('StatusMessage.Message.Content', 'The status message must be at most 280 characters.');
    // presencestatusmessage: "If not provided, the status message doesn't expire." An expiry already past is refused
    // (the page is silent; the stricter reading).
    let expiresAt: number | null = null;
    const expiry = statusMessage.expiryDateTime;
    if (expiry !== undefined && expiry !== null) {
      const at = instantOf(expiry);
      if (at === undefined)
        throw invalidArgument(
          'StatusMessage.ExpiryDateTime',
          'expiryDateTime must be a dateTimeTimeZone: a dateTime without offset and a known timeZone.',
        );
      if (at <= clock.now())
        throw invalidArgument('StatusMessage.ExpiryDateTime', 'expiryDateTime must be in the future.');
      expiresAt = at;
    }
    sessions.setStatusMessage(
      user.id,
      message.content
        ? {
            message: { content: message.content, contentType: 'text' },
            expiryDateTime: expiresAt === null ? null : (expiry as { dateTime: string; timeZone: string }),
            publishedDateTime: new Date(clock.now()).toISOString(),
          }
        : null,
      expiresAt,
    );
    return { status: 200 };
  };

  // Each page documents POST /users/{id}/presence/<action>; Graph's metadata binds the actions to the presence
  // entity, so /me/presence/<action> reaches them too (the SDKs' Me.Presence.SetPresence and the like).
  for (const prefix of ['/v1.0/me/presence', '/v1.0/users/:id/presence']) {
    r.on('POST', `${prefix}/setPresence`, setPresence);
    r.on('POST', `${prefix}/clearPresence`, clearPresence);
    r.on('POST', `${prefix}/setUserPreferredPresence`, setPreferred);
    r.on('POST', `${prefix}/clearUserPreferredPresence`, clearPreferred);
    r.on('POST', `${prefix}/setStatusMessage`, setStatusMessage);
  }
}
