// Keeps Graph presence subscriptions covering every watched id. Graph takes only delegated tokens for presence
// subscriptions and allows one per user per application, 650 ids each: so the watched ids are cut into shards of
// 650 and each shard is owned by a different signed-in user, whose refresh token (from on-behalf-of) keeps it
// authorised. Subscriptions are renewed well before their 60-minute expiry, re-created when Graph removes them,
// and deleted when nobody watches. Ids Graph refuses never cost the others their coverage. When the encryption
// certificate changes (a key roll), every subscription is moved to the new one with a PATCH.
//
// The keeper trusts Graph, not its own record: each tick it lists its owners' subscriptions at Graph, re-makes
// what Graph no longer holds, and adopts or deletes what Graph holds that it does not keep (made by a relay that
// stopped before saving it). A shard whose owner can no longer be used moves to another owner at once, or is
// reported uncovered; whoever watches ids that lose or regain coverage is told (`onCoverage`).
import { randomBytes } from 'node:crypto';
import { DeliveryWatch, type DeliveryWatchOptions } from './delivery-watch.js';
import { graphCall, type Reply } from './graph-call.js';
import { listSubscriptions, presenceIdsOf, sameEndpoint, type ListedSubscription } from './graph-subscriptions.js';
import { consoleLogger, type RelayLogger } from './logger.js';
import type { RelayStore, RelayState, KeptSubscription, StoredSession } from './store.js';
import type { DelegatedTokens, TokenBroker } from './tokens.js';

export const SHARD = 650;

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
export interface CoverageChange { lost: string[]; regained: string[] }

/**
 * How a create went: made, a subscription of the owner's found at Graph taken instead, the owner cannot be used,
 * Graph refused the ids (400), or anything else.
 */
type Made = 'created' | 'adopted' | 'unusable' | 'refused' | 'failed';

export class SubscriptionKeeper {
  private state: RelayState = { owners: {}, subscriptions: [] };
  private readonly access = new Map<string, DelegatedTokens>();
  private watched: string[] = [];
  /** Ids Graph refused to subscribe to: tried again only where no subscription has to be deleted first. */
  private readonly doubtful = new Set<string>();
  private secret: string | undefined;
  private running: Promise<void> = Promise.resolve();
  /** The keeper's clock (milliseconds since the epoch), which the relay's watch leases follow too. */
  readonly now: () => number;
  private readonly lifetimeMs: number;
  private readonly renewBeforeMs: number;
  /** Ids no shard could cover (more shards than owners): polling covers them in the browser. */
  uncovered: string[] = [];
  /** Where the keeper says what it does and what failed (the relay says it there too, unless given its own). */
  readonly logger: RelayLogger;
  /** Told whenever watched ids lose coverage or regain it. */
  onCoverage: ((change: CoverageChange) => void) | undefined;
  /** Subscriptions whose renewal failed: renewed again at the next tick, however far their expiry. */
  private readonly unrenewed = new Set<string>();
  /** Ids whose subscription ended since coverage was last reported: their changes meanwhile may be lost. */
  private readonly gap = new Set<string>();
  /** Whether each watched id was covered, as last reported. */
  private reported = new Map<string, boolean>();
  /** Each subscription's pace of deliveries, to notice one gone silent (see `checkSilent`). */
  readonly deliveries: DeliveryWatch;
  /** Subscriptions the keeper ended or dropped, and unknown ones already looked into: deliveries for them are no news. */
  private readonly ended = new Set<string>();
  /** Graph calls made to check silent subscriptions, and those found gone, for operators and tests. */
  readonly silenceChecks = { asked: 0, gone: 0 };

  constructor(private readonly options: KeeperOptions) {
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? 55 * 60_000;
    this.renewBeforeMs = options.renewBeforeMs ?? 15 * 60_000;
    this.secret = options.clientState;
    this.deliveries = new DeliveryWatch(options.silence);
    this.logger = options.logger ?? consoleLogger();
  }

  get store(): RelayStore {
    return this.options.store;
  }

  get graphBaseUrl(): string {
    return this.options.graphBaseUrl;
  }

  /**
   * Who can read the presence of `ids` on Graph: the owner of the subscription covering each id, else (an id whose
   * subscription was just re-made, say) any owner. Ids nobody can read are under the empty key.
   */
  readersOf(ids: string[]): Map<string, string[]> {
    const ownerById = new Map<string, string>();
    for (const sub of this.state.subscriptions) for (const id of sub.ids) ownerById.set(id, sub.ownerId);
    const anyOwner = Object.keys(this.state.owners).sort()[0] ?? '';
    const readers = new Map<string, string[]>();
    for (const id of ids) {
      const owner = ownerById.get(id) ?? anyOwner;
      const list = readers.get(owner);
      if (list) list.push(id);
      else readers.set(owner, [id]);
    }
    return readers;
  }

  /** A delegated Graph token of an owner (refreshed when needed); undefined when the owner can no longer be used. */
  ownerToken(ownerId: string): Promise<string | undefined> {
    return this.token(ownerId);
  }

  /** The clientState subscriptions are made with (known once `load` has run when none was configured). */
  get clientState(): string | undefined {
    return this.secret;
  }

  /**
   * Loads what a previous run kept: its subscriptions stay as they are. Without a configured clientState, the one
   * stored is used (one is made and stored the first time), so notifications for those subscriptions still match.
   */
  async load(): Promise<void> {
    this.state = await this.options.store.load();
    this.secret ??= await this.options.store.clientState(randomBytes(24).toString('base64url'));
  }

  subscriptions(): KeptSubscription[] {
    return structuredClone(this.state.subscriptions);
  }

  /**
   * The watch sessions stored by a previous run, by user then session. Lists stored in the earlier form (one per
   * user) come back as that user's session without an id, with no lease end (`expiresAt` NaN): the caller gives
   * them a fresh lease.
   */
  storedSessions(): Record<string, Record<string, StoredSession>> {
    const sessions = structuredClone(this.state.sessions ?? {});
    for (const [userId, ids] of Object.entries(this.state.watchers ?? {})) {
      const mine = (sessions[userId] ??= {});
      mine[''] ??= { ids, expiresAt: Number.NaN };
    }
    return sessions;
  }

  /** Stores every watch session (replacing what was stored, including lists in the earlier form). */
  saveSessions(sessions: Record<string, Record<string, StoredSession>>): Promise<void> {
    return this.serial(async () => {
      this.state.sessions = structuredClone(sessions);
      delete this.state.watchers;
      await this.options.store.save(this.state);
    });
  }

  /** Whether the keeper holds a refresh token of this user's, so they can own a subscription. */
  hasOwner(userId: string): boolean {
    return userId in this.state.owners;
  }

  /** A signed-in user who can own a subscription: their token for the relay, exchanged on their behalf. */
  async addOwner(userId: string, relayToken: string): Promise<void> {
    const tokens = await this.options.broker.onBehalfOf(relayToken);
    this.access.set(userId, tokens);
    if (tokens.refreshToken) this.state.owners[userId] = { refreshToken: tokens.refreshToken };
    await this.options.store.save(this.state);
  }

  /** Serialises every change, so Graph never sees two operations for one owner at once. */
  private serial(work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(work, work);
    return this.running;
  }

  /**
   * The ids watched changed: make the subscriptions cover exactly them. When owners run short, the first ones are
   * covered first (the relay gives the ids more users watch first).
   */
  reconcile(watched: string[]): Promise<void> {
    this.watched = [...new Set(watched)];
    return this.serial(() => this.apply());
  }

  /**
   * Checks every owner's subscriptions against Graph (see `audit`), then renews what expires soon or failed to
   * renew, and moves what another certificate encrypts to the current one. Call it every minute or so.
   */
  tick(): Promise<void> {
    return this.serial(async () => {
      await this.audit();
      for (const sub of [...this.state.subscriptions]) {
        if (!this.state.subscriptions.includes(sub)) continue;
        if (sub.expiresAt - this.now() < this.renewBeforeMs || !this.onCurrentCertificate(sub) || this.unrenewed.has(sub.id)) await this.renew(sub);
      }
      await this.options.store.save(this.state);
    });
  }

  /**
   * Compares what the keeper keeps with what Graph holds, for every owner of a kept subscription (`GET
   * /subscriptions` with the owner's token lists that user's subscriptions of this app: one call per shard). Kept
   * but not at Graph (lapsed, or removed without a lifecycle notification reaching the relay): dropped, and its ids
   * covered again at once. At Graph but not kept: adopted or deleted (see `orphan`). An owner whose token is refused
   * is dropped, and their shard moves to another owner. (Other owners' slots are checked when a create is refused.)
   */
  private async audit(): Promise<void> {
    const watched = new Set(this.watched);
    let changed = this.dropOwnerless();
    for (const owner of [...new Set(this.state.subscriptions.map((s) => s.ownerId))].sort()) {
      const listed = await this.listed(owner);
      if (!listed) continue;
      const kept = this.state.subscriptions.filter((s) => s.ownerId === owner);
      const keptIds = new Set(kept.map((s) => s.id));
      for (const sub of kept) {
        const found = listed.subscriptions.find((s) => s.id === sub.id);
        if (!found) {
          this.drop(sub, `${sub.id} is gone at Graph`);
          changed = true;
        } else if (found.expiresAt < sub.expiresAt) {
          // Graph ends it sooner than the keeper thought: renewed in time by Graph's date.
          sub.expiresAt = found.expiresAt;
        }
      }
      for (const orphan of listed.subscriptions.filter((s) => !keptIds.has(s.id))) {
        await this.orphan(owner, listed.token, orphan, watched);
        changed = true;
      }
    }
    if (this.dropOwnerless()) changed = true;
    if (changed) await this.apply();
  }

  /** An audit out of turn: what it adopts is renewed at once (with a fresh token), and the state is stored. */
  private async auditNow(): Promise<void> {
    await this.audit();
    for (const sub of this.state.subscriptions.filter((s) => this.unrenewed.has(s.id))) {
      if (this.state.subscriptions.includes(sub)) await this.renew(sub, true);
    }
    await this.options.store.save(this.state);
  }

  /** An owner's live subscriptions at Graph, with the token that listed them; undefined when Graph cannot say. */
  private async listed(owner: string): Promise<{ token: string; subscriptions: ListedSubscription[] } | undefined> {
    for (const fresh of [false, true]) {
      const token = await this.token(owner, fresh);
      if (!token) return undefined;
      try {
        const now = this.now();
        const subscriptions = (await listSubscriptions(this.options.graphBaseUrl, token)).filter((s) => !(s.expiresAt <= now));
        return { token, subscriptions };
      } catch (error) {
        // A token Graph refuses (revoked sessions) is refreshed once: if that is refused too, the owner is gone.
        if (!fresh && /answered 401/.test((error as Error).message)) continue;
        this.logger.warn(`listing ${owner}'s subscriptions at Graph failed: ${(error as Error).message}`);
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * A subscription at Graph the keeper does not keep (made by a relay that stopped before storing it, or kept by an
   * owner whose earlier sign-in was revoked). It takes the owner's one slot, so it is adopted when it notifies this
   * relay about watched ids and the owner keeps nothing else, and deleted otherwise. True when adopted.
   */
  private async orphan(owner: string, token: string, found: ListedSubscription, watched: Set<string>): Promise<boolean> {
    const ids = presenceIdsOf(found.resource);
    const ours = sameEndpoint(found.notificationUrl, this.options.notificationUrl);
    const slotFree = !this.state.subscriptions.some((s) => s.ownerId === owner);
    if (ours && slotFree && ids.length && ids.some((id) => watched.has(id))) {
      const sub: KeptSubscription = { id: found.id, ownerId: owner, ids, expiresAt: found.expiresAt, ...(found.encryptionCertificateId ? { certificateId: found.encryptionCertificateId } : {}) };
      this.state.subscriptions.push(sub);
      this.logger.info(`adopted ${found.id} (${ids.length} ids) found at Graph for ${owner}`);
      // Renewed at once with a fresh token: Graph delivers again if it held notifications for reauthorisation.
      this.unrenewed.add(sub.id);
      return true;
    }
    const reply = await graphCall('DELETE', `${this.options.graphBaseUrl}/v1.0/subscriptions/${found.id}`, token).catch((error: Error): Reply => ({ status: 0, body: error.message, headers: {} }));
    this.forgetSubscription(found.id);
    this.logger.info(`deleted ${found.id}, found at Graph for ${owner} but not kept (${ours ? 'nothing watched needs it' : 'it notifies another endpoint'}): ${reply.status}`);
    return false;
  }

  /** Forgets a subscription that no longer delivers; its ids are in a gap until covered again. */
  private drop(sub: KeptSubscription, why: string): void {
    this.state.subscriptions = this.state.subscriptions.filter((s) => s !== sub);
    this.unrenewed.delete(sub.id);
    this.forgetSubscription(sub.id);
    for (const id of sub.ids) this.gap.add(id);
    this.logger.warn(why);
  }

  /** Remembers a subscription the keeper no longer keeps: deliveries still under way for it are expected. */
  private forgetSubscription(id: string): void {
    this.deliveries.forget(id);
    this.ended.add(id);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
  }

  /**
   * A delivery from Graph (its clientState the relay's) for this subscription. One the keeper keeps: its pace is
   * learnt. One it neither keeps nor ended: Graph holds a subscription the keeper does not know (made by a relay that
   * stopped before storing it, or by another instance), so every owner's subscriptions are audited at once, once for
   * each such id.
   */
  heard(subscriptionId: string): void {
    if (this.state.subscriptions.some((s) => s.id === subscriptionId)) return this.deliveries.heard(subscriptionId);
    if (this.ended.has(subscriptionId)) return;
    // Asked in turn: a subscription being made right now may deliver before its create has answered.
    void this.serial(async () => {
      if (this.ended.has(subscriptionId) || this.state.subscriptions.some((s) => s.id === subscriptionId)) return;
      this.forgetSubscription(subscriptionId);
      this.logger.warn(`a delivery for ${subscriptionId}, which the keeper does not keep: checking Graph`);
      await this.auditNow();
    }).catch((error: Error) => this.logger.error(`checking Graph after a delivery for an unknown subscription failed: ${error.message}`));
  }

  /**
   * Asks Graph about each subscription silent for longer than its own pace makes likely (`GET /subscriptions/{id}`
   * with its owner's token: one cheap call each). One Graph no longer holds is dropped and made again at once, and
   * whoever watches its ids is told to read them again; one it holds is left to be checked later (see
   * delivery-watch.ts for how long silences may last). Call it every second or so: it asks Graph only when due.
   */
  checkSilent(): Promise<void> {
    const due = this.deliveries.overdue(this.state.subscriptions.map((s) => s.id));
    if (!due.length) return Promise.resolve();
    return this.serial(async () => {
      let changed = false;
      for (const id of due) {
        const sub = this.state.subscriptions.find((s) => s.id === id);
        if (!sub) continue;
        this.silenceChecks.asked++;
        const held = await this.held(sub);
        if (held === false) {
          this.silenceChecks.gone++;
          this.drop(sub, `${sub.id} went silent and is gone at Graph; re-creating`);
          changed = true;
        } else this.deliveries.checked(id);
      }
      if (changed) await this.apply();
    });
  }

  /**
   * Whether Graph still holds a subscription (https://learn.microsoft.com/graph/api/subscription-get: 404 once it
   * has expired or been deleted); undefined when Graph cannot say. Graph's expiry, when sooner, is taken.
   */
  private async held(sub: KeptSubscription): Promise<boolean | undefined> {
    for (const fresh of [false, true]) {
      const token = await this.token(sub.ownerId, fresh);
      if (!token) return undefined;
      const reply = await graphCall('GET', `${this.options.graphBaseUrl}/v1.0/subscriptions/${sub.id}`, token).catch((error: Error): Reply => ({ status: 0, body: error.message, headers: {} }));
      if (reply.status === 401 && !fresh) continue;
      if (reply.status === 404) return false;
      if (reply.status !== 200) return undefined;
      const expiresAt = typeof reply.body?.expirationDateTime === 'string' ? Date.parse(reply.body.expirationDateTime) : Number.NaN;
      if (expiresAt < sub.expiresAt) sub.expiresAt = expiresAt;
      return true;
    }
    return undefined;
  }

  /** Drops the subscriptions of owners who can no longer be used (Graph stops delivering them). True if any. */
  private dropOwnerless(): boolean {
    const lost = this.state.subscriptions.filter((s) => !(s.ownerId in this.state.owners));
    for (const sub of lost) this.drop(sub, `${sub.id} dropped: its owner ${sub.ownerId} can no longer authorise it`);
    return lost.length > 0;
  }

  /**
   * Moves every subscription still made with another encryption certificate to the current one now (each PATCH
   * renews it too), rather than at its next renewal: the old key can then be dropped sooner.
   */
  rollCertificate(): Promise<void> {
    return this.serial(async () => {
      const outdated = this.state.subscriptions.filter((sub) => !this.onCurrentCertificate(sub));
      for (const sub of outdated) await this.renew(sub);
      if (outdated.length) await this.options.store.save(this.state);
    });
  }

  /** How many subscriptions each certificate id encrypts for (`unknown`: kept by an earlier version of the relay). */
  certificatesInUse(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const sub of this.state.subscriptions) {
      const id = sub.certificateId ?? 'unknown';
      counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  }

  private onCurrentCertificate(sub: KeptSubscription): boolean {
    return sub.certificateId === this.options.certificate.id;
  }

  /** A lifecycle notification from Graph. */
  lifecycle(event: { subscriptionId: string; lifecycleEvent: string }): Promise<void> {
    return this.serial(async () => {
      const sub = this.state.subscriptions.find((s) => s.id === event.subscriptionId);
      // One the keeper does not keep (made before a crash, say): Graph is asked what it holds.
      if (!sub) return this.auditNow();
      if (event.lifecycleEvent === 'reauthorizationRequired') await this.renew(sub, true);
      if (event.lifecycleEvent === 'subscriptionRemoved') {
        this.drop(sub, `removed by Graph: ${sub.id}`);
        await this.apply();
      }
      if (event.lifecycleEvent === 'missed') {
        // Graph could not deliver some notifications: whoever watches these ids reads them again.
        const watched = new Set(this.watched);
        const regained = sub.ids.filter((id) => watched.has(id));
        if (regained.length) this.onCoverage?.({ lost: [], regained });
      }
    });
  }

  private async token(ownerId: string, fresh = false): Promise<string | undefined> {
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

  private expiry(): string {
    return new Date(this.now() + this.lifetimeMs).toISOString();
  }

  /**
   * Renews a subscription; one made with another certificate is moved to the current one in the same PATCH (Graph
   * takes encryptionCertificate and encryptionCertificateId in an update, with expirationDateTime, per "Rotating keys"
   * in https://learn.microsoft.com/graph/change-notifications-with-resource-data). Should Graph refuse the new
   * certificate, the subscription is renewed as it is, so it stays alive, and the move is tried again later. What
   * cannot be renewed is covered again at once (`reapply`), unless the caller is covering already.
   */
  private async renew(sub: KeptSubscription, fresh = false, reapply = true): Promise<void> {
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
      graphCall('PATCH', url, token, { expirationDateTime: expiration, ...(withCertificate ? { encryptionCertificate: certificate.base64, encryptionCertificateId: certificate.id } : {}) }).catch(
        (error: Error): Reply => ({ status: 0, body: error.message, headers: {} }),
      );
    let reply = await patch(moving);
    let moved = moving && reply.status === 200;
    if (moving && reply.status === 400) {
      this.logger.warn(`Graph refused certificate ${certificate.id} for ${sub.id}: ${JSON.stringify(reply.body)?.slice(0, 200)}; it stays on ${sub.certificateId ?? 'its certificate'}, whose key must be kept`);
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

  private async remove(sub: KeptSubscription): Promise<void> {
    const token = await this.token(sub.ownerId);
    if (token) await graphCall('DELETE', `${this.options.graphBaseUrl}/v1.0/subscriptions/${sub.id}`, token);
    this.state.subscriptions = this.state.subscriptions.filter((s) => s !== sub);
    this.forgetSubscription(sub.id);
    this.logger.info(`deleted ${sub.id}`);
  }

  private async create(ownerId: string, ids: string[], slotCleared = false): Promise<Made> {
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
      this.logger.warn(`creating a subscription for ${ownerId} failed: ${reply.status} ${JSON.stringify(reply.body)?.slice(0, 200)}`);
      return reply.status === 400 ? 'refused' : 'failed';
    }
    this.state.subscriptions.push({ id: reply.body.id, ownerId, ids, expiresAt: Date.parse(expiration), certificateId: this.options.certificate.id });
    for (const id of ids) this.doubtful.delete(id);
    this.logger.info(`created ${reply.body.id} (${ids.length} ids) owned by ${ownerId}`);
    return 'created';
  }

  /**
   * Graph allows one presence subscription per user per app: when a create is refused, the owner's subscriptions
   * at Graph that the keeper does not keep are adopted or deleted (see `orphan`). Says whether one was adopted (it
   * is renewed now, with a fresh token) or the slot was freed.
   */
  private async clearSlot(ownerId: string, token: string): Promise<'adopted' | 'cleared' | 'none'> {
    let listed: ListedSubscription[];
    try {
      listed = await listSubscriptions(this.options.graphBaseUrl, token);
    } catch {
      return 'none';
    }
    const kept = new Set(this.state.subscriptions.map((s) => s.id));
    const orphans = listed.filter((s) => !kept.has(s.id) && !(s.expiresAt <= this.now()));
    let adopted: KeptSubscription | undefined;
    for (const found of orphans) {
      if (await this.orphan(ownerId, token, found, new Set(this.watched))) adopted = this.state.subscriptions.find((s) => s.id === found.id);
    }
    if (adopted) {
      await this.renew(adopted, true, false);
      return this.state.subscriptions.includes(adopted) ? 'adopted' : 'cleared';
    }
    return orphans.length ? 'cleared' : 'none';
  }

  /** The ids among `ids` that no subscription covers. */
  uncoveredOf(ids: string[]): string[] {
    const covered = new Set(this.state.subscriptions.flatMap((s) => s.ids));
    return ids.filter((id) => !covered.has(id));
  }

  /**
   * Makes the subscriptions cover every watched id, changing as little as possible. Graph cannot change a
   * subscription's resource, so growing one means making a new one: it is made (by a free owner) before the old one
   * is deleted, so the ids it already covered are never without a subscription. A subscription stays while any of
   * its ids is watched; notifications for the others reach nobody.
   *
   * When Graph refuses a subscription (400: it will not subscribe to one of the ids), the ids being added are halved
   * until the one it refuses is found; that id stays uncovered (the browser polls it) and is tried again only by a
   * free owner, so it never costs an existing subscription. Whatever fails, what was covered stays covered.
   */
  private async apply(): Promise<void> {
    const watched = new Set(this.watched);
    this.dropOwnerless();
    for (const sub of [...this.state.subscriptions]) {
      // Past its expiry (the relay was down longer than a lifetime): Graph has ended it.
      if (sub.expiresAt <= this.now()) {
        this.drop(sub, `lapsed ${sub.id}`);
      } else if (!sub.ids.some((id) => watched.has(id))) await this.remove(sub);
    }
    const covered = new Set(this.state.subscriptions.flatMap((s) => s.ids));
    let missing = this.watched.filter((id) => !covered.has(id));
    const refused = new Set<string>();
    const setAside: string[] = [];
    // How many new ids the next subscription takes at most: halved while Graph refuses them.
    let chunk = SHARD;
    const without = (ids: string[]) => {
      const gone = new Set(ids);
      missing = missing.filter((id) => !gone.has(id));
    };
    let adopted = false;
    /** After a failed create of `take`: blame the owner, or narrow down the id Graph refuses. */
    const failed = (made: Made, owner: string, take: string[]) => {
      if (made === 'adopted') {
        adopted = true;
        return;
      }
      if (made !== 'refused') {
        refused.add(owner);
        return;
      }
      if (take.length > 1) {
        chunk = Math.ceil(take.length / 2);
        return;
      }
      this.doubtful.add(take[0]!);
      setAside.push(take[0]!);
      without(take);
      this.logger.warn(`Graph refuses to subscribe to ${take[0]}: it stays uncovered`);
      chunk = SHARD;
    };
    this.uncovered = [];
    while (missing.length) {
      if (adopted) {
        // A subscription found at Graph was taken in: what it covers is no longer missing.
        adopted = false;
        const covering = new Set(this.state.subscriptions.flatMap((s) => s.ids));
        missing = missing.filter((id) => !covering.has(id));
        if (!missing.length) break;
      }
      const busy = new Set(this.state.subscriptions.map((s) => s.ownerId));
      const free = Object.keys(this.state.owners).filter((o) => !busy.has(o) && !refused.has(o)).sort();
      // The subscription with the most room, counting only its ids still watched.
      let roomiest: { sub: KeptSubscription; kept: string[] } | undefined;
      for (const sub of this.state.subscriptions) {
        const kept = sub.ids.filter((id) => watched.has(id));
        if (kept.length < SHARD && (!roomiest || kept.length < roomiest.kept.length)) roomiest = { sub, kept };
      }
      const owner = free[0];
      if (owner && roomiest) {
        const take = missing.slice(0, Math.min(chunk, SHARD - roomiest.kept.length));
        const made = await this.create(owner, [...roomiest.kept, ...take]);
        if (made === 'created') {
          without(take);
          chunk = SHARD;
          await this.remove(roomiest.sub);
        } else failed(made, owner, take);
      } else if (owner) {
        const take = missing.slice(0, chunk);
        const made = await this.create(owner, take);
        if (made === 'created') {
          without(take);
          chunk = SHARD;
        } else failed(made, owner, take);
      } else if (roomiest && !refused.has(roomiest.sub.ownerId)) {
        // No free owner: the owner of the roomiest subscription re-makes it bigger (a short gap for its ids), with
        // no id Graph refused before. If Graph refuses the bigger one, it is re-made as it was, at once.
        const { sub, kept } = roomiest;
        const take = missing.filter((id) => !this.doubtful.has(id)).slice(0, SHARD - kept.length);
        if (!take.length) break;
        await this.remove(sub);
        // Changes to its ids until the bigger one is made are not notified: pages read them again after.
        for (const id of kept) this.gap.add(id);
        this.logger.info(`no free owner: ${sub.id} re-made with ${take.length} more ids`);
        const made = await this.create(sub.ownerId, [...kept, ...take]);
        if (made === 'created') {
          without(take);
          continue;
        }
        if (made === 'adopted') {
          adopted = true;
          continue;
        }
        refused.add(sub.ownerId);
        if (made === 'refused') {
          for (const id of take) this.doubtful.add(id);
          setAside.push(...take);
          without(take);
          this.logger.warn(`Graph refused ${take.length} more ids for ${sub.id}'s ids: they stay uncovered`);
        }
        if (kept.length && (await this.create(sub.ownerId, kept)) === 'created') this.logger.info(`${sub.id}'s ids covered again as before`);
        else missing.push(...kept);
      } else break;
    }
    this.uncovered = [...missing, ...setAside];
    if (this.uncovered.length) this.logger.warn(`${this.uncovered.length} watched ids uncovered`);
    await this.options.store.save(this.state);
    this.reportCoverage();
  }

  /**
   * Tells `onCoverage` which watched ids lost coverage since the last report, and which are covered again after a
   * gap (including those whose shard just moved to another owner). Ids first watched are not reported: the watch's
   * answer says whether they are covered.
   */
  private reportCoverage(): void {
    const covered = new Set(this.state.subscriptions.flatMap((s) => s.ids));
    const change: CoverageChange = { lost: [], regained: [] };
    const next = new Map<string, boolean>();
    for (const id of this.watched) {
      const now = covered.has(id);
      const before = this.reported.get(id);
      if (before === true && !now) change.lost.push(id);
      else if (now && (before === false || (before === true && this.gap.has(id)))) change.regained.push(id);
      next.set(id, now);
    }
    this.reported = next;
    this.gap.clear();
    if (change.lost.length || change.regained.length) {
      this.logger.info(`coverage: ${change.lost.length} ids lost, ${change.regained.length} regained`);
      this.onCoverage?.(change);
    }
  }
}
