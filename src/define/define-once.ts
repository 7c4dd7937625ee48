import { catchUpHydrateSupport } from '../elements/shared/hydrate-support.js';

/** Defines `tag` unless something (another copy, the full bundle) defined it already. */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (customElements.get(tag)) return;
  catchUpHydrateSupport();
  customElements.define(tag, element);
}
