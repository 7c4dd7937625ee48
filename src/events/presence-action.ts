/** What a `<presence-card>` action does: open a Teams chat, call or video call, write an email, or ask to be told. */
export type PresenceActionKind = 'chat' | 'call' | 'video' | 'email' | 'notify';

/** The `presence-action` event's detail: which action, for whom, and the link it opens (none for `notify`). */
export interface PresenceActionDetail {
  action: PresenceActionKind;
  /** The person's object id, when known. */
  userId: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  /** The Teams deep link or `mailto:` link the action opens; null for `notify`. */
  href: string | null;
}

/**
 * An action of `<presence-card>` was chosen. Sent before the action's default (opening the link in a new tab,
 * or asking the client to tell when the person is available): `preventDefault()` stops the default, so an app can
 * do it its own way (open Teams through the Teams JavaScript library inside Teams, say).
 */
export type PresenceActionEvent = CustomEvent<PresenceActionDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'presence-action': PresenceActionEvent;
  }
  interface HTMLElementEventMap {
    'presence-action': PresenceActionEvent;
  }
}
