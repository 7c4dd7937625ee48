// The subscriptions the keeper keeps, and what it does to one of them at Graph: make it (POST), renew it or move it
// to the current encryption certificate (PATCH), delete it, or forget one Graph no longer holds. The owners'
// delegated tokens (refreshed with their refresh tokens) authorise each call. The keeper (subscriptions.ts) decides
// which subscriptions to make; subscription-audit.ts checks them against what Graph holds.
import { DeliveryWatch, type DeliveryWatchOptions } from './delivery-watch.js';
import { graphCall, type Reply } from './graph-call.js';
import { consoleLogger, type RelayLogger } from './logger.js';
import type { KeptSubscription, RelayState, RelayStore } from './store.js';
import type { DelegatedTokens, TokenBroker } from './tokens.js';

export interface KeeperOptions {
  graphBaseUrl: string;
  broker: TokenBroker;
  store: RelayStore;
  /** Where Graph delivers: the relay's webhook, or `EventHub:https://…` for Event Hubs delivery. */
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /** The secret Graph echoes; without it, the one in the store (made and stored by the first run). */
  clientState?: string;
  /**
   * The certificate Graph encrypts resource data with. Subscriptions made with another one (before a key roll) are
   * moved to it by PATCH; the relay keeps the old private key until none of them use it.
   */
  certificate: { id: string; base64: string };
  /** Milliseconds since the epoch; replaceable so tests can move time. */
  now?: () => number;
  /** How long each subscription (or renewal) lasts. Default 55 minutes (Graph allows 60). */
  lifetimeMs?: number;
  /** Renew when less than this remains. Default 15 minutes. */
  renewBeforeMs?: number;
  /** When a silent subscription is checked at Graph before the full audit (see delivery-watch.ts). */
  silence?: Omit<DeliveryWatchOptions, 'ceilingMs'>;
  /** Where the keeper says what it made, renewed, deleted and what failed; default the console (logger.ts). */
  logger?: RelayLogger;
}

/** Subscription ids ended by the keeper remembered, so late deliveries for them are not taken for strangers. */
const ENDED_KEPT = 1_000;

/**
 * Watched ids whose coverage changed: `lost`, covered before and not now (pages poll them); `regained`, covered
 * again after a gap (pages read them once, for what changed meanwhile, and stop polling them).
 */
export interface CoverageChange {
  lost: string[];
  regained: string[];
}

/**
 * How a create went: made, a subscription of the owner's found at Graph taken instead, the owner cannot be used,
 * Graph refused the ids (400), or anything else.
 */
export type Made = 'created' | 'adopted' | 'unusable' | 'refused' | 'failed';

export abstract class KeptSubscriptions {
  protected state: RelayState = { owners: {}, subscriptions: [] };
  protected readonly access = new Map<string, DelegatedTokens>();
  protected watched: string[] = [];
  /** Ids Graph refused to subscribe to: tried again only where no subscription has to be deleted first. */
  protected readonly doubtful = new Set<string>();
  protected secret: string | undefined;
  protected running: Promise<void> = Promise.resolve();
  /** The keeper's clock (milliseconds since the epoch), which the relay's watch leases follow too. */
  readonly now: () => number;
  protected readonly lifetimeMs: number;
  protected readonly renewBeforeMs: number;
  /** Ids no shard could cover (more shards than owners): polling covers them in the browser. */
  uncovered: string[] = [];
  /** Where the keeper says what it does and what failed (the relay says it there too, unless given its own). */
  readonly logger: RelayLogger;
  /** Told whenever watched ids lose coverage or regain it. */
  onCoverage: ((change: CoverageChange) => void) | undefined;
  /** Subscriptions whose renewal failed: renewed again at the next tick, however far their expiry. */
  protected readonly unrenewed = new Set<string>();
  /** Ids whose subscription ended since coverage was last reported: their changes meanwhile may be lost. */
  protected readonly gap = new Set<string>();
  /** Whether each watched id was covered, as last reported. */
  protected reported = new Map<string, boolean>();
  /** Each subscription's pace of deliveries, to notice one gone silent (see `checkSilent`). */
  readonly deliveries: DeliveryWatch;
  /** Subscriptions the keeper ended or dropped, and unknown ones already looked into: deliveries for them are no news. */
  protected readonly ended = new Set<string>();
  /** Graph calls made to check silent subscriptions, and those found gone, for operators and tests. */
  readonly silenceChecks = { asked: 0, gone: 0 };

  constructor(protected readonly options: KeeperOptions) {
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? 55 * 60_000;
    this.renewBeforeMs = options.renewBeforeMs ?? 15 * 60_000;
    this.secret = options.clientState;
    this.deliveries = new DeliveryWatch(options.silence);
    this.logger = options.logger ?? consoleLogger();
  }

  /**
   * What the store holds, as last written: `persist` writes only what differs (a subscription renewed, an owner's
   * token refreshed), one thing at a time.
   */
  private stored = { owners: new Map<string, string>(), subscriptions: new Map<string, string>() };

  /** Takes what was loaded from the store as what it holds. */
  protected loaded(state: RelayState): void {
    this.state = state;
    this.stored = {
      owners: new Map(Object.entries(state.owners).map(([id, o]) => [id, o.refreshToken])),
      subscriptions: new Map(state.subscriptions.map((s) => [s.id, JSON.stringify(s)])),
    };
  }

  /** Writes to the store each subscription and owner that changed since the last write, and nothing else. */
  protected async persist(): Promise<void> {
    const { store } = this.options;
    const owners = new Map(Object.entries(this.state.owners).map(([id, o]) => [id, o.refreshToken]));
    for (const [id, token] of owners)
      if (this.stored.owners.get(id) !== token) {
        await store.writeOwner(id, token);
        this.stored.owners.set(id, token);
      }
    for (const id of [...this.stored.owners.keys()])
      if (!owners.has(id)) {
        await store.writeOwner(id, undefined);
        this.stored.owners.delete(id);
      }
    const subscriptions = new Map(this.state.subscriptions.map((s) => [s.id, s]));
    for (const [id, sub] of subscriptions) {
      const json = JSON.stringify(sub);
      if (this.stored.subscriptions.get(id) === json) continue;
      await store.writeSubscription(id, sub);
      this.stored.subscriptions.set(id, json);
    }
    for (const id of [...this.stored.subscriptions.keys()])
      if (!subscriptions.has(id)) {
        await store.writeSubscription(id, undefined);
        this.stored.subscriptions.delete(id);
      }
  }

  /** Serialises every change, so Graph never sees two operations for one owner at once. */
  protected serial(work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(work, work);
    return this.running;
  }

  /** Forgets a subscription that no longer delivers; its ids are in a gap until covered again. */
  protected drop(sub: KeptSubscription, why: string): void {
    this.state.subscriptions = this.state.subscriptions.filter((s) => s !== sub);
    this.unrenewed.delete(sub.id);
    this.forgetSubscription(sub.id);
    for (const id of sub.ids) this.gap.add(id);
    this.logger.warn(why);
  }

  /** Remembers a subscription the keeper no longer keeps: deliveries still under way for it are expected. */
  protected forgetSubscription(id: string): void {
    this.deliveries.forget(id);
    this.ended.add(id);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
  }

  protected onCurrentCertificate(sub: KeptSubscription): boolean {
    return sub.certificateId === this.options.certificate.id;
  }

  protected async token(ownerId: string, fresh = false): Promise<string | undefined> {
    const cached = this.access.get(ownerId);
    if (cached && !fresh && cached.expiresAt - this.now() > 5 * 60_000) return cached.accessToken;
    const refreshToken = this.state.owners[ownerId]?.refreshToken;
    if (!refreshToken) return undefined;
    try {
      const tokens = await this.options.broker.refresh(refreshToken);
      this.access.set(ownerId, tokens);
      if (tokens.refreshToken) this.state.owners[ownerId] = { refreshToken: tokens.refreshToken };
      return tokens.accessToken;
    } catch (error) {
      this.logger.warn(`owner ${ownerId} can no longer be used: ${(error as Error).message}`);
      delete this.state.owners[ownerId];
      return undefined;
    }
  }

  protected expiry(): string {
    return new Date(this.now() + this.lifetimeMs).toISOString();
  }

  /**
   * Renews a subscription; one made with another certificate is moved to the current one in the same PATCH (Graph
   * takes encryptionCertificate and encryptionCertificateId in an update, with expirationDateTime, per "Rotating keys"
   * in https://learn.microsoft.com/graph/change-notifications-with-resource-data). Should Graph refuse the new
   * certificate, the subscription is renewed as it is, so it stays alive, and the move is tried again later. What
   * cannot be renewed is covered again at once (`reapply`), unless the caller is covering already.
   */
  protected async renew(sub: KeptSubscription, fresh = false, reapply = true): Promise<void> {
    const token = await this.token(sub.ownerId, fresh);
    if (!token) {
      // The owner can no longer authorise it (sessions revoked, consent withdrawn): the shard moves at once.
      this.unrenewed.add(sub.id);
      if (reapply) await this.apply();
      return;
    }
    const url = `${this.options.graphBaseUrl}/v1.0/subscriptions/${sub.id}`;
    const expiration = this.expiry();
    const { certificate } = this.options;
    const moving = !this.onCurrentCertificate(sub);
    const patch = (withCertificate: boolean) =>
      graphCall('PATCH', url, token, {
        expirationDateTime: expiration,
        ...(withCertificate
          ? { encryptionCertificate: certificate.base64, encryptionCertificateId: certificate.id }
          : {}),
      }).catch((error: Error): Reply => ({ status: 0, body: error.message, headers: {} }));
    let reply = await patch(moving);
    let moved = moving && reply.status === 200;
    if (moving && reply.status === 400) {
      this.logger.warn(
        `Graph refused certificate ${certificate.id} for ${sub.id}: ${JSON.stringify(reply.body)?.slice(0, 200)}; it stays on ${sub.certificateId ?? 'its certificate'}, whose key must be kept`,
      );
      reply = await patch(false);
      moved = false;
    }
    if (reply.status === 200) {
      this.unrenewed.delete(sub.id);
      sub.expiresAt = Date.parse(expiration);
      if (moved) {
        this.logger.info(`moved ${sub.id} from certificate ${sub.certificateId ?? 'unknown'} to ${certificate.id}`);
        sub.certificateId = certificate.id;
      }
      this.logger.info(`renewed ${sub.id}`);
    } else if (reply.status === 404) {
      // Lapsed or removed: make it again.
      this.drop(sub, `renewal found ${sub.id} gone; re-creating`);
      if (reapply) await this.apply();
    } else {
      // Tried again at the next tick, when Graph is also asked whether it still holds it.
      this.unrenewed.add(sub.id);
      this.logger.warn(`renewal of ${sub.id} failed: ${reply.status}`);
    }
  }

  protected async remove(sub: KeptSubscription): Promise<void> {
    const token = await this.token(sub.ownerId);
    if (token) await graphCall('DELETE', `${this.options.graphBaseUrl}/v1.0/subscriptions/${sub.id}`, token);
    this.state.subscriptions = this.state.subscriptions.filter((s) => s !== sub);
    this.forgetSubscription(sub.id);
    this.logger.info(`deleted ${sub.id}`);
  }

  protected async create(ownerId: string, ids: string[], slotCleared = false): Promise<Made> {
    const token = await this.token(ownerId);
    if (!token) return 'unusable';
    if (this.secret === undefined) throw new Error('the keeper has no clientState: call load() first');
    const expiration = this.expiry();
    let reply: Reply;
    try {
      reply = await graphCall('POST', `${this.options.graphBaseUrl}/v1.0/subscriptions`, token, {
        changeType: 'updated',
        resource: `/communications/presences?$filter=id in (${ids.map((id) => `'${id}'`).join(',')})`,
        notificationUrl: this.options.notificationUrl,
        lifecycleNotificationUrl: this.options.lifecycleNotificationUrl,
        expirationDateTime: expiration,
        clientState: this.secret,
        includeResourceData: true,
        encryptionCertificate: this.options.certificate.base64,
        encryptionCertificateId: this.options.certificate.id,
      });
    } catch (error) {
      this.logger.warn(`creating a subscription for ${ownerId} failed: ${(error as Error).message}`);
      return 'failed';
    }
    if (reply.status === 403 && !slotCleared) {
      const slot = await this.clearSlot(ownerId, token);
      if (slot === 'adopted') return 'adopted';
      if (slot === 'cleared') return this.create(ownerId, ids, true);
    }
    if (reply.status !== 201) {
      this.logger.warn(
        `creating a subscription for ${ownerId} failed: ${reply.status} ${JSON.stringify(reply.body)?.slice(0, 200)}`,
      );
      return reply.status === 400 ? 'refused' : 'failed';
    }
    this.state.subscriptions.push({
      id: reply.body.id,
      ownerId,
      ids,
      expiresAt: Date.parse(expiration),
      certificateId: this.options.certificate.id,
    });
    for (const id of ids) this.doubtful.delete(id);
    this.logger.info(`created ${reply.body.id} (${ids.length} ids) owned by ${ownerId}`);
    return 'created';
  }

  /** Makes the subscriptions cover every watched id (the keeper's plan). */
  protected abstract apply(): Promise<void>;

  /** Frees or takes over an owner's one slot at Graph when a create is refused (see subscription-audit.ts). */
  protected abstract clearSlot(ownerId: string, token: string): Promise<'adopted' | 'cleared' | 'none'>;
}
