import { ar } from './locales/ar.js';
import { de } from './locales/de.js';
import { en } from './locales/en.js';
import { fr } from './locales/fr.js';
import { he } from './locales/he.js';
import type { PresenceMessages } from './messages.js';
import type { Presence } from './types.js';
import type { Activity, Availability } from './values.js';

const registry = new Map<string, PresenceMessages>();

/** The registry key of a language tag: `fr_CA`, `FR-ca` and ` fr-CA ` are all `fr-ca`. */
function localeKey(tag: string): string {
  return tag.trim().toLowerCase().replace(/_/g, '-');
}

for (const messages of [en, fr, de, ar, he]) registry.set(localeKey(messages.locale), messages);

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
}

/** The tags of every registered locale. */
export function registeredLocales(): string[] {
  return [...registry.values()].map((m) => m.locale);
}

/**
 * The messages for the first of the given language tags that is registered, trying each tag and then its
 * shorter forms (`fr-CA` then `fr`); English when none is.
 */
export function messagesFor(...languages: Array<string | null | undefined>): PresenceMessages {
  for (const language of languages) {
    // Anything but text (a number, an object from a framework binding) is not a language: skipped, never thrown on.
    if (typeof language !== 'string' || !language) continue;
    const parts = localeKey(language).split('-');
    for (let length = parts.length; length > 0; length--) {
      const found = registry.get(parts.slice(0, length).join('-'));
      if (found) return found;
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

/** The activity each availability already says: "Available, idle" needs no "Available" after it. */
const activitySaidBy: Record<Availability, Activity> = {
  Available: 'Available',
  AvailableIdle: 'Available',
  Away: 'Away',
  BeRightBack: 'BeRightBack',
  Busy: 'Busy',
  BusyIdle: 'Busy',
  DoNotDisturb: 'DoNotDisturb',
  Offline: 'Offline',
  PresenceUnknown: 'PresenceUnknown',
};

/**
 * The parts that describe a presence, without repeats: availability, then activity when it says more, then
 * out-of-office when neither said it. For example `["Busy", "In a call"]` or `["Away", "Out of office"]`.
 */
export function describePresence(presence: Presence, messages: PresenceMessages = en): string[] {
  const parts = [availabilityLabel(presence, messages)];
  const activity = activityLabel(presence, messages);
  const saysMore = presence.activity !== 'PresenceUnknown' || presence.rawActivity !== undefined;
  const redundant = activitySaidBy[presence.availability] === presence.activity && presence.rawActivity === undefined;
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
