import type { Activity, Availability } from './values.js';

/** A presence as Microsoft Graph sends it. Every field may be missing, null or of an unexpected value. */
export interface GraphPresence {
  id?: string | null;
  availability?: string | null;
  activity?: string | null;
  statusMessage?: {
    message?: { content?: string | null; contentType?: string | null } | null;
    expiryDateTime?: { dateTime?: string | null; timeZone?: string | null } | null;
    publishedDateTime?: string | null;
  } | null;
  outOfOfficeSettings?: { isOutOfOffice?: boolean | null; message?: string | null } | null;
  sequenceNumber?: string | null;
  workLocation?: { workLocationType?: string | null; source?: string | null; placeId?: string | null } | null;
}

/**
 * A presence after normalisation: every field has a known value. Values Graph sent that are not in the
 * documented vocabulary become `PresenceUnknown`, with the value itself kept in `rawAvailability` /
 * `rawActivity` for display.
 */
export interface Presence {
  id?: string;
  availability: Availability;
  activity: Activity;
  /** The availability as received when it was not a documented value (absent otherwise). */
  rawAvailability?: string;
  /** The activity as received when it was not a documented value (absent otherwise). */
  rawActivity?: string;
  /** True when the activity is `OutOfOffice` / `OffWork` or the automatic replies say so. */
  isOutOfOffice: boolean;
  /** The automatic-reply message, as plain text. */
  outOfOfficeMessage?: string;
  /** The user's status message, as plain text. */
  statusMessage?: string;
  /** Graph's ordering key; lexicographically comparable. */
  sequenceNumber?: string;
  /** `office`, `remote`, `timeOff` or another value Graph sends. */
  workLocation?: string;
}

/** The statuses a badge can draw, named as Fluent UI names them. */
export type BadgeStatus = 'available' | 'away' | 'busy' | 'do-not-disturb' | 'offline' | 'out-of-office' | 'unknown';

export const BADGE_STATUSES: readonly BadgeStatus[] = [
  'available',
  'away',
  'busy',
  'do-not-disturb',
  'offline',
  'out-of-office',
  'unknown',
];

/** What a badge shows: a status, and whether it is drawn in its out-of-office variant. */
export interface BadgeAppearance {
  status: BadgeStatus;
  outOfOffice: boolean;
}
