// Server-side rendering and hydration. On the server (@lit-labs/ssr) an element knows only its attributes: no
// client, no page around it, no browser. When the page hydrates, Lit takes over the server's shadow root by
// walking the element's first client render alongside it, and that walk only works if the render has the same
// shape as the server's (https://lit.dev/docs/ssr/client-usage/). So an element that arrived server-rendered makes
// its first client render from what the server knew too, then renders again with everything else.
import { isServer } from 'lit';

/** Elements upgraded with a shadow root already in place: the server's, parsed from a declarative template. */
const serverRendered = new WeakSet<HTMLElement>();

type Host = HTMLElement & { readonly hasUpdated?: boolean };

/**
 * Notes whether `host` arrived with the server's shadow root. Call it while the host is being constructed (a
 * controller's constructor, say): only then does a shadow root mean the server's, since the element attaches its
 * own later, when connected.
 */
export function noteServerRender(host: HTMLElement): void {
  if (!isServer && host.shadowRoot) serverRendered.add(host);
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
