/** Defines `<presence-alerts>` and what it renders (`<presence-avatar>`): the chunk the autoloader loads for it. */
import './presence-avatar.js';
import { PresenceAlerts } from '../elements/presence-alerts/presence-alerts.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-alerts', PresenceAlerts);
