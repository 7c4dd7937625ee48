// Presence change-notification subscriptions, by Graph's rules: delegated tokens only, at most 650 ids, expiry at
// most 60 minutes away and enforced, the validation handshake, clientState echoed, rich notifications encrypted
// with the subscriber's certificate and carrying validation tokens, lifecycle notifications, and redelivery when
// the receiver fails or takes longer than 3 seconds. Event Hubs notification URLs (`EventHub:https://…`) are
// accepted as Graph accepts them, without a validation handshake, and recorded; nothing is delivered to them, since
// there is no Event Hub here.
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

interface Pending { records: PresenceRecord[]; timer: ReturnType<typeof setTimeout> | undefined }

const GRAPH_CHANGE_TRACKING_APP = '0bf30f3b-4a52-48df-9a82-234910c4a086';
const MAX_EXPIRY_MS = 60 * 60 * 1000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the ids of a presence subscription resource; throws a Graph error for anything else. */
export function presenceIdsOf(resource: string): string[] {
  const text = decodeURIComponent(resource.trim()).replace(/^\/+/, '');
  const single = /^communications\/presences\/([^/?]+)$/i.exec(text) ?? /^communications\/presences\('([^']+)'\)$/i.exec(text);
  if (single) return [single[1]!];
  const filter = /^communications\/presences\?\$filter=id\s+in\s+\(([^)]*)\)\s*$/i.exec(text);
  if (filter) {
    return filter[1]!
      .split(',')
      .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
      .filter(Boolean);
  }
  throw badRequest(`Resource '${resource}' is not supported: subscribe to /communications/presences/{id} or /communications/presences?$filter=id in ('id1','id2').`, 'InvalidRequest');
}

/** An Event Hubs destination, which Graph takes in place of a webhook: nothing is delivered to it here. */
function isEventHub(url: string | null): boolean {
  return url !== null && /^EventHub:/i.test(url);
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

function post(url: string, body: string, contentType: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'user-agent': 'Microsoft-Graph-Emulator/ChangeNotifications' },
        // The subscriber on this machine serves a self-signed certificate.
        rejectUnauthorized: !isLoopback(target),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
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
    private readonly deps: { tenant: Tenant; clock: Clock; issueValidationToken?: ((appId: string) => string) | undefined; delivery?: DeliveryOptions | undefined },
  ) {
    this.options = {
      timeoutMs: 3_000,
      retryDelaysMs: [1_000, 5_000, 30_000, 300_000],
      retryForMs: 4 * 3600_000,
      batchWindowMs: 20,
      maxBatch: 100,
      validationTimeoutMs: 10_000,
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

  private json(sub: Subscription): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.subscription',
      id: sub.id,
      resource: sub.resource,
      applicationId: sub.applicationId,
      changeType: sub.changeType,
      clientState: sub.clientState,
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
      throw forbidden('Operation: Create; Exception: [Status Code: Forbidden; Reason: Application permissions are not supported for presence subscriptions; use a delegated token.]', 'ExtensionError');
    }
    if (!scopes.includes('Presence.Read.All')) throw forbidden('Operation: Create; Exception: [Status Code: Forbidden; Reason: Presence.Read.All is required.]', 'ExtensionError');
    if (!claims.oid) throw forbidden('A delegated token with a user is required.', 'ExtensionError');
    return claims.oid;
  }

  private expiryFrom(value: unknown): number {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw badRequest('expirationDateTime is required and must be an ISO 8601 date.', 'InvalidRequest');
    const at = Date.parse(value);
    const now = this.now();
    if (at <= now) throw badRequest('Subscription expiration must be in the future.', 'InvalidRequest');
    if (at - now > MAX_EXPIRY_MS) throw badRequest('Subscription expiration can only be 60 minutes in the future.', 'InvalidRequest');
    return at;
  }

  private owned(ctx: GraphContext): Subscription {
    const sub = this.subscriptions.get(ctx.params.id ?? '');
    if (!sub || sub.expirationDateTime <= this.now()) throw notFound(`The object was not found. Subscription '${ctx.params.id}' does not exist.`, 'ResourceNotFound');
    const appId = String(ctx.claims.appid ?? ctx.claims.azp ?? '');
    if (sub.applicationId !== appId) throw forbidden('The subscription belongs to another application.', 'ExtensionError');
    return sub;
  }

  async create(ctx: GraphContext, body: Record<string, unknown>): Promise<GraphResult> {
    const creatorId = this.requireDelegated(ctx.claims);
    if (body.changeType !== 'updated') throw badRequest(`changeType '${String(body.changeType)}' is not supported for presence; use 'updated'.`, 'InvalidRequest');
    if (typeof body.resource !== 'string') throw badRequest('resource is required.', 'InvalidRequest');
    const ids = presenceIdsOf(body.resource);
    if (ids.length === 0) throw badRequest('The resource names no ids.', 'InvalidRequest');
    if (ids.length > 650) throw badRequest(`A presence subscription can have at most 650 ids; this one has ${ids.length}.`, 'InvalidRequest');
    const badId = ids.find((id) => !GUID.test(id));
    if (badId) throw badRequest(`'${badId}' is not a valid user id.`, 'InvalidRequest');
    const expirationDateTime = this.expiryFrom(body.expirationDateTime);
    const notificationUrl = this.checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl = body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null ? null : this.checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    if (body.clientState !== undefined && body.clientState !== null && (typeof body.clientState !== 'string' || body.clientState.length > 128)) {
      throw badRequest('clientState must be a string of at most 128 characters.', 'InvalidRequest');
    }
    const includeResourceData = body.includeResourceData === true;
    let certificate: X509Certificate | null = null;
    if (includeResourceData) {
      if (typeof body.encryptionCertificate !== 'string' || typeof body.encryptionCertificateId !== 'string' || !body.encryptionCertificateId) {
        throw badRequest('encryptionCertificate and encryptionCertificateId are required when includeResourceData is true.', 'InvalidRequest');
      }
      try {
        certificate = new X509Certificate(Buffer.from(body.encryptionCertificate, 'base64'));
      } catch {
        throw badRequest('encryptionCertificate is not a base64-encoded X.509 certificate.', 'InvalidRequest');
      }
      if (certificate.publicKey.asymmetricKeyType !== 'rsa') throw badRequest('encryptionCertificate must hold an RSA key.', 'InvalidRequest');
    }
    const applicationId = String(ctx.claims.appid ?? ctx.claims.azp ?? '');
    const existing = this.all().find((s) => s.applicationId === applicationId && s.creatorId === creatorId && s.expirationDateTime > this.now());
    if (existing) {
      throw forbidden(`A presence subscription (${existing.id}) already exists for this user and application: only one is allowed. Update it with PATCH or delete it first.`, 'ExtensionError');
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
      certificate,
      encryptionCertificateId: includeResourceData ? (body.encryptionCertificateId as string) : null,
      encryptionCertificate: includeResourceData ? (body.encryptionCertificate as string) : null,
      applicationId,
      creatorId,
      tenantId: String(ctx.claims.tid ?? this.deps.tenant.id),
      authorizedUntil: this.tokenLifetimeEnd(ctx.claims.exp),
      reauthorizationSent: false,
    };
    // Graph sends no validation request to an Event Hub (only a reachability probe into it, not emulated).
    if (!isEventHub(notificationUrl)) await this.validate(sub, notificationUrl);
    if (lifecycleNotificationUrl && !isEventHub(lifecycleNotificationUrl)) await this.validate(sub, lifecycleNotificationUrl);
    this.subscriptions.set(sub.id, sub);
    return { status: 201, headers: { location: `${ctx.base}/v1.0/subscriptions/${sub.id}` }, body: this.json(sub) };
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
        throw badRequest(`${name}: an Event Hubs URL is EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<tenant> (or a Key Vault secret URL with tenantId).`, 'InvalidRequest');
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
    let outcome: { status: number; text: string } | undefined;
    try {
      outcome = await post(target.toString(), '', 'text/plain; charset=utf-8', this.options.validationTimeoutMs);
    } catch {
      outcome = undefined;
    }
    this.deliveries.push({ subscriptionId: sub.id, url, kind: 'validation', count: 0, attempt: 1, status: outcome?.status ?? 'timeout', at: this.now(), ms: Date.now() - started });
    if (!outcome || outcome.status !== 200 || outcome.text !== token) {
      throw new GraphError(400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request, with the decoded validationToken as the plain-text body, within 10 seconds (${url} answered ${outcome ? outcome.status : 'nothing'}).`);
    }
  }

  list(ctx: GraphContext): GraphResult {
    const appId = String(ctx.claims.appid ?? ctx.claims.azp ?? '');
    const value = this.all()
      .filter((s) => s.applicationId === appId && s.expirationDateTime > this.now())
      .map((s) => this.json(s));
    return { status: 200, body: { value } };
  }

  get(ctx: GraphContext): GraphResult {
    return { status: 200, body: this.json(this.owned(ctx)) };
  }

  update(ctx: GraphContext, body: Record<string, unknown>): GraphResult {
    const sub = this.owned(ctx);
    const keys = Object.keys(body);
    if (keys.some((k) => k !== 'expirationDateTime' && k !== 'notificationUrl')) throw badRequest('Only expirationDateTime and notificationUrl can be updated.', 'InvalidRequest');
    sub.expirationDateTime = this.expiryFrom(body.expirationDateTime);
    if (typeof ctx.claims.exp === 'number') {
      sub.authorizedUntil = this.tokenLifetimeEnd(ctx.claims.exp);
      sub.reauthorizationSent = false;
    }
    if (body.notificationUrl !== undefined) sub.notificationUrl = this.checkUrl(body.notificationUrl, 'notificationUrl');
    return { status: 200, body: this.json(sub) };
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

  private async lifecycle(sub: Subscription, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): Promise<void> {
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
  private async deliverLifecycle(sub: Subscription, url: string, body: string, attempt: number, firstAt: number): Promise<void> {
    const status = await this.send(sub, url, body, 'lifecycle', 1, attempt);
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000;
    if (this.now() + delay - firstAt > this.options.retryForMs) return;
    setTimeout(() => void this.deliverLifecycle(sub, url, body, attempt + 1, firstAt), delay).unref?.();
  }

  /** POSTs a JSON payload and records how it went; resolves with the status (or why there was none). */
  private async send(sub: Subscription, url: string, body: string, kind: DeliveryRecord['kind'], count: number, attempt: number): Promise<DeliveryRecord['status']> {
    const started = Date.now();
    let status: DeliveryRecord['status'];
    try {
      status = (await post(url, body, 'application/json; charset=utf-8', this.options.timeoutMs)).status;
    } catch (error) {
      status = (error as Error).message === 'timeout' ? 'timeout' : 'error';
    }
    this.deliveries.push({ subscriptionId: sub.id, url, kind, count, attempt, status, at: this.now(), ms: Date.now() - started });
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

  private notificationFor(sub: Subscription, record: PresenceRecord): Record<string, unknown> {
    const odataId = `communications/presences('${record.id}')`;
    const notification: Record<string, unknown> = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: isoOf(sub.expirationDateTime),
      changeType: 'updated',
      resource: odataId,
      resourceData: { '@odata.type': '#Microsoft.Graph.presence', '@odata.id': odataId, id: record.id },
      clientState: sub.clientState,
      tenantId: sub.tenantId,
    };
    if (sub.includeResourceData && sub.certificate) {
      const resource = { '@odata.type': '#Microsoft.Graph.presence', '@odata.id': odataId, ...record };
      notification.encryptedContent = encryptResource(resource, sub.certificate, sub.encryptionCertificateId!);
    }
    return notification;
  }

  private async deliver(sub: Subscription, records: PresenceRecord[], body: string | undefined, attempt: number, firstAt: number): Promise<void> {
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
      const payload: Record<string, unknown> = { value: records.map((r) => this.notificationFor(sub, r)) };
      if (sub.includeResourceData && this.deps.issueValidationToken) payload.validationTokens = [this.deps.issueValidationToken(sub.applicationId)];
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
  describe(): Array<{ id: string; applicationId: string; creatorId: string; ids: number; expiresAt: string; includeResourceData: boolean }> {
    return this.all().map((s) => ({ id: s.id, applicationId: s.applicationId, creatorId: s.creatorId, ids: s.ids.size, expiresAt: isoOf(s.expirationDateTime), includeResourceData: s.includeResourceData }));
  }

  static readonly changeTrackingAppId = GRAPH_CHANGE_TRACKING_APP;
}
