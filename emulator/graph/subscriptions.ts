// Presence change-notification subscriptions, by Graph's rules: delegated tokens only, at most 650 ids, expiry at
// most 60 minutes away and enforced, the validation handshake, clientState echoed in notifications (never read
// back), each subscription private to the user who made it, rich notifications encrypted with the subscriber's
// certificate (RSA, 2,048 to 4,096 bits, replaceable by PATCH) and carrying validation tokens, lifecycle
// notifications, and redelivery when the receiver fails or takes longer than 3 seconds. Event Hubs notification URLs
// (`EventHub:https://…`) are accepted as Graph accepts them, without a validation handshake, and recorded; nothing is
// delivered to them, since there is no Event Hub here.
import { randomUUID, X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PresenceRecord, Tenant } from '../tenant/tenant.js';
import type { Clock } from '../shared/clock.js';
import { badRequest, forbidden, GraphError, notFound } from './errors.js';
import type { GraphClaims, GraphContext, GraphResult } from './graph.js';
import { encryptResource } from '../../common/notification-crypto.js';

export interface DeliveryOptions {
  /** How long Graph waits for a 2xx before it counts a delivery as failed. Default 3,000 ms. */
  timeoutMs?: number;
  /** Waits between redeliveries; the last repeats until `retryForMs` has passed. Default 1 s, 5 s, 30 s, 5 min. */
  retryDelaysMs?: number[];
  /** How long Graph keeps redelivering a notification. Default 4 hours. */
  retryForMs?: number;
  /** Changes for one subscription that arrive within this window go in one POST. Default 20 ms. */
  batchWindowMs?: number;
  /** The most notifications in one POST. Default 100. */
  maxBatch?: number;
  /** The validation handshake must be answered within this. Default 10,000 ms. */
  validationTimeoutMs?: number;
  /**
   * What the encrypted resource of a rich presence notification holds. `documented` (the default): only what
   * Microsoft documents and users observe, `@odata.type`, `@odata.id`, `id`, `availability` and `activity`; no status
   * message, out-of-office settings or sequence number. `full`: the whole presence, for tests that want it.
   */
  notificationContent?: 'documented' | 'full';
  /**
   * After a PATCH replaces the encryption certificate, Graph may go on encrypting with the old one for a while
   * ("For a period of time, the old certificate may still be used for encryption", Rotating keys in
   * https://learn.microsoft.com/graph/change-notifications-with-resource-data). How long, on the emulator's clock.
   * Default 2 minutes.
   */
  certificateRolloverMs?: number;
}

export interface Subscription {
  id: string;
  resource: string;
  ids: Set<string>;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: number;
  clientState: string | null;
  includeResourceData: boolean;
  certificate: X509Certificate | null;
  encryptionCertificateId: string | null;
  encryptionCertificate: string | null;
  /** The certificate a PATCH replaced, still used to encrypt until `until` (emulator clock). */
  previous: { certificate: X509Certificate; id: string; until: number } | null;
  applicationId: string;
  creatorId: string;
  tenantId: string;
  /** When the token that authorised it expires; past it, notifications wait for reauthorisation. */
  authorizedUntil: number;
  reauthorizationSent: boolean;
}

export interface DeliveryRecord {
  subscriptionId: string;
  url: string;
  kind: 'notification' | 'lifecycle' | 'validation';
  count: number;
  attempt: number;
  status: number | 'timeout' | 'error';
  at: number;
  ms: number;
}

interface Pending {
  records: PresenceRecord[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

const GRAPH_CHANGE_TRACKING_APP = '0bf30f3b-4a52-48df-9a82-234910c4a086';
const MAX_EXPIRY_MS = 60 * 60 * 1000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** "The key size must be between 2048 and 4096 bits"; "The identifier can be up to 128 characters" (Managing
 * encryption keys, https://learn.microsoft.com/graph/change-notifications-with-resource-data). */
const MIN_KEY_BITS = 2048;
const MAX_KEY_BITS = 4096;
const MAX_CERTIFICATE_ID = 128;
/** What a PATCH may set: expirationDateTime and notificationUrl ("The request body must contain either the
 * expirationDateTime or notificationUrl property", https://learn.microsoft.com/graph/api/subscription-update), and the
 * encryption certificate with its id ("Use the PATCH operation on the subscription and update the
 * encryptionCertificate and encryptionCertificateId properties", Rotating keys in
 * https://learn.microsoft.com/graph/change-notifications-with-resource-data). */
const PATCHABLE = new Set([
  'expirationDateTime',
  'notificationUrl',
  'encryptionCertificate',
  'encryptionCertificateId',
]);

/** An encryption certificate as Graph takes it: base64 X.509 with an RSA key of 2,048 to 4,096 bits, and an id. */
function readCertificate(base64: unknown, id: unknown): { certificate: X509Certificate; base64: string; id: string } {
  if (typeof base64 !== 'string' || typeof id !== 'string' || !id) {
    throw badRequest(
      'encryptionCertificate and encryptionCertificateId are required when includeResourceData is true, and go together.',
      'InvalidRequest',
    );
  }
  if (id.length > MAX_CERTIFICATE_ID)
    throw badRequest(
      `encryptionCertificateId can be at most ${MAX_CERTIFICATE_ID} characters; this one has ${id.length}.`,
      'InvalidRequest',
    );
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw badRequest('encryptionCertificate is not a base64-encoded X.509 certificate.', 'InvalidRequest');
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa')
    throw badRequest('encryptionCertificate must hold an RSA key.', 'InvalidRequest');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_KEY_BITS || bits > MAX_KEY_BITS) {
    throw badRequest(
      `encryptionCertificate: the key size must be between ${MIN_KEY_BITS} and ${MAX_KEY_BITS} bits; this key has ${bits}.`,
      'InvalidRequest',
    );
  }
  return { certificate, base64, id };
}

/** Reads the ids of a presence subscription resource; throws a Graph error for anything else. */
export function presenceIdsOf(resource: string): string[] {
  const text = decodeURIComponent(resource.trim()).replace(/^\/+/, '');
  const single =
    /^communications\/presences\/([^/?]+)$/i.exec(text) ?? /^communications\/presences\('([^']+)'\)$/i.exec(text);
  if (single) return [single[1]!];
  const filter = /^communications\/presences\?\$filter=id\s+in\s+\(([^)]*)\)\s*$/i.exec(text);
  if (filter) {
    return filter[1]!
      .split(',')
      .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
      .filter(Boolean);
  }
  throw badRequest(
    `Resource '${resource}' is not supported: subscribe to /communications/presences/{id} or /communications/presences?$filter=id in ('id1','id2').`,
    'InvalidRequest',
  );
}

/** An Event Hubs destination, which Graph takes in place of a webhook: nothing is delivered to it here. */
function isEventHub(url: string | null): boolean {
  return url !== null && /^EventHub:/i.test(url);
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

function post(
  url: string,
  body: string,
  contentType: string,
  timeoutMs: number,
): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Microsoft-Graph-Emulator/ChangeNotifications',
        },
        // The subscriber on this machine serves a self-signed certificate.
        rejectUnauthorized: !isLoopback(target),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            type: res.headers['content-type'] ?? '',
          }),
        );
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}

/** A subscription's resource as notifications echo it: no leading slash, query encoded (`id+in+(%27…%27)`). */
function echoedResource(resource: string): string {
  const text = decodeURIComponent(resource.trim()).replace(/^\/+/, '');
  const query = text.indexOf('?');
  if (query < 0) return text;
  const encoded = text
    .slice(query + 1)
    .split('&')
    .map((pair) =>
      pair
        .split('=')
        .map((part) =>
          encodeURIComponent(part)
            .replace(/%24/g, '$')
            .replace(/%2C/g, ',')
            .replace(/%20/g, '+')
            .replace(/'/g, '%27')
            .replace(/\(/g, '(')
            .replace(/\)/g, ')'),
        )
        .join('='),
    )
    .join('&');
  return `${text.slice(0, query)}?${encoded}`;
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export class SubscriptionManager {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pending = new Map<string, Pending>();
  readonly deliveries: DeliveryRecord[] = [];
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly onPresence = (record: PresenceRecord) => this.presenceChanged(record);
  private readonly options: Required<DeliveryOptions>;

  constructor(
    private readonly deps: {
      tenant: Tenant;
      clock: Clock;
      issueValidationToken?: ((appId: string) => string) | undefined;
      delivery?: DeliveryOptions | undefined;
    },
  ) {
    this.options = {
      timeoutMs: 3_000,
      retryDelaysMs: [1_000, 5_000, 30_000, 300_000],
      retryForMs: 4 * 3600_000,
      batchWindowMs: 20,
      maxBatch: 100,
      validationTimeoutMs: 10_000,
      notificationContent: 'documented',
      certificateRolloverMs: 120_000,
      ...deps.delivery,
    };
  }

  start(): void {
    this.deps.tenant.on('presence', this.onPresence);
    this.sweeper = setInterval(() => this.sweep(), 500);
    this.sweeper.unref?.();
  }

  stop(): void {
    this.deps.tenant.off('presence', this.onPresence);
    clearInterval(this.sweeper);
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
  }

  /** What rich presence notifications carry from now on (see `DeliveryOptions.notificationContent`). */
  set notificationContent(content: 'documented' | 'full') {
    this.options.notificationContent = content;
  }

  all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  private now(): number {
    return this.deps.clock.now();
  }

  /** When the token behind a subscription stops being valid: its `exp`, on the local cloud's clock, as Entra issued it. */
  private tokenLifetimeEnd(exp: unknown): number {
    return typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY;
  }

  /**
   * A subscription as Graph returns it. clientState is echoed by create and update (their examples in
   * https://learn.microsoft.com/graph/api/subscription-post-subscriptions and .../subscription-update) and never read
   * back: "the clientState property value is not returned for security purposes"
   * (https://learn.microsoft.com/graph/api/subscription-list).
   */
  private json(sub: Subscription, echoClientState = false): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.subscription',
      id: sub.id,
      resource: sub.resource,
      applicationId: sub.applicationId,
      changeType: sub.changeType,
      clientState: echoClientState ? sub.clientState : null,
      notificationUrl: sub.notificationUrl,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
      expirationDateTime: isoOf(sub.expirationDateTime),
      creatorId: sub.creatorId,
      includeResourceData: sub.includeResourceData,
      latestSupportedTlsVersion: 'v1_2',
      encryptionCertificate: sub.encryptionCertificate,
      encryptionCertificateId: sub.encryptionCertificateId,
      notificationUrlAppId: null,
    };
  }

  private requireDelegated(claims: GraphClaims): string {
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (scopes.length === 0) {
      throw forbidden(
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Application permissions are not supported for presence subscriptions; use a delegated token.]',
        'ExtensionError',
      );
    }
    if (!scopes.includes('Presence.Read.All'))
      throw forbidden(
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Presence.Read.All is required.]',
        'ExtensionError',
      );
    if (!claims.oid) throw forbidden('A delegated token with a user is required.', 'ExtensionError');
    return claims.oid;
  }

  private expiryFrom(value: unknown): number {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw badRequest('expirationDateTime is required and must be an ISO 8601 date.', 'InvalidRequest');
    const at = Date.parse(value);
    const now = this.now();
    if (at <= now) throw badRequest('Subscription expiration must be in the future.', 'InvalidRequest');
    if (at - now > MAX_EXPIRY_MS)
      throw badRequest('Subscription expiration can only be 60 minutes in the future.', 'InvalidRequest');
    return at;
  }

  /** The application and, for a delegated token, the signed-in user making a request. */
  private caller(ctx: GraphContext): { appId: string; userId: string | null } {
    const scopes = typeof ctx.claims.scp === 'string' ? ctx.claims.scp.trim() : '';
    return {
      appId: String(ctx.claims.appid ?? ctx.claims.azp ?? ''),
      userId: scopes && ctx.claims.oid ? String(ctx.claims.oid) : null,
    };
  }

  /**
   * The subscription a request names, if the caller may use it. A subscription made with a delegated token is the
   * signed-in user's: another user of the same application is told it does not exist (a delegated caller gets
   * "subscriptions created by this app for the signed-in user only", https://learn.microsoft.com/graph/api/subscription-list),
   * as for one that lapsed or was deleted; another application is refused. An app-only token reaches every
   * subscription of its application.
   */
  private owned(ctx: GraphContext): Subscription {
    const gone = () => notFound('The object was not found.', 'ResourceNotFound');
    const sub = this.subscriptions.get(ctx.params.id ?? '');
    if (!sub || sub.expirationDateTime <= this.now()) throw gone();
    const { appId, userId } = this.caller(ctx);
    if (sub.applicationId !== appId)
      throw forbidden('The subscription belongs to another application.', 'ExtensionError');
    if (userId !== null && sub.creatorId !== userId) throw gone();
    return sub;
  }

  async create(ctx: GraphContext, body: Record<string, unknown>): Promise<GraphResult> {
    const creatorId = this.requireDelegated(ctx.claims);
    if (body.changeType !== 'updated')
      throw badRequest(
        `changeType '${String(body.changeType)}' is not supported for presence; use 'updated'.`,
        'InvalidRequest',
      );
    if (typeof body.resource !== 'string') throw badRequest('resource is required.', 'InvalidRequest');
    const ids = presenceIdsOf(body.resource);
    if (ids.length === 0) throw badRequest('The resource names no ids.', 'InvalidRequest');
    if (ids.length > 650)
      throw badRequest(
        `A presence subscription can have at most 650 ids; this one has ${ids.length}.`,
        'InvalidRequest',
      );
    const badId = ids.find((id) => !GUID.test(id));
    if (badId) throw badRequest(`'${badId}' is not a valid user id.`, 'InvalidRequest');
    const expirationDateTime = this.expiryFrom(body.expirationDateTime);
    const notificationUrl = this.checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl =
      body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null
        ? null
        : this.checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    if (
      body.clientState !== undefined &&
      body.clientState !== null &&
      (typeof body.clientState !== 'string' || body.clientState.length > 128)
    ) {
      throw badRequest('clientState must be a string of at most 128 characters.', 'InvalidRequest');
    }
    // "The clientState property is required" for webhook delivery (Subscription request in
    // https://learn.microsoft.com/graph/change-notifications-delivery-webhooks); optional in the resource's table:
    // the stricter reading is emulated.
    if (!isEventHub(notificationUrl) && (typeof body.clientState !== 'string' || !body.clientState)) {
      throw badRequest(
        'clientState is required: Graph echoes it in every change notification, so the receiver can tell that Graph sent it.',
        'InvalidRequest',
      );
    }
    const includeResourceData = body.includeResourceData === true;
    const encryption = includeResourceData
      ? readCertificate(body.encryptionCertificate, body.encryptionCertificateId)
      : null;
    const applicationId = String(ctx.claims.appid ?? ctx.claims.azp ?? '');
    // One presence subscription per user per application: presence subscriptions take delegated tokens only
    // (https://learn.microsoft.com/graph/changenotifications-for-presence#permissions), and more than 650 people are
    // covered only by subscribing as several users ("the only option is using multiple users to create subscriptions",
    // Microsoft's answer in https://techcommunity.microsoft.com/discussions/teamsdeveloper/ms-graph-api-subscribe-presence-for-a-large-number-of-user/3643865).
    // A second create by the same user and application is refused (403) until the first is deleted or lapses.
    const existing = this.all().find(
      (s) => s.applicationId === applicationId && s.creatorId === creatorId && s.expirationDateTime > this.now(),
    );
    if (existing) {
      throw forbidden(
        `A presence subscription (${existing.id}) already exists for this user and application: only one is allowed. Update it with PATCH or delete it first.`,
        'ExtensionError',
      );
    }

    const sub: Subscription = {
      id: randomUUID(),
      resource: body.resource,
      ids: new Set(ids),
      changeType: 'updated',
      notificationUrl,
      lifecycleNotificationUrl,
      expirationDateTime,
      clientState: (body.clientState as string | undefined) ?? null,
      includeResourceData,
      certificate: encryption?.certificate ?? null,
      encryptionCertificateId: encryption?.id ?? null,
      encryptionCertificate: encryption?.base64 ?? null,
      previous: null,
      applicationId,
      creatorId,
      tenantId: String(ctx.claims.tid ?? this.deps.tenant.id),
      authorizedUntil: this.tokenLifetimeEnd(ctx.claims.exp),
      reauthorizationSent: false,
    };
    // Graph sends no validation request to an Event Hub (only a reachability probe into it, not emulated).
    if (!isEventHub(notificationUrl)) await this.validate(sub, notificationUrl);
    if (lifecycleNotificationUrl && !isEventHub(lifecycleNotificationUrl))
      await this.validate(sub, lifecycleNotificationUrl);
    this.subscriptions.set(sub.id, sub);
    return {
      status: 201,
      headers: { location: `${ctx.base}/v1.0/subscriptions/${sub.id}` },
      body: this.json(sub, true),
    };
  }

  private checkUrl(value: unknown, name: string): string {
    if (typeof value !== 'string') throw badRequest(`${name} is required.`, 'InvalidRequest');
    if (isEventHub(value)) {
      // Graph's forms: EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<tenant>, or
      // EventHub:https://<vault>.vault.azure.net/secrets/<secret>?tenantId=<tenant> (the hub's connection string).
      let hub: URL;
      try {
        hub = new URL(value.slice('EventHub:'.length));
      } catch {
        throw badRequest(`${name} is not a valid Event Hubs URL.`, 'InvalidRequest');
      }
      const named = /^\/eventhubname\/[^/]+\/?$/i.test(hub.pathname) || /^\/secrets\/[^/]+\/?$/i.test(hub.pathname);
      if (hub.protocol !== 'https:' || !named || !hub.searchParams.get('tenantId')) {
        throw badRequest(
          `${name}: an Event Hubs URL is EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<tenant> (or a Key Vault secret URL with tenantId).`,
          'InvalidRequest',
        );
      }
      return value;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw badRequest(`${name} is not a valid URL.`, 'InvalidRequest');
    }
    // Graph requires HTTPS; the emulator also lets plain HTTP through to loopback receivers on this machine.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
      throw badRequest(`${name} must use https.`, 'InvalidRequest');
    }
    return url.toString();
  }

  private async validate(sub: Subscription, url: string): Promise<void> {
    const token = `Validation: ${randomUUID()} ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const started = Date.now();
    let outcome: { status: number; text: string; type: string } | undefined;
    try {
      outcome = await post(target.toString(), '', 'text/plain; charset=utf-8', this.options.validationTimeoutMs);
    } catch {
      outcome = undefined;
    }
    this.deliveries.push({
      subscriptionId: sub.id,
      url,
      kind: 'validation',
      count: 0,
      attempt: 1,
      status: outcome?.status ?? 'timeout',
      at: this.now(),
      ms: Date.now() - started,
    });
    // https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation: the answer
    // is 200, "a content type of text/plain", and the decoded token as the body.
    if (!outcome || outcome.status !== 200 || outcome.text !== token || !/^text\/plain\s*(;|$)/i.test(outcome.type)) {
      throw new GraphError(
        400,
        'ValidationError',
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request, with the decoded validationToken as the body, as text/plain, within 10 seconds (${url} answered ${outcome ? `${outcome.status} ${outcome.type || 'without a content type'}` : 'nothing'}).`,
      );
    }
  }

  /**
   * GET /subscriptions, by https://learn.microsoft.com/graph/api/subscription-list: a delegated caller sees the subscriptions this application made for
   * the signed-in user (with Subscription.Read.All, those any application made for them); an app-only caller sees
   * every subscription of its application. (An administrator's Subscription.Read.All view of every user is not
   * emulated.)
   */
  list(ctx: GraphContext): GraphResult {
    const { appId, userId } = this.caller(ctx);
    const scopes = typeof ctx.claims.scp === 'string' ? ctx.claims.scp.split(' ') : [];
    const anyApp = userId !== null && scopes.includes('Subscription.Read.All');
    const value = this.all()
      .filter((s) => s.expirationDateTime > this.now())
      .filter((s) =>
        userId === null ? s.applicationId === appId : s.creatorId === userId && (anyApp || s.applicationId === appId),
      )
      .map((s) => this.json(s));
    return { status: 200, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#subscriptions`, value } };
  }

  get(ctx: GraphContext): GraphResult {
    return { status: 200, body: this.json(this.owned(ctx)) };
  }

  /**
   * PATCH /subscriptions/{id}: a renewal (expirationDateTime), a new notificationUrl (validated first, as at
   * creation), or a new encryption certificate with its id (key rotation). Presence subscriptions are delegated only,
   * so only the user who made one renews it.
   */
  async update(ctx: GraphContext, body: Record<string, unknown>): Promise<GraphResult> {
    const sub = this.owned(ctx);
    if (this.caller(ctx).userId === null) {
      throw forbidden(
        'Operation: Update; Exception: [Status Code: Forbidden; Reason: Application permissions are not supported for presence subscriptions; use a delegated token.]',
        'ExtensionError',
      );
    }
    const keys = Object.keys(body);
    const refused = keys.filter((k) => !PATCHABLE.has(k));
    if (refused.length)
      throw badRequest(
        `These properties cannot be updated: ${refused.join(', ')}. Update expirationDateTime, notificationUrl, or encryptionCertificate with encryptionCertificateId.`,
        'InvalidRequest',
      );
    if (body.expirationDateTime === undefined && body.notificationUrl === undefined) {
      throw badRequest('The request body must contain either expirationDateTime or notificationUrl.', 'InvalidRequest');
    }
    const rotating = body.encryptionCertificate !== undefined || body.encryptionCertificateId !== undefined;
    if (rotating && !sub.includeResourceData)
      throw badRequest(
        'This subscription does not include resource data: it has no encryption certificate to replace.',
        'InvalidRequest',
      );
    // Everything is checked before anything changes.
    const expirationDateTime =
      body.expirationDateTime === undefined ? undefined : this.expiryFrom(body.expirationDateTime);
    const encryption = rotating ? readCertificate(body.encryptionCertificate, body.encryptionCertificateId) : null;
    const notificationUrl =
      body.notificationUrl === undefined ? undefined : this.checkUrl(body.notificationUrl, 'notificationUrl');
    if (notificationUrl !== undefined && notificationUrl !== sub.notificationUrl && !isEventHub(notificationUrl))
      await this.validate(sub, notificationUrl);

    if (expirationDateTime !== undefined) sub.expirationDateTime = expirationDateTime;
    if (notificationUrl !== undefined) sub.notificationUrl = notificationUrl;
    if (
      encryption &&
      (encryption.id !== sub.encryptionCertificateId || encryption.base64 !== sub.encryptionCertificate)
    ) {
      if (sub.certificate && sub.encryptionCertificateId)
        sub.previous = {
          certificate: sub.certificate,
          id: sub.encryptionCertificateId,
          until: this.now() + this.options.certificateRolloverMs,
        };
      sub.certificate = encryption.certificate;
      sub.encryptionCertificate = encryption.base64;
      sub.encryptionCertificateId = encryption.id;
    }
    if (typeof ctx.claims.exp === 'number') {
      sub.authorizedUntil = this.tokenLifetimeEnd(ctx.claims.exp);
      sub.reauthorizationSent = false;
    }
    return { status: 200, body: this.json(sub, true) };
  }

  /** The subscription as it encrypts now: with the certificate a PATCH replaced, while Graph may still use it. */
  private encryptingAs(sub: Subscription): Subscription {
    const previous = sub.previous;
    if (!previous) return sub;
    if (previous.until <= this.now()) {
      sub.previous = null;
      return sub;
    }
    return { ...sub, certificate: previous.certificate, encryptionCertificateId: previous.id };
  }

  remove(ctx: GraphContext): GraphResult {
    const sub = this.owned(ctx);
    this.subscriptions.delete(sub.id);
    return { status: 204 };
  }

  /** Ends a subscription as Graph does when it removes one, telling the lifecycle endpoint. */
  async removeByService(id: string): Promise<boolean> {
    const sub = this.subscriptions.get(id);
    if (!sub) return false;
    this.subscriptions.delete(id);
    await this.lifecycle(sub, 'subscriptionRemoved');
    return true;
  }

  /** Asks the subscriber to reauthorise, as Graph does when the token behind a subscription expires. */
  async requireReauthorization(id: string): Promise<boolean> {
    const sub = this.subscriptions.get(id);
    if (!sub) return false;
    sub.authorizedUntil = Math.min(sub.authorizedUntil, this.now());
    sub.reauthorizationSent = true;
    await this.lifecycle(sub, 'reauthorizationRequired');
    return true;
  }

  private async lifecycle(
    sub: Subscription,
    event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed',
  ): Promise<void> {
    if (!sub.lifecycleNotificationUrl || isEventHub(sub.lifecycleNotificationUrl)) return;
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: isoOf(sub.expirationDateTime),
          tenantId: sub.tenantId,
          clientState: sub.clientState,
          lifecycleEvent: event,
        },
      ],
    });
    await this.deliverLifecycle(sub, sub.lifecycleNotificationUrl, body, 1, this.now());
  }

  // Graph redelivers lifecycle notifications as it does change notifications: a subscriber that misses
  // reauthorizationRequired would otherwise stop receiving without knowing why. Unlike change notifications they
  // go out whatever state the subscription is in, since subscriptionRemoved is only sent once it is gone.
  private async deliverLifecycle(
    sub: Subscription,
    url: string,
    body: string,
    attempt: number,
    firstAt: number,
  ): Promise<void> {
    const status = await this.send(sub, url, body, 'lifecycle', 1, attempt);
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000;
    if (this.now() + delay - firstAt > this.options.retryForMs) return;
    setTimeout(() => void this.deliverLifecycle(sub, url, body, attempt + 1, firstAt), delay).unref?.();
  }

  /** POSTs a JSON payload and records how it went; resolves with the status (or why there was none). */
  private async send(
    sub: Subscription,
    url: string,
    body: string,
    kind: DeliveryRecord['kind'],
    count: number,
    attempt: number,
  ): Promise<DeliveryRecord['status']> {
    const started = Date.now();
    let status: DeliveryRecord['status'];
    try {
      status = (await post(url, body, 'application/json; charset=utf-8', this.options.timeoutMs)).status;
    } catch (error) {
      status = (error as Error).message === 'timeout' ? 'timeout' : 'error';
    }
    this.deliveries.push({
      subscriptionId: sub.id,
      url,
      kind,
      count,
      attempt,
      status,
      at: this.now(),
      ms: Date.now() - started,
    });
    if (this.deliveries.length > 20_000) this.deliveries.splice(0, 5_000);
    return status;
  }

  private sweep(): void {
    const now = this.now();
    for (const sub of this.all()) {
      if (sub.expirationDateTime <= now) {
        this.subscriptions.delete(sub.id);
        continue;
      }
      if (!sub.reauthorizationSent && sub.authorizedUntil <= now) {
        sub.reauthorizationSent = true;
        void this.lifecycle(sub, 'reauthorizationRequired');
      }
    }
  }

  private presenceChanged(record: PresenceRecord): void {
    const now = this.now();
    for (const sub of this.subscriptions.values()) {
      if (!sub.ids.has(record.id) || sub.expirationDateTime <= now || isEventHub(sub.notificationUrl)) continue;
      let pending = this.pending.get(sub.id);
      if (!pending) {
        pending = { records: [], timer: undefined };
        this.pending.set(sub.id, pending);
      }
      pending.records.push(record);
      if (pending.records.length >= this.options.maxBatch) this.flush(sub.id);
      else pending.timer ??= setTimeout(() => this.flush(sub.id), this.options.batchWindowMs);
    }
  }

  private flush(subscriptionId: string): void {
    const pending = this.pending.get(subscriptionId);
    this.pending.delete(subscriptionId);
    if (!pending) return;
    clearTimeout(pending.timer);
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub || pending.records.length === 0) return;
    void this.deliver(sub, pending.records, undefined, 1, this.now());
  }

  /**
   * One change notification, in the form Microsoft documents for presence
   * (https://learn.microsoft.com/graph/changenotifications-for-presence): `resource` is the subscription's resource
   * as Graph echoes it (URL-encoded, as in the June 2024 announcement of basic presence notifications,
   * https://devblogs.microsoft.com/microsoft365dev/breaking-changes-to-microsoft-graph-presence-and-online-meeting-basic-change-notifications/),
   * `resourceData` names the presence (`users/{id}/presence`) and nothing else; the encrypted resource of a rich
   * notification adds only `availability` and `activity` (users report no `statusMessage` in pushes).
   */
  private notificationFor(sub: Subscription, record: PresenceRecord): Record<string, unknown> {
    const reference = {
      '@odata.type': '#microsoft.graph.presence',
      '@odata.id': `users/${record.id}/presence`,
      id: record.id,
    };
    const notification: Record<string, unknown> = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: isoOf(sub.expirationDateTime),
      changeType: 'updated',
      resource: echoedResource(sub.resource),
      resourceData: reference,
      clientState: sub.clientState,
      tenantId: sub.tenantId,
      organizationId: sub.tenantId,
    };
    if (sub.includeResourceData && sub.certificate) {
      const resource =
        this.options.notificationContent === 'full'
          ? { ...reference, ...record }
          : { ...reference, availability: record.availability, activity: record.activity };
      notification.encryptedContent = encryptResource(resource, sub.certificate, sub.encryptionCertificateId!);
    }
    return notification;
  }

  private async deliver(
    sub: Subscription,
    records: PresenceRecord[],
    body: string | undefined,
    attempt: number,
    firstAt: number,
  ): Promise<void> {
    const now = this.now();
    // Nothing is delivered once a subscription has lapsed or been deleted, retries included.
    if (!this.subscriptions.has(sub.id) || sub.expirationDateTime <= now) return;
    if (sub.authorizedUntil <= now) {
      // Held until the subscriber reauthorises (PATCH with a fresh token), then delivered.
      setTimeout(() => void this.deliver(sub, records, body, attempt, firstAt), 250).unref?.();
      return;
    }
    if (body === undefined) {
      // Made once: a redelivery sends the same payload again.
      const encrypting = this.encryptingAs(sub);
      const payload: Record<string, unknown> = { value: records.map((r) => this.notificationFor(encrypting, r)) };
      if (sub.includeResourceData && this.deps.issueValidationToken)
        payload.validationTokens = [this.deps.issueValidationToken(sub.applicationId)];
      body = JSON.stringify(payload);
    }
    const status = await this.send(sub, sub.notificationUrl, body, 'notification', records.length, attempt);
    const ok = typeof status === 'number' && status >= 200 && status < 300;
    if (ok) return;
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000;
    if (this.now() + delay - firstAt > this.options.retryForMs) return;
    setTimeout(() => void this.deliver(sub, records, body, attempt + 1, firstAt), delay).unref?.();
  }

  /** Ids Graph will notify about for an application (for tests and the control API). */
  describe(): Array<{
    id: string;
    applicationId: string;
    creatorId: string;
    ids: number;
    expiresAt: string;
    includeResourceData: boolean;
  }> {
    return this.all().map((s) => ({
      id: s.id,
      applicationId: s.applicationId,
      creatorId: s.creatorId,
      ids: s.ids.size,
      expiresAt: isoOf(s.expirationDateTime),
      includeResourceData: s.includeResourceData,
    }));
  }

  static readonly changeTrackingAppId = GRAPH_CHANGE_TRACKING_APP;
}
