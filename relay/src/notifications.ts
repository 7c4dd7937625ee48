// Reads Graph change notifications as they arrive at the relay: checks clientState in constant time, verifies the
// validation tokens, verifies each payload's signature before decrypting it, and drops stale and duplicate updates
// by sequenceNumber. Whatever fails is refused with a reason, never half-applied. A notification without a
// sequence number (as Graph sends them: availability and activity only, or just the id) cannot be ordered: its id is
// handed back to be read from Graph, never pushed as it is.
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import type { EncryptedContent } from '../../common/notification-crypto.js';
import { decryptInPlace, type DecryptJob, type DecryptOutcome } from './decrypt-pool.js';
import type { JwtClaims } from '../../common/jwt.js';

/** A presence as the relay pushes it; a field Graph did not send is absent (the page keeps what it knows). */
export interface RelayPresence {
  id: string;
  availability: string;
  activity: string;
  statusMessage?: unknown;
  outOfOfficeSettings?: unknown;
  workLocation?: unknown;
  sequenceNumber?: string;
}

export interface NotificationChecks {
  clientState: string;
  /** The private key for an encryption certificate id (keys roll: more than one may be valid). */
  privateKeyFor(certificateId: string): KeyObject | undefined;
  /** Verifies one validation token (signature, audience = the relay's app id, issuer, lifetime). */
  verifyValidationToken(token: string): Promise<JwtClaims>;
  /**
   * Whether rich notifications must come with validation tokens: yes from the webhook (default); not from Event Hubs,
   * where Graph sends none (https://learn.microsoft.com/graph/change-notifications-with-resource-data#validation-tokens-in-the-change-notification).
   */
  validationTokensRequired?: boolean;
  /** Decrypts payloads, in order (a worker pool); default: in place. */
  decrypt?(jobs: DecryptJob[]): Promise<DecryptOutcome[]> | DecryptOutcome[];
}

export interface ReadResult {
  /** Presences with a sequence number, newer than any sent before: ready to push. */
  presences: RelayPresence[];
  refused: Array<{ subscriptionId?: string; reason: string }>;
  /**
   * Ids whose notification cannot be pushed as it is: no resource data (basic notifications), or resource data
   * without a sequence number (what Graph sends). The relay reads them from Graph.
   */
  toRead: string[];
  /** Verified and decrypted, but not newer than what was already sent (a replay, or out of order). */
  stale: number;
}

const GRAPH_CHANGE_TRACKING_APP = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/**
 * A posted body read as a collection as Graph posts them (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks:
 * a JSON object whose `value` is the list of notifications, for changes and lifecycle events alike): the parsed
 * payload, or why it is not one. Such a body is refused (400) before anything is acknowledged.
 */
export function readCollection(text: string): { payload: unknown } | { refused: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { refused: 'the body is not JSON' };
  }
  const value = payload && typeof payload === 'object' ? Object.getOwnPropertyDescriptor(payload, 'value') : undefined;
  return Array.isArray(value?.value)
    ? { payload }
    : { refused: 'the body is not a change notification collection ({"value": [...]})' };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compared in constant time; lengths differing is not secret.
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What a sequence number looks like: Graph documents it only as a "lexicographically sortable String stamp"
 * (https://learn.microsoft.com/graph/api/resources/presence); Graph's are digits and hexadecimal letters, so 1 to 64
 * of those, the same rule the browser library orders by (src/presence/sequence.ts). Anything else in a notification
 * is refused rather than compared.
 */
export const SEQUENCE_NUMBER = /^[0-9A-Fa-f]{1,64}$/;

/** The newest sequence number seen per id: anything not newer is a replay or arrived out of order. */
export class SequenceFilter {
  private readonly last = new Map<string, string>();
  /** Accepted since the last `takeChanges`, to be stored in a batch (a restarted relay still drops replays). */
  private changed = new Map<string, string>();
  /** The newest sequence number read from Graph per id (this run). */
  private readonly lastRead = new Map<string, string>();

  /** What a previous run stored: it only raises what this run has seen. */
  seed(stored: Record<string, string>): void {
    for (const [id, seq] of Object.entries(stored)) {
      const previous = this.last.get(id);
      if (typeof seq === 'string' && SEQUENCE_NUMBER.test(seq) && (previous === undefined || seq > previous))
        this.last.set(id, seq);
    }
  }

  accept(presence: RelayPresence): boolean {
    const seq = presence.sequenceNumber;
    if (!seq) return true;
    const previous = this.last.get(presence.id);
    if (previous !== undefined && seq <= previous) return false;
    this.last.set(presence.id, seq);
    this.changed.set(presence.id, seq);
    return true;
  }

  /**
   * A presence read back from Graph: its number is the truth when it was read, so it replaces whatever a notification
   * set before, even a higher number (one forged, or from a clock gone wrong, cannot freeze a person). Only a number
   * not newer than the last one read is stale: reads are made one batch at a time.
   */
  acceptRead(presence: RelayPresence): boolean {
    const seq = presence.sequenceNumber;
    if (!seq || !SEQUENCE_NUMBER.test(seq)) return true;
    const lastRead = this.lastRead.get(presence.id);
    if (lastRead !== undefined && seq <= lastRead) return false;
    this.lastRead.set(presence.id, seq);
    this.last.set(presence.id, seq);
    this.changed.set(presence.id, seq);
    return true;
  }

  get pending(): number {
    return this.changed.size;
  }

  /** A number stored already (a shared store's compare-and-swap): not stored again with the next batch. */
  stored(id: string): void {
    this.changed.delete(id);
  }

  /** Changes a store did not take: kept for the next batch, unless newer ones came since. */
  unsaved(changes: Record<string, string>): void {
    for (const [id, seq] of Object.entries(changes)) if (!this.changed.has(id)) this.changed.set(id, seq);
  }

  /** The sequence numbers accepted since the last call. */
  takeChanges(): Record<string, string> {
    const changes = Object.fromEntries(this.changed);
    this.changed = new Map();
    return changes;
  }
}

export async function readNotifications(
  body: unknown,
  checks: NotificationChecks,
  sequence: SequenceFilter,
): Promise<ReadResult> {
  const result: ReadResult = { presences: [], refused: [], toRead: [], stale: 0 };
  const payload = body as { value?: unknown; validationTokens?: unknown };
  if (!payload || !Array.isArray(payload.value)) {
    result.refused.push({ reason: 'not a change notification collection' });
    return result;
  }
  const notifications = payload.value as Array<Record<string, any>>;
  const rich = notifications.some((n) => n?.encryptedContent);
  if (rich) {
    const tokens = Array.isArray(payload.validationTokens) ? (payload.validationTokens as unknown[]) : [];
    if (tokens.length === 0 && checks.validationTokensRequired !== false) {
      result.refused.push({ reason: 'rich notifications without validationTokens' });
      return result;
    }
    // Every token is checked as Microsoft says (https://learn.microsoft.com/graph/change-notifications-with-resource-data#how-to-validate):
    // lifetime, signature and issuer, audience (by `verifyValidationToken`), and the app that asked for it: Graph
    // change tracking (`appid` in the v1.0 tokens Graph sends, `azp` in a v2.0 one).
    try {
      for (const token of tokens) {
        if (typeof token !== 'string') throw new Error('a validation token is not a string');
        const claims = await checks.verifyValidationToken(token);
        if (claims.azp !== GRAPH_CHANGE_TRACKING_APP && claims.appid !== GRAPH_CHANGE_TRACKING_APP)
          throw new Error('validation token not issued to Microsoft Graph change tracking');
      }
    } catch (error) {
      result.refused.push({ reason: `validation token refused: ${(error as Error).message}` });
      return result;
    }
  }
  // Checked first, decrypted together (on worker threads when there are some), then taken in their order.
  const accepted: Array<{ subscriptionId?: string; job: DecryptJob }> = [];
  for (const n of notifications) {
    const subscriptionId = typeof n?.subscriptionId === 'string' ? n.subscriptionId : undefined;
    const about = subscriptionId ? { subscriptionId } : {};
    if (typeof n?.clientState !== 'string' || !sameSecret(n.clientState, checks.clientState)) {
      result.refused.push({ ...about, reason: 'clientState does not match' });
      continue;
    }
    const content = n.encryptedContent as EncryptedContent | undefined;
    if (!content) {
      const id = n.resourceData?.id;
      if (typeof id === 'string') result.toRead.push(id);
      continue;
    }
    if (
      typeof content !== 'object' ||
      ['data', 'dataKey', 'dataSignature'].some(
        (field) => typeof (content as unknown as Record<string, unknown>)[field] !== 'string',
      )
    ) {
      result.refused.push({ ...about, reason: 'encryptedContent lacks data, dataKey or dataSignature' });
      continue;
    }
    const keyId = String(content.encryptionCertificateId);
    const key = checks.privateKeyFor(keyId);
    if (!key) {
      result.refused.push({ ...about, reason: `unknown encryption certificate ${keyId}` });
      continue;
    }
    accepted.push({ ...about, job: { keyId, key, content } });
  }
  const outcomes = await (checks.decrypt ?? decryptInPlace)(accepted.map((a) => a.job));
  accepted.forEach(({ subscriptionId }, i) => {
    const about = subscriptionId ? { subscriptionId } : {};
    const outcome = outcomes[i];
    if (!outcome || outcome.error !== undefined) {
      result.refused.push({ ...about, reason: outcome?.error ?? 'not decrypted' });
      return;
    }
    const presence = outcome.value as RelayPresence | null;
    if (typeof presence?.id !== 'string') {
      result.refused.push({ ...about, reason: 'decrypted resource has no id' });
      return;
    }
    if (typeof presence.sequenceNumber !== 'string' || !presence.sequenceNumber) {
      result.toRead.push(presence.id);
      return;
    }
    if (!SEQUENCE_NUMBER.test(presence.sequenceNumber)) {
      result.refused.push({ ...about, reason: 'sequenceNumber is not 1 to 64 letters and digits' });
      return;
    }
    const out = pushable(presence as unknown as Record<string, unknown>);
    if (!out) result.refused.push({ ...about, reason: 'decrypted resource has no availability or activity' });
    else if (!sequence.accept(out)) result.stale++;
    else result.presences.push(out);
  });
  result.toRead = [...new Set(result.toRead)];
  return result;
}

/** What is pushed of a presence: the fields Graph sent, nothing made up; undefined when it lacks the essentials. */
export function pushable(presence: Record<string, unknown>): RelayPresence | undefined {
  const { id, availability, activity } = presence;
  if (typeof id !== 'string' || typeof availability !== 'string' || typeof activity !== 'string') return undefined;
  const out: RelayPresence = { id, availability, activity };
  for (const key of ['statusMessage', 'outOfOfficeSettings', 'workLocation'] as const)
    if (presence[key] !== undefined) out[key] = presence[key];
  if (typeof presence.sequenceNumber === 'string' && presence.sequenceNumber)
    out.sequenceNumber = presence.sequenceNumber;
  return out;
}
