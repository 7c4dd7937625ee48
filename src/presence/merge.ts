/**
 * Merging a partial presence into what is known. Graph's change notifications carry only availability and activity
 * (https://learn.microsoft.com/graph/changenotifications-for-presence): applied as a whole presence, each would blank
 * the status message and the out-of-office state. A field that is absent from an update keeps its known value; a
 * field sent as `null` clears it. The sequence number is never carried over: it belongs to the update alone.
 */

/** The fields a presence is made of, as Graph sends them and as `normalizePresence` returns them. */
const KEPT = [
  'id',
  'availability',
  'activity',
  'statusMessage',
  'outOfOfficeSettings',
  'workLocation',
  'rawAvailability',
  'rawActivity',
  'isOutOfOffice',
  'outOfOfficeMessage',
] as const;

/** Which normalised fields an update's field replaces (a Map: a key such as `constructor` finds nothing). */
const REPLACES = new Map<string, readonly string[]>([
  ['availability', ['rawAvailability']],
  ['activity', ['rawActivity']],
  ['outOfOfficeSettings', ['isOutOfOffice', 'outOfOfficeMessage']],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `update` laid over `known`: what `update` sends wins, what it leaves out is kept. Only presence fields are kept
 * (nothing else an update carries is held on to). Anything that is not an object is returned as it is.
 */
export function mergePresence(known: unknown, update: unknown): unknown {
  if (!isRecord(update) || !isRecord(known)) return update;
  const merged: Record<string, unknown> = {};
  for (const key of KEPT) if (known[key] !== undefined) merged[key] = known[key];
  for (const key of Object.keys(update)) {
    const value = update[key];
    // JSON can send any key: `__proto__` would set the merged object's prototype.
    if (value === undefined || key === '__proto__') continue;
    for (const replaced of REPLACES.get(key) ?? []) delete merged[replaced];
    merged[key] = value;
  }
  if (update.sequenceNumber === undefined) delete merged.sequenceNumber;
  return merged;
}

/** The presence fields of a value, to keep as what is known (undefined when it is not an object). */
export function presenceFields(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const key of KEPT) if (value[key] !== undefined) kept[key] = value[key];
  return kept;
}
