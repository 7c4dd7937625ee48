/** Defines `<presence-provider>`: the chunk the autoloader loads for it. */
import { PresenceProvider } from '../elements/presence-provider/presence-provider.js';
import { defineOnce } from './define-once.js';

defineOnce('presence-provider', PresenceProvider);
