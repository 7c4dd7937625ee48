/** The user signed in, with `<presence-sign-in>`. */
export interface PresenceSignedInDetail {
  /** The account's user name (usually an email address). */
  username: string;
}

export type PresenceSignedInEvent = CustomEvent<PresenceSignedInDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-signed-in': PresenceSignedInEvent;
  }
  interface HTMLElementEventMap {
    'presence-signed-in': PresenceSignedInEvent;
  }
}
