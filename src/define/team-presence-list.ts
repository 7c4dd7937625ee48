/** Defines `<team-presence-list>` and what it renders (`<presence-avatar>`): the chunk the autoloader loads for it. */
import './presence-avatar.js';
import { TeamPresenceList } from '../elements/team-presence-list/team-presence-list.js';
import { defineOnce } from './define-once.js';

defineOnce('team-presence-list', TeamPresenceList);
