/** Defines `<presence-badge>` (`elements/presence-badge.js`; the autoloader defines it from the class). */
import { PresenceBadge } from '../elements/presence-badge/presence-badge.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-badge', PresenceBadge);
