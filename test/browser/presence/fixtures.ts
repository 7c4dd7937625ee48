/** Shared tables for the presence-domain tests: written out by hand so that a change in the source shows up here. */
import type { Activity, Availability, BadgeStatus } from '../../../src/presence/index.js';

export const BUILT_IN_LOCALES = ['en', 'fr', 'de', 'ar', 'he'] as const;

/** The badge each availability draws when the person is not out of office. */
export const BADGE_BY_AVAILABILITY: Record<Availability, BadgeStatus> = {
  Available: 'available',
  AvailableIdle: 'away',
  Away: 'away',
  BeRightBack: 'away',
  Busy: 'busy',
  BusyIdle: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Offline: 'offline',
  PresenceUnknown: 'unknown',
};

export const ENGLISH_AVAILABILITY: Record<Availability, string> = {
  Available: 'Available',
  AvailableIdle: 'Available, idle',
  Away: 'Away',
  BeRightBack: 'Be right back',
  Busy: 'Busy',
  BusyIdle: 'Busy, idle',
  DoNotDisturb: 'Do not disturb',
  Offline: 'Offline',
  PresenceUnknown: 'Status unknown',
};

export const ENGLISH_ACTIVITY: Record<Activity, string> = {
  Available: 'Available',
  Away: 'Away',
  BeRightBack: 'Be right back',
  Busy: 'Busy',
  DoNotDisturb: 'Do not disturb',
  InACall: 'In a call',
  InAConferenceCall: 'In a conference call',
  Inactive: 'Inactive',
  InAMeeting: 'In a meeting',
  Offline: 'Offline',
  OffWork: 'Off work',
  OutOfOffice: 'Out of office',
  PresenceUnknown: 'Status unknown',
  Presenting: 'Presenting',
  UrgentInterruptionsOnly: 'Urgent interruptions only',
};

/** Labels that are the same word in English and in another locale: everything else must be translated. */
export const SAME_AS_ENGLISH: ReadonlyArray<string> = ['de:Offline'];

/** True for a value such as `InAMeeting` that a person would not read as it is. */
export const isCompound = (value: string): boolean => /[a-z][A-Z]/.test(value);

/** A lone UTF-16 surrogate: half an emoji, drawn as a replacement character. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
