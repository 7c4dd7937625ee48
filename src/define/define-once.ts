import { litHydration } from '../elements/shared/server-rendered.js';

/** Defines `tag` unless something (another copy, the full bundle) defined it already. */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (customElements.get(tag)) return;
  // A Lit element observes `defer-hydration` only once the page's hydrate support has patched LitElement.
  litHydration.catchUp?.();
  customElements.define(tag, element);
}
