/** Defines `<presence-avatar>`, for the elements that render avatars (the autoloader defines it from the class). */
import { PresenceAvatar } from '../elements/presence-avatar/presence-avatar.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-avatar', PresenceAvatar);
