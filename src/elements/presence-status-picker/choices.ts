// What the picker offers: the availabilities a user may prefer, and when a preferred presence or a status message
// ends. Pure: no DOM, times from the `now` given.
import { MAX_PREFERRED_EXPIRY_MS, MIN_EXPIRY_MS, PREFERRED_PRESENCES } from '../../client/presence-limits.js';
import type { PickerMessages } from '../../presence/picker-messages.js';
import type { PresenceMessages } from '../../presence/messages.js';
import type { Presence } from '../../presence/types.js';

/** One availability choice: a pair `setUserPreferredPresence` takes, and how the menu words it. */
export interface AvailabilityChoice {
  availability: string;
  activity: string;
  label: string;
  /** The badge drawn beside it. */
  badge: 'available' | 'busy' | 'do-not-disturb' | 'away' | 'offline';
}

const BADGES: Record<string, AvailabilityChoice['badge']> = {
  Available: 'available',
  Busy: 'busy',
  DoNotDisturb: 'do-not-disturb',
  BeRightBack: 'away',
  Away: 'away',
  Offline: 'offline',
};

/** The choices, in Teams' order, each one of `PREFERRED_PRESENCES` (Appear offline is Offline/OffWork). */
export function availabilityChoices(messages: PresenceMessages, words: PickerMessages): AvailabilityChoice[] {
  const labels: Record<string, string> = {
    Available: messages.availability.Available,
    Busy: messages.availability.Busy,
    DoNotDisturb: messages.availability.DoNotDisturb,
    BeRightBack: messages.availability.BeRightBack,
    Away: words.appearAway,
    Offline: words.appearOffline,
  };
  return PREFERRED_PRESENCES.map(([availability, activity]) => ({
    availability,
    activity,
    label: labels[availability] ?? availability,
    badge: BADGES[availability] ?? 'offline',
  }));
}

/** The choice the shown presence is, when it is one (Available while idle is not: nobody chose it). */
export function currentChoice(presence: Presence | undefined): string | undefined {
  if (!presence) return undefined;
  const { availability, activity } = presence;
  if (availability === 'Offline') return activity === 'OffWork' || activity === 'Offline' ? 'Offline' : undefined;
  if (availability === 'Away') return activity === 'Away' ? 'Away' : undefined;
  return ['Available', 'Busy', 'DoNotDisturb', 'BeRightBack'].includes(availability) ? availability : undefined;
}

export type ResetAfter = 'minutes30' | 'hour1' | 'hours2' | 'today' | 'thisWeek' | 'never';
export const RESET_AFTER: readonly ResetAfter[] = ['minutes30', 'hour1', 'hours2', 'today', 'thisWeek', 'never'];

export type ClearAfter = 'never' | 'today' | 'hour1' | 'hours4' | 'thisWeek';
export const CLEAR_AFTER: readonly ClearAfter[] = ['never', 'today', 'hour1', 'hours4', 'thisWeek'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The first day of the week in a language (1 Monday ... 7 Sunday), from `Intl.Locale`'s week info; else Monday. */
export function firstDayOfWeek(language: string | undefined): number {
  try {
    const locale = new Intl.Locale(language || 'en') as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const day = (locale.getWeekInfo?.() ?? locale.weekInfo)?.firstDay;
    return typeof day === 'number' && day >= 1 && day <= 7 ? day : 1;
  } catch {
    return 1;
  }
}

/** The local midnight that ends today. */
export function endOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
}

/** The local midnight that starts the next week (which starts on `firstDay`, 1 Monday ... 7 Sunday). */
export function endOfWeek(now: Date, firstDay: number): Date {
  const today = now.getDay() === 0 ? 7 : now.getDay();
  const days = (firstDay - today + 7) % 7 || 7;
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
}

/**
 * A "reset after" choice in milliseconds from `now`. Graph has no "never": every preferred presence expires, after
 * 1 day (Busy, DoNotDisturb) or 7 days (the others) when no expirationDuration is sent
 * (https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence). "Never" sends the longest of those,
 * `MAX_PREFERRED_EXPIRY_MS` (7 days), the longest this library sends; after it the user's sessions decide again.
 */
export function resetAfterMs(choice: ResetAfter, now: Date, firstDay: number): number {
  switch (choice) {
    case 'minutes30':
      return 30 * MINUTE;
    case 'hour1':
      return HOUR;
    case 'hours2':
      return 2 * HOUR;
    case 'today':
      return endOfDay(now).getTime() - now.getTime();
    case 'thisWeek':
      return endOfWeek(now, firstDay).getTime() - now.getTime();
    default:
      return MAX_PREFERRED_EXPIRY_MS;
  }
}

/** The "reset after" choices Graph takes now: from 5 minutes to the longest expiry (late at night, "today" is not). */
export function offeredResetAfter(now: Date, firstDay: number): ResetAfter[] {
  return RESET_AFTER.filter((choice) => {
    const ms = resetAfterMs(choice, now, firstDay);
    return ms >= MIN_EXPIRY_MS && ms <= MAX_PREFERRED_EXPIRY_MS;
  });
}

/** When a status message set now with this choice ends; undefined for "never". */
export function clearAfterAt(choice: ClearAfter, now: Date, firstDay: number): Date | undefined {
  switch (choice) {
    case 'today':
      return endOfDay(now);
    case 'hour1':
      return new Date(now.getTime() + HOUR);
    case 'hours4':
      return new Date(now.getTime() + 4 * HOUR);
    case 'thisWeek':
      return endOfWeek(now, firstDay);
    default:
      return undefined;
  }
}
