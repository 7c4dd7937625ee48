/** The words of `<presence-card>`, one group of a locale (`PresenceMessages.card`). */
export interface CardMessages {
  /** The action that opens a Teams chat with the person. */
  chat: string;
  /** The action that starts a Teams call. */
  call: string;
  /** The action that starts a Teams video call. */
  videoCall: string;
  /** The action that writes an email. */
  email: string;
  /** The action that asks to be told when the person is available. */
  notify: string;
  /** Shown once that was asked. */
  notifying: string;
  /** The label over the out-of-office message. */
  automaticReply: string;
  /** The label of the group of actions; `{name}` is replaced by the person's name. */
  actionsLabel: string;
  /** The close button's accessible name. */
  close: string;
  /** Shown while the person is being loaded. */
  loading: string;
  /** Shown when the page has no client to load the person from (no `<presence-provider>`, no default client). */
  noSource?: string;
}
