import { isServer, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { emit } from '../../events/emit.js';
import { retryLater } from '../../loading/retry-later.js';
import { localeReady, messagesFor, onLocalesChanged } from '../../presence/i18n.js';
import type { PresenceMessages } from '../../presence/messages.js';
import { canonicalLocale } from '../../people/initials.js';
import { noteServerRender, rendersAsServer } from './server-rendered.js';

type Host = ReactiveControllerHost & HTMLElement;

const controllers = new Set<LocaleController>();
/** The controllers to check at the next frame: all of them after a `lang` change, else those just connected. */
const pending = new Set<LocaleController>();
let everyone = false;
let observer: MutationObserver | undefined;
let stopListening: (() => void) | undefined;
let frame = 0;

/** Once per frame at most, whatever the number of `lang` changes: only hosts whose language changed re-render. */
function scheduleCheck(controller?: LocaleController): void {
  if (controller) pending.add(controller);
  else everyone = true;
  if (frame) return;
  const check = () => {
    frame = 0;
    const due = everyone ? [...controllers] : [...pending].filter((c) => controllers.has(c));
    everyone = false;
    pending.clear();
    for (const c of due) c.check();
  };
  frame =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(check)
      : (setTimeout(check, 16) as unknown as number);
}

/** The browser's language changed: it is the language of every element with no `lang` above it. */
function onLanguageChange(): void {
  scheduleCheck();
}

function observeLanguageChanges(): void {
  if (observer || typeof MutationObserver === 'undefined' || typeof document === 'undefined') return;
  observer = new MutationObserver(() => scheduleCheck());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  globalThis.addEventListener?.('languagechange', onLanguageChange);
  // A locale arrived (loaded on demand, or registered): hosts that showed a fallback re-render in its words.
  stopListening = onLocalesChanged(() => scheduleCheck());
}

function stopObserving(): void {
  observer?.disconnect();
  observer = undefined;
  globalThis.removeEventListener?.('languagechange', onLanguageChange);
  stopListening?.();
  stopListening = undefined;
}

/**
 * The nearest `lang` attribute, looking through shadow roots, then the browser's language; canonical (`en_US` is
 * `en-US`), or undefined when the tag is not a language tag (`C`, `*`) or there is none.
 *
 * Server-side rendering has no `Element` global and no tree above the element: only the element's own `lang`
 * counts there, and the server's language is not the reader's, so there is no fallback (the words are English).
 */
export function languageOf(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    // Elements are the nodes with attributes (shadow roots and documents have none); no `instanceof Element`,
    // which the server does not define.
    const lang = (node as Partial<Element>).getAttribute?.('lang');
    if (lang) return canonicalLocale(lang);
    node = node.parentNode ?? (node as Partial<ShadowRoot>).host ?? null;
  }
  if (isServer) return undefined;
  return canonicalLocale(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/**
 * Gives an element the words of its language, following `lang` on it or any ancestor. When a `lang` attribute
 * anywhere on the page changes, the element re-renders only if its own language changed, at most once a frame.
 * One observer serves every element.
 */
export class LocaleController implements ReactiveController {
  /** The language the host last rendered in, and the words it rendered with. */
  private rendered: string | undefined;
  private shown: PresenceMessages | undefined;
  /** Failed loads of the host's locale in a row, and the try again waiting. */
  private failures = 0;
  private retry: (() => void) | undefined;

  constructor(private readonly host: Host) {
    noteServerRender(host);
    host.addController(this);
  }

  /**
   * The host's language, as its words and initials use it. A render that must match the server's (see
   * `rendersAsServer`) uses the host's own `lang` only, as the server did; the check after connecting catches up.
   */
  get language(): string | undefined {
    const language = rendersAsServer(this.host)
      ? canonicalLocale(this.host.getAttribute('lang'))
      : languageOf(this.host);
    return (this.rendered = language);
  }

  get messages(): PresenceMessages {
    return (this.shown = messagesFor(this.language));
  }

  /**
   * Undefined when the words of the host's language are here; else a promise settled when they arrive (a built-in
   * locale loaded on demand). Elements wait for it before rendering, so that a page in Arabic never shows English
   * words first. A locale that fails to load is said (`presence-error`, kind `load`): English meanwhile, and the
   * host renders again a few seconds later (longer after each failure, at most a minute) or once the browser is
   * back online, which loads it again.
   */
  ready(): Promise<void> | undefined {
    return localeReady(languageOf(this.host))?.then((error) => {
      if (!error) return void (this.failures = 0);
      console.warn(`<${this.host.localName}>: ${error.message}`);
      emit(this.host, 'presence-error', { kind: 'load', message: error.message });
      this.retry?.();
      this.retry = retryLater(this.failures++, () => this.host.requestUpdate());
    });
  }

  /** Re-renders the host when its language, or the words of that language, are no longer those it rendered with. */
  check(): void {
    const language = languageOf(this.host);
    if (language !== this.rendered || (this.shown && messagesFor(language) !== this.shown)) this.host.requestUpdate();
  }

  hostConnected(): void {
    controllers.add(this);
    observeLanguageChanges();
    // Moved under another `lang` while away: the next frame's check catches it.
    scheduleCheck(this);
  }

  hostDisconnected(): void {
    controllers.delete(this);
    if (controllers.size === 0) stopObserving();
  }
}
