/**
 * Registers every element of Presence Elements. This is the package's only module with side effects; the
 * script-tag bundle is built from it. Tags already defined (for example by another copy) are left alone.
 */
import { PresenceAvatar } from './elements/presence-avatar/presence-avatar.js';
import { PresenceBadge } from './elements/presence-badge/presence-badge.js';
import { PresenceProvider } from './elements/presence-provider/presence-provider.js';
import { PresenceSignIn } from './elements/presence-sign-in/presence-sign-in.js';
import { TeamPresenceList } from './elements/team-presence-list/team-presence-list.js';
import { PresenceStatusPicker } from './elements/presence-status-picker/presence-status-picker.js';
import { PresenceAlerts } from './elements/presence-alerts/presence-alerts.js';
import { PresenceCard } from './elements/presence-card/presence-card.js';
import { catchUpHydrateSupport } from './elements/shared/hydrate-support.js';
// Every built-in locale at once: the full bundle is one file, its words included (the autoloader loads them on demand).
import './presence/locales/all.js';

const elements: Array<[string, CustomElementConstructor]> = [
  ['presence-badge', PresenceBadge],
  ['presence-avatar', PresenceAvatar],
  ['presence-provider', PresenceProvider],
  ['presence-sign-in', PresenceSignIn],
  ['team-presence-list', TeamPresenceList],
  ['presence-status-picker', PresenceStatusPicker],
  ['presence-alerts', PresenceAlerts],
  ['presence-card', PresenceCard],
];

/**
 * Defines every tag that is not defined yet. Importing this module calls it; calling it again is harmless, which
 * helps bundlers that drop bare imports of modules they believe have no side effects.
 */
export function defineElements(registry: CustomElementRegistry = customElements): void {
  catchUpHydrateSupport();
  for (const [tag, element] of elements) {
    if (!registry.get(tag)) registry.define(tag, element);
  }
}

defineElements();

export * from './index.js';
