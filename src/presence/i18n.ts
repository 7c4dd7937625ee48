import { loadError } from '../loading/load-once.js';
import { LAZY_LOCALES } from './locales/built-in.js';
import { en } from './locales/en.js';
import type { PresenceMessages } from './messages.js';
import type { Presence } from './types.js';
import type { Availability } from './values.js';

const registry = new Map<string, PresenceMessages>();

/** The registry key of a language tag: `fr_CA`, `FR-ca` and ` fr-CA ` are all `fr-ca`. */
function localeKey(tag: string): string {
  return tag.trim().toLowerCase().replace(/_/g, '-');
}

registry.set(localeKey(en.locale), en);

/** Built-in locales on their way, by registry key, each settling with the error when it failed to load. */
const loading = new Map<string, Promise<Error | undefined>>();
const changeListeners = new Set<() => void>();

function changed(): void {
  for (const listener of changeListeners) listener();
}

/**
 * Calls `listener` whenever a locale arrives or is registered, so that elements showing a fallback re-render in the
 * words they asked for. Returns the function that stops listening.
 */
export function onLocalesChanged(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Registers built-in locales as they are (complete tables), unless a locale of the same tag is registered already. */
export function addBuiltInLocales(...all: PresenceMessages[]): void {
  for (const messages of all) {
    const key = localeKey(messages.locale);
    if (!registry.has(key)) registry.set(key, messages);
  }
  changed();
}

/**
 * Loads a built-in locale once. A failed load is forgotten (English meanwhile), so that the next need loads it again
 * (an element tries again a few seconds later: see `LocaleController`).
 */
function load(key: string): Promise<Error | undefined> {
  let pending = loading.get(key);
  if (!pending) {
    pending = LAZY_LOCALES.get(key)!().then(
      (messages) => void addBuiltInLocales(messages),
      (cause: unknown) => {
        loading.delete(key);
        return loadError(`Locale "${key}"`, cause);
      },
    );
    loading.set(key, pending);
  }
  return pending;
}

/** The registry keys to try for a language tag, longest first (`fr-ca`, then `fr`); none for what is not text. */
function candidates(language: unknown): string[] {
  if (typeof language !== 'string' || !language) return [];
  const parts = localeKey(language).split('-');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
}

/**
 * Settles once the words for these languages are here: undefined when nothing needs loading (the locale is
 * registered, or no built-in one matches), else a promise that never rejects: it settles with the error when the
 * locale could not be loaded (English meanwhile; it is loaded again later).
 */
export function localeReady(...languages: Array<string | null | undefined>): Promise<Error | undefined> | undefined {
  for (const language of languages) {
    for (const key of candidates(language)) {
      if (registry.has(key)) return undefined;
      if (LAZY_LOCALES.has(key)) return load(key);
    }
  }
  return undefined;
}

/** The locale used when none of the requested ones is registered. */
export const FALLBACK_LOCALE = 'en';

/** A translation to register: only `locale` is required; any word left out (or `undefined`) is English. */
export type LocaleRegistration = Partial<Omit<PresenceMessages, 'availability' | 'activity'>> &
  Pick<PresenceMessages, 'locale'> & {
    availability?: Partial<PresenceMessages['availability']>;
    activity?: Partial<PresenceMessages['activity']>;
  };

/** The entries of `value` that are not `undefined`, so that spreading them never blanks out a fallback word. */
function definedEntries<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Adds or replaces a locale. Missing words fall back to English, so a partial translation still works.
 * Elements already on the page pick the new words up the next time they render.
 */
export function registerLocale(messages: LocaleRegistration): void {
  const merged: PresenceMessages = {
    ...en,
    dir: 'ltr',
    ...definedEntries(messages),
    availability: { ...en.availability, ...definedEntries(messages.availability) },
    activity: { ...en.activity, ...definedEntries(messages.activity) },
  };
  registry.set(localeKey(messages.locale), merged);
  changed();
}

/** The tags of every registered locale, built-in ones not loaded yet included. */
export function registeredLocales(): string[] {
  const tags = [...registry.values()].map((m) => m.locale);
  for (const key of LAZY_LOCALES.keys()) if (!registry.has(key)) tags.push(key);
  return tags;
}

/**
 * The messages for the first of the given language tags that is registered, trying each tag and then its
 * shorter forms (`fr-CA` then `fr`); English when none is. A built-in locale not loaded yet starts loading (and
 * `onLocalesChanged` says when it is here); meanwhile the next registered match answers.
 */
export function messagesFor(...languages: Array<string | null | undefined>): PresenceMessages {
  for (const language of languages) {
    // Anything but text (a number, an object from a framework binding) is not a language: skipped, never thrown on.
    for (const key of candidates(language)) {
      const found = registry.get(key);
      if (found) return found;
      if (LAZY_LOCALES.has(key)) void load(key);
    }
  }
  return registry.get(FALLBACK_LOCALE) ?? en;
}

function fill(template: string, value: string): string {
  // A function, so that `$&`, `$'` and the like in a value Graph sent are not read as replacement patterns.
  return template.replace('{value}', () => value);
}

/** The label of the availability, with the raw value when Graph sent one we do not know. */
export function availabilityLabel(presence: Presence, messages: PresenceMessages = en): string {
  if (presence.availability === 'PresenceUnknown' && presence.rawAvailability) {
    return fill(messages.unrecognised, presence.rawAvailability);
  }
  return messages.availability[presence.availability];
}

/** The label of the activity ("In a meeting", "Presenting"), with the raw value when it is not documented. */
export function activityLabel(presence: Presence, messages: PresenceMessages = en): string {
  if (presence.activity === 'PresenceUnknown' && presence.rawActivity) {
    return fill(messages.unrecognised, presence.rawActivity);
  }
  return messages.activity[presence.activity];
}

/**
 * The activity an availability already says: its own name, idle or not ("Available, idle" needs no "Available"
 * after it). Every availability is also an activity but the idle ones.
 */
function activitySaidBy(availability: Availability): string {
  return String(availability).replace(/Idle$/, '');
}

/**
 * The parts that describe a presence, without repeats: availability, then activity when it says more, then
 * out-of-office when neither said it. For example `["Busy", "In a call"]` or `["Away", "Out of office"]`.
 */
export function describePresence(presence: Presence, messages: PresenceMessages = en): string[] {
  const parts = [availabilityLabel(presence, messages)];
  const activity = activityLabel(presence, messages);
  const saysMore = presence.activity !== 'PresenceUnknown' || presence.rawActivity !== undefined;
  const redundant = activitySaidBy(presence.availability) === presence.activity && presence.rawActivity === undefined;
  if (saysMore && !redundant && !parts.includes(activity)) {
    parts.push(activity);
  }
  // The activity says it already, even when a partial locale words it differently from `outOfOffice`.
  const saidOutOfOffice =
    presence.activity === 'OutOfOffice' ||
    presence.activity === 'OffWork' ||
    parts.includes(messages.outOfOffice) ||
    parts.includes(messages.activity.OffWork);
  if (presence.isOutOfOffice && !saidOutOfOffice) {
    parts.push(messages.outOfOffice);
  }
  return parts;
}

/** The one-line status text shown under a name: the parts joined with the locale's separator. */
export function statusText(presence: Presence, messages: PresenceMessages = en): string {
  return describePresence(presence, messages).join(messages.separator);
}

/** An accessible name such as "Adele Vance, Busy, In a call". */
export function accessibleName(
  displayName: string | null | undefined,
  presence: Presence | undefined,
  messages: PresenceMessages = en,
): string {
  const name = displayName?.replace(/\s+/g, ' ').trim() || messages.unnamed;
  if (!presence) return name;
  return [name, ...describePresence(presence, messages)].join(messages.separator);
}
