/** What went wrong, in the `presence-error` event. */
export interface PresenceErrorDetail {
  /** The user the element shows, when it has one. */
  userId?: string;
  /** `invalid-presence`: the presence given could not be read; `photo`: the photo did not load. */
  kind: 'invalid-presence' | 'photo';
  /** A message for developers, saying what was wrong. */
  message: string;
}

export type PresenceErrorEvent = CustomEvent<PresenceErrorDetail>;

declare global {
  interface HTMLElementEventMap {
    'presence-error': PresenceErrorEvent;
  }
}

/** Dispatches an event the way every element here does: bubbling, composed, with a small serialisable detail. */
export function dispatch<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}
