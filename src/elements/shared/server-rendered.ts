// What an element knows of the server that rendered it (@lit-labs/ssr): whether it arrived with the server's
// shadow root, and whether its first render must match the server's. This module stays free of Lit's element
// classes, which the pages of avatars do not load: the Lit elements' part (server-render.ts) hooks in here.
import { isServer } from 'lit';

type Host = HTMLElement & { readonly hasUpdated?: boolean };

/** Elements upgraded with a shadow root already in place: the server's, parsed from a declarative template. */
const fromServer = new WeakSet<HTMLElement>();
/** Of those, the Lit elements that Lit hydrates: their first render walks the server's, so must match it. */
const hydrating = new WeakSet<HTMLElement>();

/** What the Lit elements add (server-render.ts, loaded with them). */
export const litHydration: {
  /** Notes a Lit element being constructed; true when Lit hydrates it. */
  note?(host: HTMLElement): boolean;
  /** Patches LitElement with a hydrate support that arrived after it. */
  catchUp?(): void;
} = {};

/** Notes that `host` arrived with the server's shadow root. */
export function markServerRendered(host: HTMLElement): void {
  fromServer.add(host);
}

/**
 * Call while `host` is being constructed (a controller's constructor, say). A Lit element with the server's
 * shadow root is noted (see server-render.ts); the other elements note themselves (presence-element.ts).
 */
export function noteServerRender(host: HTMLElement): void {
  if (isServer || fromServer.has(host) || !litHydration.note?.(host)) return;
  fromServer.add(host);
  hydrating.add(host);
}

/**
 * True while `host` renders as the server does: on the server, and on the client for the first render of a Lit
 * element that Lit hydrates. Such a render uses the element's attributes alone.
 */
export function rendersAsServer(host: Host): boolean {
  return isServer || (!host.hasUpdated && hydrating.has(host));
}

/** True when `host` arrived with the server's shadow root, whether or not it has rendered since. */
export function cameFromServer(host: HTMLElement): boolean {
  return fromServer.has(host);
}
