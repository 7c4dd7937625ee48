import type { MemberEventDetail } from './member-detail.js';

/**
 * Someone has just become available; `previousAvailability` says what they were. Sent by `<team-presence-list>` for
 * its members, and by `<presence-avatar notify-when-available>` once for its person (with `notified: true`).
 */
export type PresenceAvailableEvent = CustomEvent<MemberEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-available': PresenceAvailableEvent;
  }
  interface HTMLElementEventMap {
    'presence-available': PresenceAvailableEvent;
  }
}
