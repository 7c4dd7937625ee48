import type { Activity, Availability } from '../presence/values.js';

/** A watched person's presence changed. */
export interface PresenceChangeDetail {
  /** The person as the element names them: its `user-id` (an object id, a userPrincipalName or `me`), trimmed. */
  userId: string;
  /** The person's Microsoft Entra object id, once the client knows it (the same as `userId` when that is one). */
  id?: string;
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
