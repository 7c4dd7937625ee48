// How the relay's state is laid out in Azure Table Storage: one entity per thing that changes on its own, the keys
// that name it, and the compact form of id lists (see table-store.ts for the design and why).
//
// Limits relied on (https://learn.microsoft.com/azure/storage/tables/scalability-targets and "Understanding the Table
// service data model"): PartitionKey and RowKey at most 1 KiB and without `/`, `\`, `#`, `?` or control characters;
// a string property at most 64 KiB (32 K characters, stored as UTF-16); a binary property at most 64 KiB; an entity
// at most 1 MiB and 255 properties.
import type { KeptSubscription, StoredSession } from './store.js';

/** A key safe in PartitionKey and RowKey: letters, digits, `_.:-` kept; anything else as `~` and UTF-8 hex bytes. */
export function keyPart(value: string): string {
  let out = '';
  for (const char of value) {
    if (/[A-Za-z0-9_.:-]/.test(char)) out += char;
    else for (const byte of Buffer.from(char)) out += `~${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export const PARTITION = {
  /** `session-<user>`: a user's sessions (at most 20) together; RowKey `s<session>`. */
  sessionOf: (userId: string) => `session-${keyPart(userId)}`,
  /** Every session partition is in [SESSIONS_FROM, SESSIONS_TO): one range query reads them all. */
  sessionsFrom: 'session-',
  sessionsTo: 'session.',
  /** Every subscription (one per owner, 650 ids each): a small partition; RowKey the subscription id. */
  subscriptions: 'subscription',
  /** Every owner's refresh token; RowKey the owner's user id. */
  owners: 'owner',
  /** `seq-<person>`: one partition per person, so compare-and-swaps on different people never contend. */
  sequenceOf: (id: string) => `seq-${keyPart(id)}`,
  sequencesFrom: 'seq-',
  sequencesTo: 'seq.',
  /** Settings made once for every instance: the clientState. */
  config: 'config',
} as const;

export const ROW = {
  session: (session: string) => `s${keyPart(session)}`,
  sequence: 'last',
  readSequence: 'read',
  clientState: 'clientState',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Bytes per binary property: under 64 KiB, a whole number of 16-byte ids. */
const BINARY_CHUNK = 4_096 * 16;
/** Characters per string property: under the 32 K characters (64 KiB in UTF-16) a string may hold. */
const TEXT_CHUNK = 30_000;

export type Properties = Record<string, unknown>;

/**
 * A number stored as Edm.Double: a JSON number without a type is taken for an Int32 by the service, which
 * milliseconds since the epoch overflow (https://learn.microsoft.com/rest/api/storageservices/payload-format-for-table-service-operations).
 */
export const double = (value: number) => ({ value, type: 'Double' as const });

/** A number property as read back (a number) or as written (an Edm value); NaN when neither. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  const inner = (value as { value?: unknown } | null)?.value;
  return typeof inner === 'number' ? inner : typeof inner === 'string' ? Number(inner) : Number.NaN;
}

/**
 * A list of ids, compactly: when all are lower-case GUIDs (Graph's user ids, as the relay checks them), 16 bytes each
 * in binary properties `ids0`, `ids1`… (650 ids: 10.4 KB in one property; 10,000: 160 KB in three); otherwise joined
 * by commas in string properties `text0`, `text1`… of 30,000 characters. An empty list has no property.
 */
export function packIds(ids: string[]): Properties {
  const out: Properties = { idCount: ids.length };
  if (ids.every((id) => GUID.test(id))) {
    const bytes = Buffer.alloc(ids.length * 16);
    ids.forEach((id, i) => Buffer.from(id.replaceAll('-', ''), 'hex').copy(bytes, i * 16));
    for (let i = 0, n = 0; i < bytes.length; i += BINARY_CHUNK, n++)
      out[`ids${n}`] = new Uint8Array(bytes.subarray(i, i + BINARY_CHUNK));
    return out;
  }
  const text = ids.join(',');
  for (let i = 0, n = 0; i < text.length; i += TEXT_CHUNK, n++) out[`text${n}`] = text.slice(i, i + TEXT_CHUNK);
  return out;
}

export function unpackIds(entity: Properties): string[] {
  const count = numberOf(entity.idCount) || 0;
  if (!count) return [];
  if (entity.ids0 !== undefined) {
    const parts: Buffer[] = [];
    for (let n = 0; entity[`ids${n}`] !== undefined; n++) parts.push(Buffer.from(entity[`ids${n}`] as Uint8Array));
    const bytes = Buffer.concat(parts);
    const ids: string[] = [];
    for (let i = 0; i + 16 <= bytes.length && ids.length < count; i += 16) {
      const hex = bytes.toString('hex', i, i + 16);
      ids.push(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
    }
    return ids;
  }
  let text = '';
  for (let n = 0; typeof entity[`text${n}`] === 'string'; n++) text += entity[`text${n}`] as string;
  return text.split(',').slice(0, count);
}

export function sessionEntity(userId: string, session: string, value: StoredSession): Properties {
  return {
    partitionKey: PARTITION.sessionOf(userId),
    rowKey: ROW.session(session),
    userId,
    session,
    expiresAt: double(value.expiresAt),
    ...(value.updatedAt !== undefined ? { updatedAt: double(value.updatedAt) } : {}),
    ...packIds(value.ids),
  };
}

export function sessionOf(entity: Properties): { userId: string; session: string; value: StoredSession } | undefined {
  if (typeof entity.userId !== 'string' || typeof entity.session !== 'string') return undefined;
  const value: StoredSession = {
    ids: unpackIds(entity),
    expiresAt: numberOf(entity.expiresAt) || 0,
  };
  const updatedAt = numberOf(entity.updatedAt);
  if (!Number.isNaN(updatedAt)) value.updatedAt = updatedAt;
  return { userId: entity.userId, session: entity.session, value };
}

export function subscriptionEntity(sub: KeptSubscription): Properties {
  return {
    partitionKey: PARTITION.subscriptions,
    rowKey: keyPart(sub.id),
    id: sub.id,
    ownerId: sub.ownerId,
    expiresAt: double(sub.expiresAt),
    ...(sub.certificateId !== undefined ? { certificateId: sub.certificateId } : {}),
    ...packIds(sub.ids),
  };
}

export function subscriptionOf(entity: Properties): KeptSubscription | undefined {
  if (typeof entity.id !== 'string' || typeof entity.ownerId !== 'string') return undefined;
  return {
    id: entity.id,
    ownerId: entity.ownerId,
    ids: unpackIds(entity),
    expiresAt: numberOf(entity.expiresAt) || 0,
    ...(typeof entity.certificateId === 'string' ? { certificateId: entity.certificateId } : {}),
  };
}
