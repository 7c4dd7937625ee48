import type { PickerMessages } from './picker-messages.js';
import type { NotifyMessages } from './notify-messages.js';
import type { CardMessages } from './card-messages.js';
import type { Activity, Availability } from './values.js';

/** The words of one locale. Register more with `registerLocale`. */
export interface PresenceMessages {
  /** A BCP 47 tag, such as `en`, `fr-CA` or `ar`. */
  locale: string;
  /** The writing direction of the locale. */
  dir: 'ltr' | 'rtl';
  availability: Record<Availability, string>;
  activity: Record<Activity, string>;
  /** Added to a description when the person is out of office. */
  outOfOffice: string;
  /** A value Graph sent that is not documented; `{value}` is replaced by the value as text. */
  unrecognised: string;
  /** The accessible name of someone with no display name. */
  unnamed: string;
  /** Said in place of the name while a live element is still reading it from the directory. */
  loadingName: string;
  /** Added to a description when the presence may be out of date. */
  stale: string;
  // The words of the team list and the sign-in button: English (locales/en-list.ts) where a locale leaves them out.
  /** The team list's filter box label. */
  filterLabel?: string;
  /** The team list's count; `{count}` is replaced. */
  peopleCount?: string;
  /** The team list when the filter matches nobody. */
  noMatch?: string;
  /** The team list while members load. */
  loading?: string;
  /** The team list when reading its members needs the user's consent. */
  consentNeeded?: string;
  /** The team list's button that asks for that consent. */
  grantAccess?: string;
  /** The sign-in button. */
  signIn?: string;
  /** The sign-out button. */
  signOut?: string;
  /** Joins the parts of a description ("Adele Vance, Busy, In a call"). */
  separator: string;
  /** `<presence-status-picker>`'s words; English when a registered locale leaves them out. */
  picker?: PickerMessages;
  /** "Notify me when available" (`NotifyMessages`); English where a registered locale has none. */
  notify?: NotifyMessages;
  /** The words of `<presence-card>`; English when a registered locale leaves them out. */
  card?: CardMessages;
}
