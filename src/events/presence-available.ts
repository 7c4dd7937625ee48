import type { MemberEventDetail } from './member-detail.js';

/** A member of `<team-presence-list>` has just become available; `previousAvailability` says what they were. */
export type PresenceAvailableEvent = CustomEvent<MemberEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-available': PresenceAvailableEvent;
  }
  interface HTMLElementEventMap {
    'presence-available': PresenceAvailableEvent;
  }
}
