/**
 * Registers every built-in locale at once, so that `messagesFor('fr')` answers in French without waiting. The
 * package's entries (`presence-elements`, `presence-elements/presence`, `/define`) import it; the autoloader's
 * per-element chunks do not, and load a locale only when a `lang` on the page needs it.
 *
 * English gets its words for the status picker, the card, "notify me", the team list and the sign-in button here too (the elements that use them load
 * them themselves), so that `messagesFor('en')` is the whole English table, as every other built-in locale is.
 */
import { addBuiltInLocales } from '../i18n.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en } from './en.js';
import { enCard } from './en-card.js';
import { enList } from './en-list.js';
import { enNotify } from './en-notify.js';
import { enPicker } from './en-picker.js';
import { fr } from './fr.js';
import { he } from './he.js';

en.picker ??= enPicker;
en.notify ??= enNotify;
en.card ??= enCard;
for (const [key, word] of Object.entries(enList)) en[key as keyof typeof enList] ??= word;
addBuiltInLocales(fr, de, ar, he);
