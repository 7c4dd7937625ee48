// What a Lit element knows of the server that rendered it (@lit-labs/ssr): whether it arrived with the server's
// shadow root, so that its first render must match the server's. This module stays free of Lit's element classes,
// which the pages of avatars do not load: the Lit elements' part (server-render.ts) hooks in here. The elements on
// our own base (presence-element.ts) render afresh in the browser and need none of it.
import { isServer } from 'lit';

type Host = HTMLElement & { readonly hasUpdated?: boolean };

/**
 * The Lit elements that arrived with the server's shadow root (parsed from a declarative template): their first
 * render, which Lit hydrates the server's with, must match it.
 */
const hydrating = new WeakSet<HTMLElement>();

/** What the Lit elements add (server-render.ts, loaded with them). */
export const litHydration: {
  /** Looks at a Lit element being constructed: true when it arrived with the server's shadow root. */
  note?(host: HTMLElement): boolean;
  /** Patches LitElement with a hydrate support that arrived after it. */
  catchUp?(): void;
} = {};

/**
 * Call while `host` is being constructed (a controller's constructor, say). A Lit element with the server's
 * shadow root is noted (see server-render.ts); the other elements render afresh (presence-element.ts).
 */
export function noteServerRender(host: HTMLElement): void {
  if (!isServer && !hydrating.has(host) && litHydration.note?.(host)) hydrating.add(host);
}

/**
 * True while `host` renders as the server does: on the server, and on the client for the first render of a Lit
 * element that Lit hydrates. Such a render uses the element's attributes alone.
 */
export function rendersAsServer(host: Host): boolean {
  return isServer || (!host.hasUpdated && hydrating.has(host));
}
