/** Defines `<presence-status-picker>`: the chunk the autoloader loads for it. */
import { PresenceStatusPicker } from '../elements/presence-status-picker/presence-status-picker.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-status-picker', PresenceStatusPicker);
