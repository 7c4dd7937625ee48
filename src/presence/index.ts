// The built-in locales, registered at once: this entry's `messagesFor('fr')` answers in French without waiting.
import './locales/all.js';

export { ACTIVITIES, AVAILABILITIES, isActivity, isAvailability } from './values.js';
export type { Activity, Availability } from './values.js';
export { BADGE_STATUSES } from './types.js';
export type { BadgeAppearance, BadgeStatus, GraphPresence, Presence } from './types.js';
export { messageToText, normalizePresence, parsePresence } from './normalize.js';
export type { ParsedPresence } from './normalize.js';
export { badgeFor } from './status.js';
export type { PresenceMessages } from './messages.js';
export type { PickerMessages } from './picker-messages.js';
export type { CardMessages } from './card-messages.js';
export type { LocaleRegistration } from './i18n.js';
export {
  FALLBACK_LOCALE,
  accessibleName,
  activityLabel,
  availabilityLabel,
  describePresence,
  messagesFor,
  registerLocale,
  registeredLocales,
  statusText,
} from './i18n.js';
export { fillWords, notifyWords } from './notify-messages.js';
export type { NotifyMessages } from './notify-messages.js';
