/**
 * Presence Elements: Microsoft Teams presence as web components.
 *
 * This entry only exports; it registers nothing and touches no browser global, so it can be imported during
 * server-side rendering. Import `presence-elements/define` (or load the script-tag bundle) to register the tags.
 */
export { PresenceAvatar } from './elements/presence-avatar/presence-avatar.js';
export { PresenceBadge } from './elements/presence-badge/presence-badge.js';
export { PresenceProvider } from './elements/presence-provider/presence-provider.js';
export { PresenceSignIn } from './elements/presence-sign-in/presence-sign-in.js';
export { TeamPresenceList } from './elements/team-presence-list/team-presence-list.js';
export { PresenceStatusPicker } from './elements/presence-status-picker/presence-status-picker.js';
export { PresenceAlerts } from './elements/presence-alerts/presence-alerts.js';
export { PresenceCard } from './elements/presence-card/presence-card.js';
export type { CardShowOptions } from './elements/presence-card/presence-card.js';
export type {
  MemberEventDetail,
  PresenceAvailableEvent,
  PresenceChangeDetail,
  PresenceChangeEvent,
  PresenceErrorDetail,
  PresenceErrorEvent,
  PresenceErrorKind,
  PresenceEventMap,
  PresenceSelectEvent,
  PresenceSignedInDetail,
  PresenceSignedInEvent,
  PresenceSignedOutDetail,
  PresenceSignedOutEvent,
  PresenceAlertEvent,
  PresenceActionDetail,
  PresenceActionEvent,
  PresenceActionKind,
} from './events/index.js';
export { AVATAR_SIZES, BADGE_SIZES } from './elements/shared/size.js';
export type { AvatarSizeName, BadgeSizeName } from './elements/shared/size.js';
export { initialsOf } from './people/initials.js';
export { AVATAR_COLORS, avatarColorFor } from './people/color.js';
export type { AvatarColor } from './people/color.js';
export { PresenceClient, PRESENCE_CHUNK } from './client/presence-client.js';
export type { ClientErrorDetail, PresenceClientOptions } from './client/presence-client.js';
export type { Scheduler } from './client/scheduler.js';
export { OwnPresence } from './client/own-presence.js';
export type { OwnPresenceHost, PreferredPresence, StatusMessage } from './client/own-presence.js';
export { APP_PRESENCE_KEEP_ALIVE_MS, startAppPresence } from './client/app-presence.js';
export type {
  AppPresenceDeps,
  AppPresenceOptions,
  AppPresenceSession,
  AppPresenceState,
} from './client/app-presence.js';
export type { PageLifecycle } from './client/page-lifecycle.js';
export {
  APP_PRESENCES,
  MAX_APP_EXPIRY_MS,
  MAX_PREFERRED_EXPIRY_MS,
  MIN_EXPIRY_MS,
  PREFERRED_PRESENCES,
  PresenceWriteError,
} from './client/presence-rules.js';
export type {
  AppPresenceBody,
  PreferredPresenceBody,
  PresenceWrites,
  StatusMessageBody,
  WriteOptions,
} from './client/write-types.js';
export { createPresenceClient } from './client/create.js';
export type { CreatePresenceClientOptions } from './client/create.js';
export { getDefaultClient, onDefaultClient, presenceClientContext, setDefaultClient } from './client/context.js';
export type { PersonSnapshot, PresenceSource, Profile, SnapshotListener, WatchOptions } from './client/types.js';
export { bringYourOwnToken, SCOPES } from './auth/token-provider.js';
export type { BringYourOwnTokenOptions, SignedInAccount, TokenProvider } from './auth/token-provider.js';
export { msalTokenProvider } from './auth/msal.js';
export { ConsentRequiredError, scopesNeedingConsent, SignInRequiredError } from './auth/errors.js';
export type { MsalTokenProvider, MsalTokenProviderOptions } from './auth/msal.js';
export { GraphSource } from './graph/graph-source.js';
export type { GraphSourceOptions } from './graph/graph-source.js';
export { GraphCallError, withRetry } from './graph/retry.js';
export { PollingTransport } from './transports/polling.js';
export type { PollingOptions } from './transports/polling.js';
export { DemoSource, DemoTransport } from './sources/demo.js';
export { SignalRTransport, reconnectDelay } from './transports/signalr.js';
export type { SignalRTransportOptions } from './transports/signalr.js';
export type { ConnectionState, PresenceTransport, TransportSink } from './transports/transport.js';
export * from './presence/index.js';
export { AvailabilityAlerts, NO_ACCOUNT, showsAvailable } from './client/availability-alerts.js';
export type { AlertsHost, AvailabilityAlert } from './client/availability-alerts.js';
export { MAX_WAITING, readWaitingList } from './client/waiting-store.js';
