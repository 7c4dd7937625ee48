/** Defines `<presence-sign-in>` and what it renders (`<presence-avatar>`): the chunk the autoloader loads for it. */
import './presence-avatar.js';
import { PresenceSignIn } from '../elements/presence-sign-in/presence-sign-in.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-sign-in', PresenceSignIn);
