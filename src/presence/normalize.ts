import { sequenceNumberOf } from './sequence.js';
import type { Presence } from './types.js';
import { ACTIVITIES, AVAILABILITIES, type Activity, type Availability } from './values.js';

const availabilityByLowerCase = new Map<string, Availability>(AVAILABILITIES.map((v) => [v.toLowerCase(), v]));
const activityByLowerCase = new Map<string, Activity>(ACTIVITIES.map((v) => [v.toLowerCase(), v]));

/** The longest raw value kept for display; anything longer is cut, so hostile input cannot flood a label. */
const MAX_RAW_LENGTH = 64;
/** The longest status or out-of-office message kept. Teams itself allows 280 characters. */
const MAX_MESSAGE_LENGTH = 1_000;

/** Cuts `text` to at most `max` UTF-16 units, ending with an ellipsis, without splitting a surrogate pair. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Turns a Graph status message (plain text or HTML) into display text. Never produces markup. */
export function messageToText(content: string, contentType?: string | null): string {
  let text = content;
  if (contentType?.toLowerCase() === 'html' || /<[a-z/!]/i.test(text)) {
    // Each pattern takes time in proportion to the text, whatever it holds: a script or style never closed runs to
    // the end (as a browser reads it), and a tag ends at the next `<` or `>`, so a megabyte of `<b` is quick.
    text = text
      .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
      .replace(/<br\s*\/?>|<\/p\s*>|<\/div\s*>/gi, ' ')
      .replace(/<[^<>]*>/g, '');
  }
  text = text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const name = entity.toLowerCase();
    // Own names only: `&constructor;` is text, not the function every object inherits.
    return Object.hasOwn(namedEntities, name) ? namedEntities[name]! : whole;
  });
  text = text.replace(/\s+/g, ' ').trim();
  return bounded(text, MAX_MESSAGE_LENGTH);
}

/** A value as text; JSON when it can be, since BigInts and circular objects make `JSON.stringify` throw. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

function rawText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = asText(value).replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return bounded(text, MAX_RAW_LENGTH);
}

/** A documented value (in any case, trimmed), else `PresenceUnknown` with what was sent, as text, in `raw`. */
function readValue<T extends Availability | Activity>(
  value: unknown,
  known: Map<string, T>,
): { value: T | 'PresenceUnknown'; raw?: string } {
  const found = typeof value === 'string' ? known.get(value.trim().toLowerCase()) : undefined;
  if (found) return { value: found };
  const raw = rawText(value);
  return raw === undefined ? { value: 'PresenceUnknown' } : { value: 'PresenceUnknown', raw };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * Normalises whatever arrived as a presence (a Graph object, a partial object, garbage) into a `Presence`.
 * Never throws: an object that throws as it is read (a getter, a revoked Proxy) is an unknown presence. Missing or
 * unrecognised values become `PresenceUnknown`, never `Offline`; an unrecognised value is kept, trimmed and
 * bounded, in `rawAvailability` / `rawActivity`.
 */
export function normalizePresence(input: unknown): Presence {
  return readPresenceObject(input).presence;
}

/**
 * A presence given as an object (an element's `presence` property), normalised; with an error when reading it threw
 * (a getter, a Proxy), which gives the unknown presence.
 */
export function readPresenceObject(input: unknown): ParsedPresence {
  try {
    return { presence: fromRecord(input) };
  } catch {
    // What it threw is not trusted either: even its message may throw.
    return { presence: fromRecord(undefined), error: 'presence throws when read' };
  }
}

function fromRecord(input: unknown): Presence {
  const source: Record<string, unknown> = isRecord(input) ? input : {};
  const availability = readValue(source.availability, availabilityByLowerCase);
  const activity = readValue(source.activity, activityByLowerCase);

  const presence: Presence = {
    availability: availability.value,
    activity: activity.value,
    isOutOfOffice: false,
  };
  const id = optionalString(source.id);
  if (id) presence.id = id;
  if (availability.raw !== undefined) presence.rawAvailability = availability.raw;
  if (activity.raw !== undefined) presence.rawActivity = activity.raw;

  // An already normalised Presence may be passed again: keep its raw values and flattened fields.
  if (availability.raw === undefined && presence.availability === 'PresenceUnknown') {
    const raw = rawText(source.rawAvailability);
    if (raw !== undefined) presence.rawAvailability = raw;
  }
  if (activity.raw === undefined && presence.activity === 'PresenceUnknown') {
    const raw = rawText(source.rawActivity);
    if (raw !== undefined) presence.rawActivity = raw;
  }

  const oof = isRecord(source.outOfOfficeSettings) ? source.outOfOfficeSettings : undefined;
  presence.isOutOfOffice =
    activity.value === 'OutOfOffice' ||
    activity.value === 'OffWork' ||
    oof?.isOutOfOffice === true ||
    source.isOutOfOffice === true;
  const oofMessage = typeof oof?.message === 'string' ? oof.message : source.outOfOfficeMessage;
  if (typeof oofMessage === 'string') {
    const text = messageToText(oofMessage);
    if (text) presence.outOfOfficeMessage = text;
  }

  if (typeof source.statusMessage === 'string') {
    const text = messageToText(source.statusMessage, 'text');
    if (text) presence.statusMessage = text;
  } else {
    const status = isRecord(source.statusMessage) ? source.statusMessage : undefined;
    const message = isRecord(status?.message) ? status.message : undefined;
    if (typeof message?.content === 'string') {
      const contentType = typeof message.contentType === 'string' ? message.contentType : null;
      const text = messageToText(message.content, contentType);
      if (text) presence.statusMessage = text;
    }
  }

  const sequenceNumber = sequenceNumberOf(source.sequenceNumber);
  if (sequenceNumber) presence.sequenceNumber = sequenceNumber;

  // Graph sends `{workLocationType}`; an already normalised Presence has the flattened string.
  const workLocation = isRecord(source.workLocation)
    ? optionalString(source.workLocation.workLocationType)
    : optionalString(source.workLocation);
  if (workLocation) presence.workLocation = workLocation;

  return presence;
}

/** The result of reading a presence written as JSON (for example in an HTML attribute). */
export interface ParsedPresence {
  presence: Presence;
  /** Why the text could not be read as a presence object; absent when it could. */
  error?: string;
}

/**
 * Reads a presence from JSON text. Invalid JSON, or JSON that is not an object, gives an unknown presence and an
 * error message that says what was wrong; a bare availability such as `Busy` is accepted as a shorthand. Anything
 * but text is read as a presence object (`readPresenceObject`).
 */
export function parsePresence(text: unknown): ParsedPresence {
  if (typeof text !== 'string') return readPresenceObject(text);
  const trimmed = text.trim();
  if (!trimmed) return { presence: normalizePresence(undefined) };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    if (/^[A-Za-z]+$/.test(trimmed)) return { presence: normalizePresence({ availability: trimmed }) };
    return {
      presence: normalizePresence(undefined),
      error: `presence is not valid JSON (${(error as Error).message}): ${rawText(trimmed)}`,
    };
  }
  if (!isRecord(value)) {
    return {
      presence: normalizePresence(undefined),
      error: `presence must be a JSON object such as {"availability":"Busy","activity":"InACall"}, got ${rawText(trimmed)}`,
    };
  }
  return { presence: normalizePresence(value) };
}

/**
 * Reads the presence an element was given (its `presence` property or attribute): none for null or undefined; JSON
 * text or an object as `parsePresence` reads them; anything else an unknown presence, with an error naming its type.
 */
export function readGivenPresence(value: unknown): ParsedPresence | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'object') return parsePresence(value);
  return { presence: normalizePresence(undefined), error: `presence is a ${typeof value}, not an object or JSON text` };
}
