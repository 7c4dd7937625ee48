// The keeper trusts Graph, not its own record: each owner's subscriptions are listed at Graph and compared with what
// is kept (what Graph lost is made again, what it holds unkept is adopted or deleted), a subscription silent past
// its pace is looked up, and a delivery for a subscription nobody keeps sets off an audit at once.
import { graphCall, type Reply } from './graph-call.js';
import { listSubscriptions, presenceIdsOf, sameEndpoint, type ListedSubscription } from './graph-subscriptions.js';
import { KeptSubscriptions } from './kept-subscriptions.js';
import type { KeptSubscription } from './store.js';

export abstract class AuditedSubscriptions extends KeptSubscriptions {
  /**
   * Compares what the keeper keeps with what Graph holds, for every owner of a kept subscription (`GET
   * /subscriptions` with the owner's token lists that user's subscriptions of this app: one call per shard). Kept
   * but not at Graph (lapsed, or removed without a lifecycle notification reaching the relay): dropped, and its ids
   * covered again at once. At Graph but not kept: adopted or deleted (see `orphan`). An owner whose token is refused
   * is dropped, and their shard moves to another owner. (Other owners' slots are checked when a create is refused.)
   */
  protected async audit(): Promise<void> {
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
  protected async auditNow(): Promise<void> {
    await this.audit();
    for (const sub of this.state.subscriptions.filter((s) => this.unrenewed.has(s.id))) {
      if (this.state.subscriptions.includes(sub)) await this.renew(sub, true);
    }
    await this.persist();
  }

  /** An owner's live subscriptions at Graph, with the token that listed them; undefined when Graph cannot say. */
  protected async listed(owner: string): Promise<{ token: string; subscriptions: ListedSubscription[] } | undefined> {
    for (const fresh of [false, true]) {
      const token = await this.token(owner, fresh);
      if (!token) return undefined;
      try {
        const now = this.now();
        const subscriptions = (await listSubscriptions(this.options.graphBaseUrl, token)).filter(
          (s) => !(s.expiresAt <= now),
        );
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
  protected async orphan(
    owner: string,
    token: string,
    found: ListedSubscription,
    watched: Set<string>,
  ): Promise<boolean> {
    const ids = presenceIdsOf(found.resource);
    const ours = sameEndpoint(found.notificationUrl, this.options.notificationUrl);
    const slotFree = !this.state.subscriptions.some((s) => s.ownerId === owner);
    if (ours && slotFree && ids.length && ids.some((id) => watched.has(id))) {
      const sub: KeptSubscription = {
        id: found.id,
        ownerId: owner,
        ids,
        expiresAt: found.expiresAt,
        ...(found.encryptionCertificateId ? { certificateId: found.encryptionCertificateId } : {}),
      };
      this.state.subscriptions.push(sub);
      this.logger.info(`adopted ${found.id} (${ids.length} ids) found at Graph for ${owner}`);
      // Renewed at once with a fresh token: Graph delivers again if it held notifications for reauthorisation.
      this.unrenewed.add(sub.id);
      return true;
    }
    const reply = await graphCall('DELETE', `${this.options.graphBaseUrl}/v1.0/subscriptions/${found.id}`, token).catch(
      (error: Error): Reply => ({ status: 0, body: error.message, headers: {} }),
    );
    this.forgetSubscription(found.id);
    this.logger.info(
      `deleted ${found.id}, found at Graph for ${owner} but not kept (${ours ? 'nothing watched needs it' : 'it notifies another endpoint'}): ${reply.status}`,
    );
    return false;
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
    }).catch((error: Error) =>
      this.logger.error(`checking Graph after a delivery for an unknown subscription failed: ${error.message}`),
    );
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
  protected async held(sub: KeptSubscription): Promise<boolean | undefined> {
    for (const fresh of [false, true]) {
      const token = await this.token(sub.ownerId, fresh);
      if (!token) return undefined;
      const reply = await graphCall('GET', `${this.options.graphBaseUrl}/v1.0/subscriptions/${sub.id}`, token).catch(
        (error: Error): Reply => ({ status: 0, body: error.message, headers: {} }),
      );
      if (reply.status === 401 && !fresh) continue;
      if (reply.status === 404) return false;
      if (reply.status !== 200) return undefined;
      const expiresAt =
        typeof reply.body?.expirationDateTime === 'string' ? Date.parse(reply.body.expirationDateTime) : Number.NaN;
      if (expiresAt < sub.expiresAt) sub.expiresAt = expiresAt;
      return true;
    }
    return undefined;
  }

  /** Drops the subscriptions of owners who can no longer be used (Graph stops delivering them). True if any. */
  protected dropOwnerless(): boolean {
    const lost = this.state.subscriptions.filter((s) => !(s.ownerId in this.state.owners));
    for (const sub of lost) this.drop(sub, `${sub.id} dropped: its owner ${sub.ownerId} can no longer authorise it`);
    return lost.length > 0;
  }

  /**
   * Graph allows one presence subscription per user per app: when a create is refused, the owner's subscriptions
   * at Graph that the keeper does not keep are adopted or deleted (see `orphan`). Says whether one was adopted (it
   * is renewed now, with a fresh token) or the slot was freed.
   */
  protected async clearSlot(ownerId: string, token: string): Promise<'adopted' | 'cleared' | 'none'> {
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
      if (await this.orphan(ownerId, token, found, new Set(this.watched)))
        adopted = this.state.subscriptions.find((s) => s.id === found.id);
    }
    if (adopted) {
      await this.renew(adopted, true, false);
      return this.state.subscriptions.includes(adopted) ? 'adopted' : 'cleared';
    }
    return orphans.length ? 'cleared' : 'none';
  }
}
