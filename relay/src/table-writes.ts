// Conditional writes of one entity of the relay's table (table-store.ts says what is stored and how conflicts are
// merged): each write is conditional on the ETag this instance last read (Update with If-Match), or an Insert where it
// thinks the entity absent, so nothing another instance wrote meanwhile is overwritten unseen. A write refused for
// that (412 Precondition Failed; 409 on an insert; 404 when it went) re-reads the entity and asks the caller's merge
// again, a bounded number of times (https://learn.microsoft.com/rest/api/storageservices/update-entity2). One
// instance's writes of one entity go one after the other, so it never races itself. What fails is said by kind, key
// and status alone: the service's and the client's errors may quote a request, secrets and all.
import { RestError, TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import type { Properties } from './table-entities.js';

/** How often a conflicting write is re-read and tried again before it fails. */
const ATTEMPTS = 8;

/** A failure of the table store, saying what failed without quoting the request (which may hold a secret). */
export class TableStoreError extends Error {
  constructor(what: string, error: unknown) {
    const status =
      error instanceof RestError ? `${error.statusCode ?? 'no answer'}${error.code ? ` ${error.code}` : ''}` : 'failed';
    super(`The relay's table store could not ${what}: ${status}`);
    this.name = 'TableStoreError';
  }
}

export type Entity = TableEntityResult<Properties>;
/** What this instance last read or wrote of an entity: its ETag and content, or that it is absent. */
type Known = { etag: string; entity: Properties } | { absent: true };
/** What a merge decides: write this, delete, or leave what is stored. */
export type Decision = { put: Properties } | 'delete' | 'keep';

const statusOf = (error: unknown) => (error instanceof RestError ? error.statusCode : undefined);

export class ConditionalTable {
  private readonly known = new Map<string, Known>();
  /** The write under way per entity (see `modify`). */
  private readonly queues = new Map<string, Promise<unknown>>();
  private created: Promise<void> | undefined;

  constructor(
    readonly client: TableClient,
    private readonly tableName: string,
  ) {}

  private static key(partitionKey: string, rowKey: string): string {
    return `${partitionKey}\n${rowKey}`;
  }

  /** What this instance last read or wrote of an entity (undefined: not known, or absent). */
  last(partitionKey: string, rowKey: string): Properties | undefined {
    const known = this.known.get(ConditionalTable.key(partitionKey, rowKey));
    return known && 'etag' in known ? known.entity : undefined;
  }

  /** Records an entity as absent (deleted by this instance outside `modify`). */
  gone(partitionKey: string, rowKey: string): void {
    this.known.set(ConditionalTable.key(partitionKey, rowKey), { absent: true });
  }

  /** Creates the table the first time (409: it exists). */
  ready(): Promise<void> {
    return (this.created ??= this.client.createTable().catch((error) => {
      this.created = undefined;
      throw new TableStoreError(`create the table ${this.tableName}`, error);
    }));
  }

  /** Records an entity as read (a listing's, say): the next write of it is conditional on this ETag. */
  remember(entity: Entity): void {
    const { etag, timestamp: _t, ...properties } = entity as Entity & { timestamp?: string };
    this.known.set(ConditionalTable.key(entity.partitionKey!, entity.rowKey!), { etag, entity: properties });
  }

  private async read(partitionKey: string, rowKey: string): Promise<Known> {
    try {
      const entity = await this.client.getEntity<Properties>(partitionKey, rowKey);
      this.remember(entity);
      return this.known.get(ConditionalTable.key(partitionKey, rowKey))!;
    } catch (error) {
      if (statusOf(error) !== 404) throw new TableStoreError(`read ${partitionKey}/${rowKey}`, error);
      const absent: Known = { absent: true };
      this.known.set(ConditionalTable.key(partitionKey, rowKey), absent);
      return absent;
    }
  }

  /**
   * Writes one entity conditionally: `decide` is given what is stored (as last known; undefined: absent) and says
   * what to do. A write refused because the entity changed (412) or appeared (409) or went (404) re-reads it and asks
   * `decide` again, at most ATTEMPTS times. Returns whether something was written.
   */
  modify(
    partitionKey: string,
    rowKey: string,
    decide: (stored: Properties | undefined) => Decision,
    what: string,
  ): Promise<boolean> {
    // One instance's writes of one entity go one after the other: it never races itself, only other instances.
    const key = ConditionalTable.key(partitionKey, rowKey);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(
      () => this.attempt(partitionKey, rowKey, decide, what),
      () => this.attempt(partitionKey, rowKey, decide, what),
    );
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async attempt(
    partitionKey: string,
    rowKey: string,
    decide: (stored: Properties | undefined) => Decision,
    what: string,
  ): Promise<boolean> {
    await this.ready();
    const key = ConditionalTable.key(partitionKey, rowKey);
    let known = this.known.get(key);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      // After a conflict, a short random wait, so instances racing for one entity do not collide again in step.
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      // Not known: assumed absent for a write (an insert fails if it is not), read first for a delete.
      const decision = decide(known && 'etag' in known ? known.entity : undefined);
      if (decision === 'keep') return false;
      if (decision === 'delete' && !known) {
        known = await this.read(partitionKey, rowKey);
        continue;
      }
      try {
        if (decision === 'delete') {
          if ('absent' in known!) return false;
          await this.client.deleteEntity(partitionKey, rowKey, { etag: known!.etag });
          this.known.set(key, { absent: true });
        } else {
          const entity = { ...decision.put, partitionKey, rowKey } as TableEntity<Properties>;
          const reply =
            known && 'etag' in known
              ? await this.client.updateEntity(entity, 'Replace', { etag: known.etag })
              : await this.client.createEntity(entity);
          this.known.set(key, { etag: reply.etag!, entity: decision.put });
        }
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status !== 409 && status !== 412 && status !== 404) throw new TableStoreError(what, error);
        known = await this.read(partitionKey, rowKey);
      }
    }
    throw new Error(`The relay's table store could not ${what}: it kept changing (${ATTEMPTS} attempts)`);
  }
}
