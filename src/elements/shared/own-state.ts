import type { PropertyDeclarations } from 'lit';

/**
 * Reactive properties that are an element's own state, for its `static properties`: setting one renders the element
 * again, as `@state()` does, and none is an attribute or part of the element's API (the manifest leaves them out).
 */
export function ownState(...names: string[]): PropertyDeclarations {
  return Object.fromEntries(names.map((name) => [name, { state: true }]));
}
