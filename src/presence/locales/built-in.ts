import type { PresenceMessages } from '../messages.js';

/**
 * The built-in locales other than English, by registry key, each loaded with `import()` the first time a page asks
 * for it: a page in English never downloads French, German, Arabic or Hebrew words.
 */
export const LAZY_LOCALES: ReadonlyMap<string, () => Promise<PresenceMessages>> = new Map([
  ['fr', () => import('./fr.js').then((m) => m.fr)],
  ['de', () => import('./de.js').then((m) => m.de)],
  ['ar', () => import('./ar.js').then((m) => m.ar)],
  ['he', () => import('./he.js').then((m) => m.he)],
]);
