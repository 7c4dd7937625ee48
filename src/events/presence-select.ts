import type { MemberEventDetail } from './member-detail.js';

/** A member of `<team-presence-list>` was chosen (click, Enter or Space). */
export type PresenceSelectEvent = CustomEvent<MemberEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-select': PresenceSelectEvent;
  }
  interface HTMLElementEventMap {
    'presence-select': PresenceSelectEvent;
  }
}
