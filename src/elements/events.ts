import type { Activity, Availability } from '../presence/values.js';

/** What went wrong, in the `presence-error` event. */
export interface PresenceErrorDetail {
  /** The user the element shows, when it has one. */
  userId?: string;
  /**
   * `invalid-presence`: the presence given could not be read; `photo`: the photo did not load; `unavailable`: the
   * client could not get the person's presence or profile.
   */
  kind: 'invalid-presence' | 'photo' | 'unavailable';
  /** A message for developers, saying what was wrong. */
  message: string;
}

export type PresenceErrorEvent = CustomEvent<PresenceErrorDetail>;

/** A watched person's presence changed. */
export interface PresenceChangeDetail {
  userId: string;
  availability: Availability;
  activity: Activity;
  previousAvailability: Availability;
}

export type PresenceChangeEvent = CustomEvent<PresenceChangeDetail>;

declare global {
  interface HTMLElementEventMap {
    'presence-error': PresenceErrorEvent;
    'presence-change': PresenceChangeEvent;
  }
}

/** Dispatches an event the way every element here does: bubbling, composed, with a small serialisable detail. */
export function dispatch<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}
