// An element's part in "notify me when available": arms its client for its person while asked to, says so, and
// sends `presence-available` when the alert fires.
import type { ReactiveController, SVGTemplateResult, TemplateResult } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import { emit } from '../../events/emit.js';
import type { PresenceMessages } from '../../presence/messages.js';
import { notifyWords } from '../../presence/notify-messages.js';
import { bellStyles } from './bell.styles.js';
import { html, nothing, svg } from './template.js';
import type { Host } from './client-controller.js';

/** What the host asks: its client, its person's key, and whether it wants the alert. */
export interface NotifyRequest {
  client: PresenceClient | undefined;
  key: string | null | undefined;
  on: boolean;
}

/** A small bell, drawn in the text colour of its part (`currentColor`). */
export const bellIcon: SVGTemplateResult = svg`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" d="M8 1.5a4 4 0 0 0-4 4v2.6L2.7 10.7A.5.5 0 0 0 3.1 11.5h9.8a.5.5 0 0 0 .4-.8L12 8.1V5.5a4 4 0 0 0-4-4ZM6.3 12.5a1.8 1.8 0 0 0 3.4 0H6.3Z"></path></svg>`;

/**
 * Adds the bell's styles to the host's shadow root, once: they come with this controller, which an avatar loads the
 * first time it is asked to notify, rather than with every avatar's styles.
 */
function addBellStyles(root: unknown): void {
  if (typeof ShadowRoot === 'undefined' || !(root instanceof ShadowRoot)) return;
  const sheet = bellStyles.styleSheet;
  if (sheet) {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  // No constructable style sheets: a style element, with the page's nonce as Lit gives it to its own.
  if (root.querySelector('style[data-bell]')) return;
  const style = document.createElement('style');
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  if (nonce) style.setAttribute('nonce', nonce);
  style.dataset.bell = '';
  style.textContent = bellStyles.cssText;
  root.append(style);
}

/**
 * Arms the client for the host's person when `on` turns true (once per person and client: after the alert has
 * fired, the person is armed again only when `on` is set again or the person changes), disarms it when `on` turns
 * false, and sends `presence-available` (with `notified: true`) from the host when the alert fires. The host
 * re-renders when the list of people waited for changes.
 */
export class NotifyController implements ReactiveController {
  private armedFor: { client: PresenceClient; key: string } | undefined;
  private listening: PresenceClient | undefined;
  private stops: Array<() => void> = [];

  constructor(
    private readonly host: Host,
    private readonly request: () => NotifyRequest,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addBellStyles((this.host as Host & { renderRoot?: unknown }).renderRoot);
  }

  /** Whether the host asked, and its person is waited for now. */
  get armed(): boolean {
    const { client, key, on } = this.request();
    const trimmed = typeof key === 'string' ? key.trim() : '';
    return !!(on && client && trimmed && client.alerts.has(trimmed));
  }

  hostUpdate(): void {
    const { client, key, on } = this.request();
    const trimmed = typeof key === 'string' ? key.trim() : '';
    this.listen(this.host.isConnected && on ? client : undefined);
    const wanted = on && client && trimmed ? { client, key: trimmed } : undefined;
    const had = this.armedFor;
    if (had && wanted && had.client === wanted.client && had.key === wanted.key) return;
    // Unset, or set for someone else: the person it was set for is no longer waited for.
    const moved = !!had && !!wanted && had.client === wanted.client && had.key !== wanted.key;
    if (had && (!on || moved)) had.client.stopNotifyWhenAvailable(had.key);
    this.armedFor = wanted;
    wanted?.client.notifyWhenAvailable(wanted.key);
  }

  hostDisconnected(): void {
    // The person stays waited for (the list is the user's); only this element stops listening.
    this.listen(undefined);
  }

  /** The words added to the host's accessible name while armed ("…, you will be notified when available"). */
  description(messages: PresenceMessages): string {
    return this.armed ? `${messages.separator}${notifyWords(messages).armed}` : '';
  }

  /** The bell shown while armed. */
  bell(): TemplateResult | typeof nothing {
    return this.armed ? html`<span part="bell" class="bell">${bellIcon}</span>` : nothing;
  }

  private listen(client: PresenceClient | undefined): void {
    if (client === this.listening) return;
    for (const stop of this.stops) stop();
    this.stops = [];
    this.listening = client;
    if (!client) return;
    this.stops = [
      client.onWaitingChange(() => this.host.requestUpdate()),
      client.alerts.onAlert(
        (alert) => emit(this.host, 'presence-available', { ...alert, notified: true }),
        () => this.idOn(client),
      ),
    ];
  }

  /** The host's person's id, once the client knows it. */
  private idOn(client: PresenceClient): string | undefined {
    const key = this.request().key;
    return typeof key === 'string' && key.trim() ? client.peek(key.trim()).id : undefined;
  }
}
