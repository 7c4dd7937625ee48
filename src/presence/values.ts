/**
 * The presence vocabulary of Microsoft Graph, as documented for the `presence` resource.
 * Values outside these lists do occur in the wild; see `normalizePresence`.
 */

/** Every `availability` value Microsoft Graph documents. */
export const AVAILABILITIES = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
] as const;

/** Every `activity` value Microsoft Graph documents. */
export const ACTIVITIES = [
  'Available',
  'Away',
  'BeRightBack',
  'Busy',
  'DoNotDisturb',
  'InACall',
  'InAConferenceCall',
  'Inactive',
  'InAMeeting',
  'Offline',
  'OffWork',
  'OutOfOffice',
  'PresenceUnknown',
  'Presenting',
  'UrgentInterruptionsOnly',
] as const;

export type Availability = (typeof AVAILABILITIES)[number];
export type Activity = (typeof ACTIVITIES)[number];

const availabilitySet: ReadonlySet<string> = /* @__PURE__ */ new Set(AVAILABILITIES);
const activitySet: ReadonlySet<string> = /* @__PURE__ */ new Set(ACTIVITIES);

export function isAvailability(value: unknown): value is Availability {
  return typeof value === 'string' && availabilitySet.has(value);
}

export function isActivity(value: unknown): value is Activity {
  return typeof value === 'string' && activitySet.has(value);
}
