import type { BadgeAppearance, BadgeStatus, Presence } from './types.js';
import type { Availability } from './values.js';

const statusByAvailability: Record<Availability, BadgeStatus> = {
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

/**
 * What the badge draws for a presence, following Teams: the availability picks the status; when the person is out
 * of office, an away or offline status becomes the out-of-office glyph and the others are drawn in their
 * out-of-office (outlined) variant.
 */
export function badgeFor(presence: Pick<Presence, 'availability' | 'isOutOfOffice'>): BadgeAppearance {
  // Own keys only: "constructor" or "__proto__" from unchecked JavaScript must not find Object.prototype's members.
  const status = Object.prototype.hasOwnProperty.call(statusByAvailability, presence.availability)
    ? statusByAvailability[presence.availability]
    : 'unknown';
  if (!presence.isOutOfOffice) return { status, outOfOffice: false };
  if (status === 'away' || status === 'offline') return { status: 'out-of-office', outOfOffice: true };
  return { status, outOfOffice: true };
}
