/** Defines `tag` unless something (another copy, the full bundle) defined it already. */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
