// Server-side rendering and hydration. On the server (@lit-labs/ssr) an element knows only its attributes: no
// client, no page around it, no browser. When the page hydrates, Lit takes over the server's shadow root by
// walking the element's first client render alongside it, and that walk only works if the render has the same
// shape as the server's (https://lit.dev/docs/ssr/client-usage/). So an element that arrived server-rendered makes
// its first client render from what the server knew too, then renders again with everything else.
import { isServer, type ReactiveControllerHost } from 'lit';
import { catchUpHydrateSupport } from './hydrate-support.js';

/** Elements upgraded with a shadow root already in place: the server's, parsed from a declarative template. */
const serverRendered = new WeakSet<HTMLElement>();

type Host = HTMLElement & {
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
 * Notes whether `host` arrived with the server's shadow root. Call it while the host is being constructed (a
 * controller's constructor, say): only then does a shadow root mean the server's, since the element attaches its
 * own later, when connected. A controller made later (loaded when first needed) finds the render root made: the
 * shadow root is then the element's own, and whoever made the element noted already whether it came from the server.
 *
 * Without Lit's hydrate support, Lit renders into that shadow root as into an empty one, next to the server's
 * content: the server's content is removed first, so that nothing shows twice.
 */
export function noteServerRender(host: ReactiveControllerHost & Host): void {
  if (isServer || !host.shadowRoot || host.renderRoot || serverRendered.has(host)) return;
  serverRendered.add(host);
  // An element defined by the page itself, from the exported class, may meet the hydrate support only here.
  catchUpHydrateSupport();
  if (hydrates(host)) return;
  host.addController({
    // Connected: the render root is in place (the server's shadow root) and nothing has rendered into it yet.
    // LitElement renders before the root's first child, the server's, which goes too: it renders into the root.
    hostConnected() {
      if (host.hasUpdated) return;
      host.shadowRoot?.replaceChildren();
      if (host.renderOptions) host.renderOptions.renderBefore = null;
    },
  });
}

/**
 * True while `host` renders as the server does: on the server, and on the client for the first render of an
 * element that arrived server-rendered. Such a render uses the element's attributes alone.
 */
export function rendersAsServer(host: Host): boolean {
  return isServer || (!host.hasUpdated && serverRendered.has(host));
}

/** True when `host` arrived with the server's shadow root, whether or not it has rendered since. */
export function cameFromServer(host: HTMLElement): boolean {
  return serverRendered.has(host);
}
