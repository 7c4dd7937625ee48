// The public events, one module each; `emit` sends them.
export { emit } from './emit.js';
export type { PresenceEventMap } from './emit.js';
export type { MemberEventDetail } from './member-detail.js';
export type { PresenceAvailableEvent } from './presence-available.js';
export type { PresenceChangeDetail, PresenceChangeEvent } from './presence-change.js';
export type { PresenceErrorDetail, PresenceErrorEvent, PresenceErrorKind } from './presence-error.js';
export type { PresenceSelectEvent } from './presence-select.js';
export type { PresenceSignedInDetail, PresenceSignedInEvent } from './presence-signed-in.js';
export type { PresenceSignedOutDetail, PresenceSignedOutEvent } from './presence-signed-out.js';
export type { PresenceAlertEvent } from './presence-alert.js';
export type { PresenceActionDetail, PresenceActionEvent, PresenceActionKind } from './presence-action.js';
