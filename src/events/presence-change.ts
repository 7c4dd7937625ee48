import type { Activity, Availability } from '../presence/values.js';

/** A watched person's presence changed. */
export interface PresenceChangeDetail {
  userId: string;
  availability: Availability;
  activity: Activity;
  previousAvailability: Availability;
}

export type PresenceChangeEvent = CustomEvent<PresenceChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-change': PresenceChangeEvent;
  }
  interface HTMLElementEventMap {
    'presence-change': PresenceChangeEvent;
  }
}
