/** Defines `<presence-avatar>`: the chunk the autoloader loads for it. */
import { PresenceAvatar } from '../elements/presence-avatar/presence-avatar.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-avatar', PresenceAvatar);
