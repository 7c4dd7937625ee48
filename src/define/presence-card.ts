/** Defines `<presence-card>` and what it renders (`<presence-avatar>`): the chunk the autoloader loads for it. */
import './presence-avatar.js';
import { PresenceCard } from '../elements/presence-card/presence-card.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-card', PresenceCard);
