// Keeps Graph presence subscriptions covering every watched id. Graph takes only delegated tokens for presence
// subscriptions and allows one per user per application, 650 ids each: so the watched ids are cut into shards of
// 650 and each shard is owned by a different signed-in user, whose refresh token (from on-behalf-of) keeps it
// authorised. Subscriptions are renewed well before their 60-minute expiry, re-created when Graph removes them,
// and deleted when nobody watches. Ids Graph refuses never cost the others their coverage. When the encryption
// certificate changes (a key roll), every subscription is moved to the new one with a PATCH.
//
// The keeper trusts Graph, not its own record: each tick it lists its owners' subscriptions at Graph, re-makes
// what Graph no longer holds, and adopts or deletes what Graph holds that it does not keep (made by a relay that
// stopped before saving it) (subscription-audit.ts). A shard whose owner can no longer be used moves to another owner
// at once, or is reported uncovered; whoever watches ids that lose or regain coverage is told (`onCoverage`). What is
// done to one subscription at Graph (make, renew, delete) is in kept-subscriptions.ts; this file plans the shards.
import { randomBytes } from 'node:crypto';
import type { CoverageChange, Made } from './kept-subscriptions.js';
import type { KeptSubscription, RelayStore, StoredSession } from './store.js';
import { AuditedSubscriptions } from './subscription-audit.js';

export { type CoverageChange, type KeeperOptions } from './kept-subscriptions.js';

export const SHARD = 650;

export class SubscriptionKeeper extends AuditedSubscriptions {
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
    this.loaded(await this.options.store.load());
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

  /** Whether the keeper holds a refresh token of this user's, so they can own a subscription. */
  hasOwner(userId: string): boolean {
    return userId in this.state.owners;
  }

  /** A signed-in user who can own a subscription: their token for the relay, exchanged on their behalf. */
  async addOwner(userId: string, relayToken: string): Promise<void> {
    const tokens = await this.options.broker.onBehalfOf(relayToken);
    this.access.set(userId, tokens);
    if (tokens.refreshToken) this.state.owners[userId] = { refreshToken: tokens.refreshToken };
    await this.persist();
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
        if (
          sub.expiresAt - this.now() < this.renewBeforeMs ||
          !this.onCurrentCertificate(sub) ||
          this.unrenewed.has(sub.id)
        )
          await this.renew(sub);
      }
      await this.persist();
    });
  }

  /**
   * Moves every subscription still made with another encryption certificate to the current one now (each PATCH
   * renews it too), rather than at its next renewal: the old key can then be dropped sooner.
   */
  rollCertificate(): Promise<void> {
    return this.serial(async () => {
      const outdated = this.state.subscriptions.filter((sub) => !this.onCurrentCertificate(sub));
      for (const sub of outdated) await this.renew(sub);
      if (outdated.length) await this.persist();
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
  protected async apply(): Promise<void> {
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
      const free = Object.keys(this.state.owners)
        .filter((o) => !busy.has(o) && !refused.has(o))
        .sort();
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
          // What Graph still held for the old subscription ends with it (a deleted subscription's notifications
          // are not delivered): whoever watches its ids reads them once more.
          for (const id of roomiest.kept) this.gap.add(id);
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
        if (kept.length && (await this.create(sub.ownerId, kept)) === 'created')
          this.logger.info(`${sub.id}'s ids covered again as before`);
        else missing.push(...kept);
      } else break;
    }
    this.uncovered = [...missing, ...setAside];
    if (this.uncovered.length) this.logger.warn(`${this.uncovered.length} watched ids uncovered`);
    await this.persist();
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
