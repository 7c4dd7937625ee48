/** Defines `<presence-badge>`: the chunk the autoloader loads for it. */
import { PresenceBadge } from '../elements/presence-badge/presence-badge.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-badge', PresenceBadge);
