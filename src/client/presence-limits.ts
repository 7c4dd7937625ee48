// What Graph takes in a presence write: the pairs and the expiries. Plain values, apart from the checks
// (presence-rules.ts), so that the status picker offers them without loading the checks and their errors.

/**
 * The availability and activity pairs `setUserPreferredPresence` takes
 * (https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence).
 */
export const PREFERRED_PRESENCES: ReadonlyArray<readonly [string, string]> = [
  ['Available', 'Available'],
  ['Busy', 'Busy'],
  ['DoNotDisturb', 'DoNotDisturb'],
  ['BeRightBack', 'BeRightBack'],
  ['Away', 'Away'],
  ['Offline', 'OffWork'],
];

/**
 * The pairs an app's presence session takes with `setPresence`: fewer, and others than the preferred ones
 * (https://learn.microsoft.com/graph/api/presence-setpresence).
 */
export const APP_PRESENCES: ReadonlyArray<readonly [string, string]> = [
  ['Available', 'Available'],
  ['Busy', 'InACall'],
  ['Busy', 'InAConferenceCall'],
  ['Away', 'Away'],
];

/** A minute, in milliseconds. */
export const MINUTE = 60_000;
/** The shortest expiry this library sends for either write (setPresence's documented minimum, PT5M). */
export const MIN_EXPIRY_MS = 5 * MINUTE;
/** setPresence: from PT5M to PT4H. */
export const MAX_APP_EXPIRY_MS = 4 * 60 * MINUTE;
/**
 * setUserPreferredPresence documents no maximum; its longest default expiry is 7 days, which this library keeps as
 * the longest it sends.
 */
export const MAX_PREFERRED_EXPIRY_MS = 7 * 24 * 60 * MINUTE;
