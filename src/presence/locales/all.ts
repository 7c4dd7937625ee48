/**
 * Registers every built-in locale at once, so that `messagesFor('fr')` answers in French without waiting. The
 * package's entries (`presence-elements`, `presence-elements/presence`, `/define`) import it; the autoloader's
 * per-element chunks do not, and load a locale only when a `lang` on the page needs it.
 */
import { addBuiltInLocales } from '../i18n.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { fr } from './fr.js';
import { he } from './he.js';

addBuiltInLocales(fr, de, ar, he);
