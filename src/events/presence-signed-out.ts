/** The user signed out, with `<presence-sign-in>`: nothing more to say. */
export type PresenceSignedOutDetail = Record<string, never>;

export type PresenceSignedOutEvent = CustomEvent<PresenceSignedOutDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-signed-out': PresenceSignedOutEvent;
  }
  interface HTMLElementEventMap {
    'presence-signed-out': PresenceSignedOutEvent;
  }
}
