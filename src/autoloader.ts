/**
 * The autoloader: defines each tag of Presence Elements the first time it appears in the page, loading only that
 * element's chunk (and what it renders). A page of avatars downloads Lit and the avatar, never the team list, the
 * sign-in button or MSAL.
 *
 * Loaded, it looks at the document at once and then watches it (a `MutationObserver`), and the open shadow roots of
 * the elements it defined, so that a `<presence-card>` an avatar opens, or avatars a list renders, are found too.
 * `customElements.whenDefined(tag)` resolves once a tag's chunk has run. Elements inside a shadow root of your own
 * are found when you call `discover(root)`.
 *
 * A chunk that fails to load (a network blip, a deploy that replaced the hashed chunk files) is reported on each
 * element of its tag (`presence-error`, kind `load`) and loaded again a few seconds later, longer after each
 * failure (at most a minute), or as soon as the browser is back online; the tag is defined once it loads.
 */
// Nothing imported statically: the autoloader stands alone, so that it still reports a chunk that failed when the
// chunk it would share with the elements is the one that failed.
import type { PresenceErrorDetail } from './events/presence-error.js';

/**
 * Each tag's chunk; a chunk imports the chunks of the tags it renders. The avatar and the badge, which every other
 * element renders too, are defined here from their classes: in the script-tag build both are in the chunk every
 * element shares (`core`), so defining either is one request after the autoloader, not two.
 */
const chunks: Record<string, () => Promise<unknown>> = {
  'presence-avatar': () =>
    define(
      'presence-avatar',
      import('./elements/presence-avatar/presence-avatar.js').then((m) => m.PresenceAvatar),
    ),
  'presence-badge': () =>
    define(
      'presence-badge',
      import('./elements/presence-badge/presence-badge.js').then((m) => m.PresenceBadge),
    ),
  'presence-provider': () => import('./define/presence-provider.js'),
  'presence-sign-in': () => import('./define/presence-sign-in.js'),
  'team-presence-list': () => import('./define/team-presence-list.js'),
  'presence-status-picker': () => import('./define/presence-status-picker.js'),
  'presence-alerts': () => import('./define/presence-alerts.js'),
  'presence-card': () => import('./define/presence-card.js'),
};

/** Defines `tag` with the class `element` resolves to, unless the page defined it already. */
async function define(tag: string, element: Promise<CustomElementConstructor>): Promise<void> {
  const [{ defineOnce }, constructor] = await Promise.all([import('./define/define-once.js'), element]);
  defineOnce(tag, constructor);
}

/** The tags the autoloader knows. */
export const AUTOLOADED_TAGS: readonly string[] = Object.keys(chunks);

const SELECTOR = AUTOLOADED_TAGS.join(',');
const loads = new Map<string, Promise<void>>();
const watched = new WeakSet<Node>();
let observer: MutationObserver | undefined;

function isKnown(tag: string): boolean {
  return Object.hasOwn(chunks, tag);
}

/**
 * Loads a tag's chunk (once) and resolves when the tag is defined. Rejects for a tag it does not know, or when the
 * chunk cannot be fetched; a later call tries again.
 */
export function loadElement(tag: string): Promise<void> {
  const name = tag.toLowerCase();
  if (!isKnown(name)) return Promise.reject(new Error(`The autoloader does not know <${tag}>.`));
  let pending = loads.get(name);
  if (!pending) {
    pending = chunks[name]!().then(
      () => customElements.whenDefined(name).then(() => undefined),
      (error: unknown) => {
        loads.delete(name);
        throw new Error(`<${name}> could not be loaded (${String(error)}).`);
      },
    );
    loads.set(name, pending);
  }
  return pending;
}

/** Watches an element's open shadow root, where it may render other tags (a list's avatars, an avatar's card). */
function watchShadowOf(element: Element): void {
  const root = element.shadowRoot;
  if (!root || watched.has(root)) return;
  watched.add(root);
  observer?.observe(root, { childList: true, subtree: true });
  discover(root);
}

/** The elements loading or waiting to try again; failed loads in a row, of any tag. */
const trying = new WeakSet<Element>();
let failures = 0;

/**
 * Loads the chunk of one element's tag, then watches its shadow root once it is defined and upgraded. A failure is
 * said on the element and tried again later, if the element is still in the document then.
 */
function found(element: Element): void {
  const tag = element.localName;
  if (customElements.get(tag)) return watchShadowOf(element);
  if (trying.has(element)) return;
  trying.add(element);
  loadElement(tag).then(
    () => {
      trying.delete(element);
      failures = 0;
      watchShadowOf(element);
    },
    ({ message }: Error) => {
      console.warn(message);
      const detail: PresenceErrorDetail = { kind: 'load', message };
      element.dispatchEvent(new CustomEvent('presence-error', { detail, bubbles: true, composed: true }));
      // Tried again after 2 s, doubling each time up to a minute, or as soon as the browser is back online.
      const again = () => {
        clearTimeout(timer);
        removeEventListener('online', again);
        trying.delete(element);
        if (element.isConnected) found(element);
      };
      const timer = setTimeout(again, Math.min(60_000, 2_000 * 2 ** failures++));
      addEventListener('online', again);
    },
  );
}

/** Finds the known tags in `root` (itself included, when it is an element) and loads their chunks. */
export function discover(root: Document | ShadowRoot | Element): void {
  if (root instanceof Element && isKnown(root.localName)) found(root);
  for (const element of root.querySelectorAll(SELECTOR)) found(element);
}

function start(): void {
  if (observer || typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) discover(node);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  discover(document);
}

start();
