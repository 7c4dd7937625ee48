/**
 * Registers every element of Presence Elements. This is the package's only module with side effects; the
 * script-tag bundle is built from it. Tags already defined (for example by another copy) are left alone.
 */
import { PresenceAvatar } from './elements/presence-avatar/presence-avatar.js';
import { PresenceBadge } from './elements/presence-badge/presence-badge.js';

const elements: Array<[string, CustomElementConstructor]> = [
  ['presence-badge', PresenceBadge],
  ['presence-avatar', PresenceAvatar],
];

for (const [tag, element] of elements) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

export * from './index.js';
