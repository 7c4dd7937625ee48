// Lit's hydrate support (`@lit-labs/ssr-client/lit-element-hydrate-support.js`) must run before LitElement is
// defined (https://lit.dev/docs/ssr/client-usage/): it leaves a hook, `globalThis.litElementHydrateSupport`, that
// LitElement's module calls once, as it runs, to patch LitElement. A page that imports the hydrate support first can
// still run LitElement first: a bundler splitting code puts Lit, shared by the page's entry and by a chunk it loads
// with `import()` (the avatar's card, say), in a chunk of its own, which the entry imports, and so runs, before its
// own code, the hydrate support included. The hook is then in place but was never called, and every element would
// clear its server-rendered shadow root instead of hydrating it.
import { isServer, LitElement } from 'lit';

type HydrateSupport = (lit: { LitElement: typeof LitElement }) => void;

/**
 * Patches LitElement with the page's hydrate support if it arrived after LitElement and has not patched it yet.
 * Call it before defining an element (so that the registry observes `defer-hydration`) and before an element
 * renders for the first time.
 */
export function catchUpHydrateSupport(): void {
  if (isServer) return;
  const support = (globalThis as { litElementHydrateSupport?: HydrateSupport }).litElementHydrateSupport;
  // The hydrate support gives LitElement an `observedAttributes` of its own (adding `defer-hydration`): LitElement
  // without one has not been patched.
  if (!support || Object.prototype.hasOwnProperty.call(LitElement, 'observedAttributes')) return;
  support({ LitElement });
}
