import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messagesFor } from '../../presence/i18n.js';
import type { PresenceMessages } from '../../presence/messages.js';

type Host = ReactiveControllerHost & HTMLElement;

const hosts = new Set<Host>();
let observer: MutationObserver | undefined;

function observeLanguageChanges(): void {
  if (observer || typeof MutationObserver === 'undefined' || typeof document === 'undefined') return;
  observer = new MutationObserver(() => {
    for (const host of hosts) host.requestUpdate();
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/** The nearest `lang` attribute, looking through shadow roots, then the document's, then the browser's. */
export function languageOf(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    node = node.parentNode ?? ((node as Partial<ShadowRoot>).host ?? null);
  }
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

/**
 * Gives an element the words of its language, following `lang` on it or any ancestor, and re-renders it when a
 * `lang` attribute anywhere on the page changes. One observer serves every element.
 */
export class LocaleController implements ReactiveController {
  constructor(private readonly host: Host) {
    host.addController(this);
  }

  get messages(): PresenceMessages {
    return messagesFor(languageOf(this.host));
  }

  hostConnected(): void {
    hosts.add(this.host);
    observeLanguageChanges();
  }

  hostDisconnected(): void {
    hosts.delete(this.host);
    if (hosts.size === 0) {
      observer?.disconnect();
      observer = undefined;
    }
  }
}
