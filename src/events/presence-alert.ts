import type { MemberEventDetail } from './member-detail.js';

/**
 * `<presence-alerts>` is about to show a toast: someone the user waited for has just become available. Cancelable:
 * `preventDefault()` shows nothing (no toast, no desktop notification), so that the app can show its own.
 */
export type PresenceAlertEvent = CustomEvent<MemberEventDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-alert': PresenceAlertEvent;
  }
  interface HTMLElementEventMap {
    'presence-alert': PresenceAlertEvent;
  }
}
