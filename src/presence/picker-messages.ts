/** The words of `<presence-status-picker>`, one group of a locale's messages (`PresenceMessages.picker`). */
export interface PickerMessages {
  /** The menu button's accessible name; `{status}` is replaced by the current status ("Busy"). */
  button: string;
  /** The button while the user's presence is not known yet. */
  loading: string;
  /** The menu's accessible name. */
  menu: string;
  /** The availability choices the presence vocabulary does not word as a user sets them. */
  appearAway: string;
  appearOffline: string;
  /** The group of "reset after" choices. */
  resetAfter: string;
  minutes30: string;
  hour1: string;
  hours2: string;
  hours4: string;
  today: string;
  thisWeek: string;
  never: string;
  /** Clears the preferred presence. */
  resetStatus: string;
  /** Opens the status message editor. */
  statusMessage: string;
  /** Said when there is no status message. */
  noStatusMessage: string;
  /** The editor's text box. */
  messageLabel: string;
  /** The editor's "clear after" choice. */
  clearAfter: string;
  save: string;
  clear: string;
  cancel: string;
  /** While a write is under way. */
  saving: string;
  /** A write failed. */
  failed: string;
  /** A write needs the user's consent, which this page cannot ask for. */
  consentNeeded: string;
  /** Why the button is unavailable: nobody is signed in. */
  signedOut: string;
  /** Why the button is unavailable: the page's client cannot write presence. */
  readOnly: string;
}
