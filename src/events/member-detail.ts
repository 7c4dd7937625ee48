import type { Availability } from '../presence/values.js';

/** A member of `<team-presence-list>`, in its `presence-select` and `presence-available` events. */
export interface MemberEventDetail {
  userId: string;
  displayName: string | null;
  availability: Availability;
  activity: string;
  /** For `presence-available`: what they were before. */
  previousAvailability?: Availability;
}
