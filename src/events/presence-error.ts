/**
 * What went wrong, by cause:
 * - `invalid-presence`: a `presence` given to an element could not be read (the badge shows unknown);
 * - `photo`: the person's photo did not load (initials are shown);
 * - `unavailable`: the client could not get the person's presence or profile;
 * - `config`: `<presence-provider>` could not make its client from its attributes;
 * - `sign-in` / `sign-out`: `<presence-sign-in>` could not sign the user in or out;
 * - `members`: `<team-presence-list>` could not load the members;
 * - `consent`: reading the members needs the user's consent to `scopes` first, or granting it failed (also a
 *   `<presence-status-picker>` write);
 * - `write`: `<presence-status-picker>` could not write the user's presence or status message (Graph refused it, or
 *   the network failed);
 * - `load`: a part of the library loaded on first use (an element's code, the code that watches a person live, the
 *   card, a locale's words) could not be downloaded; it is tried again a few seconds later, or once the browser is
 *   back online.
 */
export type PresenceErrorKind =
  | 'invalid-presence'
  | 'photo'
  | 'unavailable'
  | 'config'
  | 'sign-in'
  | 'sign-out'
  | 'members'
  | 'consent'
  | 'write'
  | 'load';

/** What went wrong, in the `presence-error` event: the same shape whichever element sends it. */
export interface PresenceErrorDetail {
  /** The cause (see `PresenceErrorKind`). */
  kind: PresenceErrorKind;
  /** A message for developers, saying what was wrong. */
  message: string;
  /** The user the element shows, when it has one. */
  userId?: string;
  /** The people the failed request was about, when there were several. */
  ids?: string[];
  /** For `consent`: the scopes the user must consent to. */
  scopes?: string[];
}

export type PresenceErrorEvent = CustomEvent<PresenceErrorDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-error': PresenceErrorEvent;
  }
  interface HTMLElementEventMap {
    'presence-error': PresenceErrorEvent;
  }
}
