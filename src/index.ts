/**
 * Presence Elements: Microsoft Teams presence as web components.
 *
 * This entry only exports; it registers nothing and touches no browser global, so it can be imported during
 * server-side rendering. Import `presence-elements/define` (or load the script-tag bundle) to register the tags.
 */
export { PresenceAvatar } from './elements/presence-avatar/presence-avatar.js';
export { PresenceBadge } from './elements/presence-badge/presence-badge.js';
export type { PresenceErrorDetail, PresenceErrorEvent } from './elements/events.js';
export { AVATAR_SIZES, BADGE_SIZES } from './elements/shared/size.js';
export type { AvatarSizeName, BadgeSizeName } from './elements/shared/size.js';
export { initialsOf } from './people/initials.js';
export { AVATAR_COLORS, avatarColorFor } from './people/color.js';
export type { AvatarColor } from './people/color.js';
export * from './presence/index.js';
