// What could not be delivered: per user, the ids whose push (presence or resync) SignalR Service did not take within
// the retry budget. Nothing of it is replayed as it was (it may be old by then): once the service answers again,
// those users are told to re-read those ids from Graph, so their pages end with the truth.

export class Undelivered {
  private readonly byUser = new Map<string, Set<string>>();

  /** Users with something undelivered. */
  get users(): number {
    return this.byUser.size;
  }

  /** Ids undelivered, over all users. */
  get ids(): number {
    let n = 0;
    for (const ids of this.byUser.values()) n += ids.size;
    return n;
  }

  add(user: string, ids: Iterable<string>): void {
    let set = this.byUser.get(user);
    if (!set) this.byUser.set(user, (set = new Set()));
    for (const id of ids) set.add(id);
    if (!set.size) this.byUser.delete(user);
  }

  /** A newer push of these ids reached the user: nothing of theirs is missing any more. */
  delivered(user: string, ids: Iterable<string>): void {
    const set = this.byUser.get(user);
    if (!set) return;
    for (const id of ids) set.delete(id);
    if (!set.size) this.byUser.delete(user);
  }

  /** Everything undelivered, handed over (and forgotten here). */
  take(): Map<string, string[]> {
    const out = new Map([...this.byUser].map(([user, ids]) => [user, [...ids]]));
    this.byUser.clear();
    return out;
  }
}
