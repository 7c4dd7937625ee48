// Server-side rendering and hydration of the Lit elements. On the server (@lit-labs/ssr) an element knows only its
// attributes: no client, no page around it, no browser. When the page hydrates, Lit takes over the server's shadow
// root by walking the element's first client render alongside it, and that walk only works if the render has the
// same shape as the server's (https://lit.dev/docs/ssr/client-usage/). So an element that arrived server-rendered
// makes its first client render from what the server knew too (`rendersAsServer`), then renders again with
// everything else. Imported by each Lit element's module, this hooks into server-rendered.ts.
import type { ReactiveControllerHost } from 'lit';
import { catchUpHydrateSupport } from './hydrate-support.js';
import { litHydration } from './server-rendered.js';

type Host = HTMLElement &
  ReactiveControllerHost & {
    readonly hasUpdated?: boolean;
    /** LitElement's render root, made when the element is first connected. */
    readonly renderRoot?: unknown;
    /** LitElement's options for rendering into its shadow root. */
    readonly renderOptions?: { renderBefore?: ChildNode | null };
  };

/**
 * Whether Lit hydrates this element: `@lit-labs/ssr-client/lit-element-hydrate-support.js` patched LitElement (as
 * LitElement was defined, or since, see hydrate-support.ts), and then, and only then, LitElement observes
 * `defer-hydration`.
 */
function hydrates(host: HTMLElement): boolean {
  const observed = (host.constructor as { observedAttributes?: readonly string[] }).observedAttributes;
  return !!observed?.includes('defer-hydration');
}

/**
 * Whether `host`, a Lit element being constructed, arrived with the server's shadow root: only while it is being
 * constructed does a shadow root mean the server's, since the element attaches its own later, when connected. A
 * controller made later (loaded when first needed) finds the render root made: whoever made the element noted
 * already whether it came from the server.
 *
 * Without Lit's hydrate support, Lit renders into that shadow root as into an empty one, next to the server's
 * content: the server's content is removed first, so that nothing shows twice.
 */
function note(element: HTMLElement): boolean {
  const host = element as Host;
  if (!host.shadowRoot || host.renderRoot || !('_$litElement$' in host.constructor)) return false;
  // An element defined by the page itself, from the exported class, may meet the hydrate support only here.
  catchUpHydrateSupport();
  if (hydrates(host)) return true;
  host.addController({
    // Connected: the render root is in place (the server's shadow root) and nothing has rendered into it yet.
    // LitElement renders before the root's first child, the server's, which goes too: it renders into the root.
    hostConnected() {
      if (host.hasUpdated) return;
      host.shadowRoot?.replaceChildren();
      if (host.renderOptions) host.renderOptions.renderBefore = null;
    },
  });
  return true;
}

litHydration.note = note;
litHydration.catchUp = catchUpHydrateSupport;
