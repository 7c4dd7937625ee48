// The keeper when several relay instances share a store: only the instance holding the keeper lease (keeper-lease.ts)
// makes, renews or deletes Graph subscriptions, so Graph never sees two keepers at once (and never two subscriptions
// for one owner). One lease for all the shards rather than one per shard: the plan is global (which owner is free,
// which shard has room), two planners would pick the same free owner, and one keeper makes Graph calls at Graph's
// pace for thousands of shards.
//
// The other instances still answer watch requests truthfully: an id is covered only if a subscription the keeper
// stored covers it. Their watch sessions reach the keeper through the shared store (read every second); an instance
// answering a watch with ids not yet covered takes the lease at once if it is free, else follows what the keeper
// stores until they are covered or its wait ends (the page then polls them, until told otherwise). Lifecycle
// notifications that reach another instance are left in the lease's container for the keeper, which takes them every
// lease period. The keeper checks and renews the subscriptions on its own timer, whatever timer the host has (on
// Functions the renewal timer runs on one instance, not necessarily the keeper's).
import { performance } from 'node:perf_hooks';
import type { ListedSubscription } from './graph-subscriptions.js';
import type { KeeperLease } from './keeper-lease.js';
import type { KeeperOptions, Made } from './kept-subscriptions.js';
import type { KeptSubscription } from './store.js';
import { SubscriptionKeeper } from './subscriptions.js';

export interface LeasedKeeperOptions extends KeeperOptions {
  lease: KeeperLease;
  /** How often the keeper checks and renews subscriptions while it holds the lease. Default 60 s. */
  checkMs?: number;
  /** How long a watch on another instance follows the keeper's work before answering. Default 8 s. */
  followMs?: number;
  /** How often the others read what the keeper stored while they follow it. Default 250 ms. */
  followEveryMs?: number;
}

const INBOX = 'lifecycle/';

export class LeasedKeeper extends SubscriptionKeeper {
  readonly lease: KeeperLease;
  private checkTimer: ReturnType<typeof setInterval> | undefined;
  private inboxTimer: ReturnType<typeof setInterval> | undefined;
  private following: Promise<void> | undefined;
  private lastRead = Number.NEGATIVE_INFINITY;
  /** Whether the relay has said what is watched: until then, nothing is planned (an empty plan deletes everything). */
  private told = false;
  private readonly leased: LeasedKeeperOptions;

  constructor(options: LeasedKeeperOptions) {
    super(options);
    this.leased = options;
    this.lease = options.lease;
    // A new keeper starts from what the last one stored, then checks it against Graph and covers what is watched.
    this.lease.onAcquired = () =>
      void this.takeOver().catch((error: Error) =>
        this.logger.error(`taking over as the keeper failed: ${error.message}`),
      );
  }

  /** Starts taking part in the lease (and, while holding it, the keeper's own checks). */
  async startLease(): Promise<void> {
    await this.lease.start();
    const checkMs = this.leased.checkMs ?? 60_000;
    this.checkTimer = setInterval(() => {
      if (this.lease.holds())
        void super.tick().catch((error: Error) => this.logger.error(`the keeper's check failed: ${error.message}`));
    }, checkMs);
    this.checkTimer.unref();
    this.inboxTimer = setInterval(() => {
      if (this.lease.holds())
        void this.takeInbox().catch((error: Error) =>
          this.logger.warn(`reading lifecycle notifications left for the keeper failed: ${error.message}`),
        );
    }, this.lease.periodMs);
    this.inboxTimer.unref();
  }

  /** Stops the checks and releases the lease, after what is under way. */
  async stopLease(): Promise<void> {
    clearInterval(this.checkTimer);
    clearInterval(this.inboxTimer);
    await this.running.catch(() => undefined);
    await this.lease.stop();
  }

  /** Reads what the previous keeper stored, checks it against Graph (adopting what it made but did not store), renews
   * what is due, handles what was left for it, and covers what is watched. */
  private async takeOver(): Promise<void> {
    await this.serial(() => this.readStored(true));
    await super.tick();
    await this.takeInbox();
    await super.reconcile(this.watched);
    this.logger.info(`took over as the keeper: ${this.state.subscriptions.length} subscriptions kept`);
  }

  /**
   * What the store holds: the subscriptions (the keeper's, or the previous keeper's) and every owner, including those
   * made through other instances. The holder keeps its own record of subscriptions; the others take the store's.
   */
  private async readStored(all: boolean): Promise<void> {
    this.lastRead = performance.now();
    const stored = await this.options.store.load();
    // Tokens refreshed here are newer than the store's (rotated refresh tokens stay valid, so either works).
    this.loaded({
      ...this.state,
      owners: { ...stored.owners, ...this.state.owners },
      subscriptions: all ? stored.subscriptions : this.state.subscriptions,
    });
  }

  /** Reads the store again if it was last read more than `ms` ago. */
  private async readIfOlder(ms: number): Promise<void> {
    if (performance.now() - this.lastRead >= ms) await this.readStored(!this.lease.holds());
  }

  /** Plans only while holding the lease; and what other instances added as owners is known first. */
  protected override async apply(): Promise<void> {
    if (!this.lease.holds() || !this.told) return;
    await this.readIfOlder(1_000);
    await super.apply();
  }

  override reconcile(watched: string[]): Promise<void> {
    this.told = true;
    if (this.lease.holds()) return super.reconcile(watched);
    this.watched = [...new Set(watched)];
    // Covered already, as far as this instance knows: nothing to wait for (the keeper tells pages of later changes).
    if (!this.uncoveredOf(this.watched).length) return Promise.resolve();
    return this.follow();
  }

  /**
   * Not the keeper: takes the lease if it is free (then plans as the keeper), else reads what the keeper stores until
   * every watched id is covered or the wait ends. One follow at a time; a call during one joins it.
   */
  private follow(): Promise<void> {
    return (this.following ??= (async () => {
      if (await this.lease.beat()) {
        await super.reconcile(this.watched);
        return;
      }
      const end = performance.now() + (this.leased.followMs ?? 8_000);
      for (;;) {
        await this.readStored(true);
        if (!this.uncoveredOf(this.watched).length || performance.now() > end || this.lease.holds()) return;
        await new Promise((r) => setTimeout(r, this.leased.followEveryMs ?? 250));
      }
    })().finally(() => (this.following = undefined)));
  }

  // Every call that changes Graph checks the lease first, so a keeper that lost it (paused past its time to spare)
  // stops at its next call rather than finishing a plan another keeper now owns.

  protected override async create(ownerId: string, ids: string[], slotCleared = false): Promise<Made> {
    return this.lease.holds() ? super.create(ownerId, ids, slotCleared) : 'failed';
  }

  protected override async renew(sub: KeptSubscription, fresh = false, reapply = true): Promise<void> {
    if (this.lease.holds()) await super.renew(sub, fresh, reapply);
  }

  protected override async remove(sub: KeptSubscription): Promise<void> {
    if (this.lease.holds()) await super.remove(sub);
  }

  protected override async orphan(
    owner: string,
    token: string,
    found: ListedSubscription,
    watched: Set<string>,
  ): Promise<boolean> {
    // Before the relay says what is watched, one cannot tell whether it is needed: left for a later check.
    return this.lease.holds() && this.told ? super.orphan(owner, token, found, watched) : false;
  }

  protected override async clearSlot(ownerId: string, token: string): Promise<'adopted' | 'cleared' | 'none'> {
    return this.lease.holds() ? super.clearSlot(ownerId, token) : 'none';
  }

  override tick(): Promise<void> {
    if (this.lease.holds()) return super.tick();
    return this.lease.beat().then(async (held) => {
      if (!held) await this.readStored(true);
    });
  }

  override rollCertificate(): Promise<void> {
    return this.lease.holds() ? super.rollCertificate() : Promise.resolve();
  }

  override checkSilent(): Promise<void> {
    return this.lease.holds() ? super.checkSilent() : Promise.resolve();
  }

  /** A delivery for a subscription this instance does not know: the keeper's newest, most likely. */
  override heard(subscriptionId: string): void {
    if (this.lease.holds()) return super.heard(subscriptionId);
    if (this.state.subscriptions.some((s) => s.id === subscriptionId)) return;
    void this.readIfOlder(1_000).catch(() => undefined);
  }

  /** Handled by the keeper; another instance leaves it in the lease's container for the keeper to take. */
  override lifecycle(event: { subscriptionId: string; lifecycleEvent: string }): Promise<void> {
    if (this.lease.holds()) return super.lifecycle(event);
    const name = `${INBOX}${Date.now()}-${Math.random().toString(36).slice(2)}.json`;
    const text = JSON.stringify(event);
    return this.lease.container
      .getBlockBlobClient(name)
      .upload(text, Buffer.byteLength(text))
      .then(() => undefined);
  }

  /** The lifecycle notifications other instances left: each handled, then deleted. */
  private async takeInbox(): Promise<void> {
    for await (const item of this.lease.container.listBlobsFlat({ prefix: INBOX })) {
      const blob = this.lease.container.getBlobClient(item.name);
      try {
        const event = JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as {
          subscriptionId?: unknown;
          lifecycleEvent?: unknown;
        };
        if (typeof event.subscriptionId === 'string' && typeof event.lifecycleEvent === 'string')
          await super.lifecycle({ subscriptionId: event.subscriptionId, lifecycleEvent: event.lifecycleEvent });
      } finally {
        await blob.deleteIfExists();
      }
    }
  }
}
