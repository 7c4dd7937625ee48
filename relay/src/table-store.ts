// The relay's state on Azure Table Storage, shared by every instance of a relay scaled out (Azure Functions' own
// storage account serves; Azurite locally). One table (`<prefix>relay`, default `presencerelay`), one entity per
// thing that changes on its own (layout in table-entities.ts):
//
//   PartitionKey            RowKey          what
//   session-<user>          s<session>      one watch session: ids (compact), lease end, when its request was made
//   subscription            <id>            one Graph subscription the keeper keeps: owner, ids (compact), expiry
//   owner                   <user id>       one owner's refresh token
//   seq-<person>            last            the newest sequenceNumber sent for one person (from a notification)
//   seq-<person>            read            the newest one read back from Graph for that person
//   config                  clientState     the secret Graph echoes (set once, if absent)
//
// Why: a user's sessions share a partition (at most 20), so a watch request touches one entity of one small
// partition; each person's sequence number has a partition of its own, so the compare-and-swap of one notification
// never contends with another person's (a partition serves about 2,000 entities a second); subscriptions and owners
// are few (one per 650 watched people) and read together at start. Ids are packed 16 bytes per GUID in binary
// properties: a shard's 650 ids take 10.4 KB, a session's 10,000 at most 160 KB (an entity may hold 1 MiB, a
// property 64 KiB: https://learn.microsoft.com/azure/storage/tables/scalability-targets).
//
// Concurrency: every write is conditional on the ETag last read (Update with If-Match, or Insert where the entity is
// thought absent), so nothing another instance wrote meanwhile is overwritten unseen. A write refused for that (412,
// or 409 on an insert) re-reads the entity, merges (each kind's rule below) and tries again, a bounded number of
// times (table-writes.ts):
//   - a session: the write of the later request (`updatedAt`) wins; an older one is dropped, never written over it;
//   - a subscription: the later expiry wins (a renewal is never undone by a stale copy); a deletion deletes;
//   - an owner's token: the new token is written; a deletion (the token stopped working) is skipped when the stored
//     token changed meanwhile (the owner signed in again);
//   - the clientState: inserted if absent; when another instance was first (409), its value is the one used;
//   - a sequence number: advanced only if newer (compare-and-swap): true to the one caller that advanced it.
// `updateSession` exposes the same read-merge-retry to any change of a session (the contract tests use it).
//
// Sessions are read back by other instances with `sessionsSince`: the session partitions' entities whose
// `Timestamp` (set by the service when written) is at or after the cursor; the cursor is the newest Timestamp seen
// minus OVERLAP_MS, so a write whose Timestamp was given just before one already seen but committed after the read is
// still read next time. Ended sessions are kept as entities with no ids (so other instances learn of the end) and
// deleted once their lease is 10 minutes past.
//
// For a keeper holding a lease on a shard (one keeper per shard): `load` gives it the subscriptions and owners,
// `writeSubscription` / `writeOwner` store what it changed, one entity each. Two keepers overlapping for a moment
// (a lease lost and taken over) cannot undo each other's renewals (the later expiry wins).
//
// Secrets: refresh tokens and the clientState are entity properties only. The service's and the client's errors are
// never passed on as they are (they may quote a request): what fails is said by kind, key and status alone.
//
// Cost in Storage transactions (each REST call is one): a watch request writes its session (1; 2 when another
// instance wrote it since this one last read it); an ended lease writes one; a notification with a sequence number
// costs one compare-and-swap per person (1 when this instance holds the person's newest ETag, else 2 or 3); every
// instance reads the sessions changed (1 query per second, plus at most one per notification collection, coalesced).
import { TableClient } from '@azure/data-tables';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import {
  keyPart,
  PARTITION,
  ROW,
  sessionEntity,
  sessionOf,
  subscriptionEntity,
  subscriptionOf,
  type Properties,
} from './table-entities.js';
import {
  laterSession,
  type KeptSubscription,
  type RelayState,
  type RelayStore,
  type SequenceSource,
  type SessionCursor,
  type SessionRecord,
  type StoredSession,
} from './store.js';
import { ConditionalTable, TableStoreError, type Entity } from './table-writes.js';

export { TableStoreError } from './table-writes.js';

/** How far before the newest Timestamp seen the next read of sessions starts. */
export const OVERLAP_MS = 2_000;
/** How long after its lease an ended session's entity is kept, so every instance reads the end. */
const ENDED_KEPT_MS = 10 * 60_000;

export const DEFAULT_TABLE_PREFIX = 'presence';
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

const sameSession = (a: StoredSession | undefined, b: StoredSession) =>
  !!a &&
  a.expiresAt === b.expiresAt &&
  a.updatedAt === b.updatedAt &&
  a.ids.length === b.ids.length &&
  a.ids.every((id, i) => id === b.ids[i]);

export interface TableStoreOptions {
  /** The storage account: `AZURE_STORAGE_CONNECTION_STRING` (on Functions, `AzureWebJobsStorage`). */
  connectionString: string;
  /** Letters and digits the table's name starts with (`<prefix>relay`); default `presence`. */
  prefix?: string;
  /** Milliseconds since the epoch (the relay's clock), to tell ended sessions old enough to delete. */
  now?: () => number;
}

export class TableStore implements RelayStore {
  readonly shared = true;
  /** Writes made (inserts, updates, deletes) and the bytes of their bodies. */
  readonly written = { writes: 0, bytes: 0 };
  /** Every request made to the table service (each is one Storage transaction). */
  readonly transactions = { count: 0 };
  readonly tableName: string;
  private readonly table: ConditionalTable;
  private readonly now: () => number;

  constructor(options: TableStoreOptions) {
    const prefix = options.prefix ?? DEFAULT_TABLE_PREFIX;
    this.tableName = `${prefix}relay`;
    if (!TABLE_NAME.test(this.tableName))
      throw new Error(
        `RELAY_TABLE_PREFIX=${prefix} does not make a table name (letters and digits, starting with a letter, 3 to 63 with "relay")`,
      );
    this.now = options.now ?? Date.now;
    const counting: PipelinePolicy = {
      name: 'relayTransactions',
      sendRequest: (request, next) => {
        this.transactions.count++;
        if (request.method !== 'GET') {
          this.written.writes++;
          const body = request.body;
          this.written.bytes += typeof body === 'string' ? Buffer.byteLength(body) : 0;
        }
        return next(request);
      },
    };
    try {
      const client = TableClient.fromConnectionString(options.connectionString, this.tableName, {
        // Azurite and other local endpoints are plain http; Azure's are https.
        allowInsecureConnection:
          /(^|;)\s*TableEndpoint\s*=\s*http:/i.test(options.connectionString) ||
          /(^|;)\s*DefaultEndpointsProtocol\s*=\s*http\s*(;|$)/i.test(options.connectionString),
        additionalPolicies: [{ policy: counting, position: 'perCall' }],
      });
      this.table = new ConditionalTable(client, this.tableName);
    } catch {
      // Neither the client's message nor its error is passed on: they may quote the string, account key and all.
      throw new Error(
        "The storage connection string is not one the table client understands: set AZURE_STORAGE_CONNECTION_STRING (on Functions, AzureWebJobsStorage) to the account's connection string",
      );
    }
  }

  async load(): Promise<RelayState> {
    await this.table.ready();
    const state: RelayState = { owners: {}, subscriptions: [], sessions: {} };
    const now = this.now();
    try {
      for await (const entity of this.table.client.listEntities<Properties>({
        queryOptions: {
          filter: `PartitionKey eq '${PARTITION.owners}' or PartitionKey eq '${PARTITION.subscriptions}'`,
        },
      })) {
        this.table.remember(entity);
        if (
          entity.partitionKey === PARTITION.owners &&
          typeof entity.ownerId === 'string' &&
          typeof entity.refreshToken === 'string'
        )
          state.owners[entity.ownerId] = { refreshToken: entity.refreshToken };
        const sub = entity.partitionKey === PARTITION.subscriptions ? subscriptionOf(entity) : undefined;
        if (sub) state.subscriptions.push(sub);
      }
      for (const { userId, session, value } of (await this.sessionsSince(undefined)).sessions) {
        if (!value.ids.length || value.expiresAt <= now) continue;
        (state.sessions![userId] ??= {})[session] = value;
      }
    } catch (error) {
      throw error instanceof TableStoreError ? error : new TableStoreError('load the state', error);
    }
    return state;
  }

  writeSession(userId: string, session: string, value: StoredSession): Promise<boolean> {
    return this.updateSession(userId, session, (stored) =>
      // The same write stored already (another instance ended the same lease): nothing to write.
      laterSession(stored, value) && !sameSession(stored, value) ? value : stored,
    );
  }

  /**
   * Changes one session by a function of what is stored (undefined: none), re-read and applied again when another
   * instance wrote it meanwhile: no change made elsewhere is lost. Returns whether a write was made. A session is
   * never deleted here (an ended one is stored with no ids, so other instances read the end).
   */
  updateSession(
    userId: string,
    session: string,
    change: (stored: StoredSession | undefined) => StoredSession | undefined,
  ): Promise<boolean> {
    return this.table.modify(
      PARTITION.sessionOf(userId),
      ROW.session(session),
      (entity) => {
        const stored = entity ? sessionOf(entity)?.value : undefined;
        const next = change(stored);
        if (!next || next === stored) return 'keep';
        if (!stored && !next.ids.length) return 'keep';
        return { put: sessionEntity(userId, session, next) };
      },
      `store a watch session of ${userId}`,
    );
  }

  async writeSubscription(id: string, value: KeptSubscription | undefined): Promise<void> {
    await this.table.modify(
      PARTITION.subscriptions,
      keyPart(id),
      (entity) => {
        if (!value) return entity ? 'delete' : 'keep';
        const stored = entity ? subscriptionOf(entity) : undefined;
        // A later renewal stored by another keeper is not undone by this copy.
        if (stored && stored.expiresAt > value.expiresAt) return 'keep';
        return { put: subscriptionEntity(value) };
      },
      `store subscription ${id}`,
    );
  }

  async writeOwner(ownerId: string, refreshToken: string | undefined): Promise<void> {
    const seen = this.table.last(PARTITION.owners, keyPart(ownerId))?.refreshToken;
    await this.table.modify(
      PARTITION.owners,
      keyPart(ownerId),
      (entity) => {
        if (refreshToken !== undefined) return { put: { ownerId, refreshToken } };
        if (!entity) return 'keep';
        // Another instance stored a new token (the owner signed in again) since this one read it: kept.
        return seen === undefined || entity.refreshToken === seen ? 'delete' : 'keep';
      },
      `store the refresh token of owner ${ownerId}`,
    );
  }

  async clientState(proposed: string): Promise<string> {
    let chosen = proposed;
    await this.table.modify(
      PARTITION.config,
      ROW.clientState,
      (entity) => {
        if (typeof entity?.value === 'string') {
          chosen = entity.value;
          return 'keep';
        }
        chosen = proposed;
        return { put: { value: proposed } };
      },
      'store the clientState',
    );
    return chosen;
  }

  async loadSequences(): Promise<Record<string, string>> {
    await this.table.ready();
    const out: Record<string, string> = {};
    try {
      for await (const entity of this.table.client.listEntities<Properties>({
        queryOptions: {
          filter: `PartitionKey ge '${PARTITION.sequencesFrom}' and PartitionKey lt '${PARTITION.sequencesTo}' and RowKey eq '${ROW.sequence}'`,
        },
      })) {
        this.table.remember(entity);
        if (typeof entity.person === 'string' && typeof entity.seq === 'string') out[entity.person] = entity.seq;
      }
    } catch (error) {
      throw new TableStoreError('read the sequence numbers', error);
    }
    return out;
  }

  async saveSequences(latest: Record<string, string>): Promise<void> {
    await Promise.all(Object.entries(latest).map(([id, seq]) => this.advanceSequence(id, seq)));
  }

  advanceSequence(id: string, seq: string, source: SequenceSource = 'notification'): Promise<boolean> {
    return this.table.modify(
      PARTITION.sequenceOf(id),
      source === 'read' ? ROW.readSequence : ROW.sequence,
      (entity) => (typeof entity?.seq === 'string' && seq <= entity.seq ? 'keep' : { put: { person: id, seq } }),
      `advance the sequence number of ${id}`,
    );
  }

  async sessionsSince(
    cursor: SessionCursor | undefined,
  ): Promise<{ sessions: SessionRecord[]; cursor: SessionCursor }> {
    await this.table.ready();
    const range = `PartitionKey ge '${PARTITION.sessionsFrom}' and PartitionKey lt '${PARTITION.sessionsTo}'`;
    // An empty cursor (nothing read yet): from the start.
    const filter = cursor ? `${range} and Timestamp ge datetime'${cursor}'` : range;
    const sessions: SessionRecord[] = [];
    let newest = cursor ? Date.parse(cursor) + OVERLAP_MS : Number.NEGATIVE_INFINITY;
    const old: Entity[] = [];
    const now = this.now();
    try {
      for await (const entity of this.table.client.listEntities<Properties>({ queryOptions: { filter } })) {
        this.table.remember(entity);
        const stamp = Date.parse((entity as { timestamp?: string }).timestamp ?? '');
        if (stamp > newest) newest = stamp;
        const record = sessionOf(entity);
        if (!record) continue;
        sessions.push(record);
        if (record.value.expiresAt < now - ENDED_KEPT_MS) old.push(entity);
      }
    } catch (error) {
      throw new TableStoreError('read the watch sessions', error);
    }
    // Ended long enough ago that every instance has read the end (or ended it on its own): deleted, unless
    // written again meanwhile (If-Match).
    for (const entity of old) {
      await this.table.client
        .deleteEntity(entity.partitionKey!, entity.rowKey!, { etag: entity.etag })
        .then(() => this.table.gone(entity.partitionKey!, entity.rowKey!))
        .catch(() => undefined);
    }
    const next = Number.isFinite(newest) ? new Date(newest - OVERLAP_MS).toISOString() : (cursor ?? '');
    return { sessions, cursor: next };
  }
}
