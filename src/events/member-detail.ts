import type { Availability } from '../presence/values.js';

/**
 * A person, in the `presence-select` and `presence-available` events of `<team-presence-list>`, the
 * `presence-available` event of `<presence-avatar notify-when-available>` and the `presence-alert` event of
 * `<presence-alerts>`.
 */
export interface MemberEventDetail {
  userId: string;
  displayName: string | null;
  availability: Availability;
  activity: string;
  /** For `presence-available`: what they were before. */
  previousAvailability?: Availability;
  /** True when the user had asked to be notified (`notify-when-available`, `client.notifyWhenAvailable`). */
  notified?: boolean;
}
