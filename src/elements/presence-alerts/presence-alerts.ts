import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { AvailabilityAlert } from '../../client/availability-alerts.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { emit } from '../../events/emit.js';
import type { MemberEventDetail } from '../../events/member-detail.js';
import { fillWords, notifyWords } from '../../presence/notify-messages.js';
import { ClientController } from '../shared/client-controller.js';
import { LocaleController } from '../shared/locale-controller.js';
import '../shared/server-render.js';
import { rendersAsServer } from '../shared/server-rendered.js';
import {
  askDesktopPermission,
  desktopPermission,
  notifyDesktop,
  type DesktopPermission,
} from './desktop-notifications.js';
import { styles } from './presence-alerts.styles.js';
import { ToastQueue } from './toast-queue.js';
import { ownState } from '../shared/own-state.js';

/** How long a toast stays by default, in milliseconds. */
export const DEFAULT_TOAST_MS = 8000;

/**
 * @summary "Notify me when available": a toast when someone the user waits for becomes available, and the list of
 * people waited for.
 *
 * @tag presence-alerts
 *
 * Place it once in a page. It listens to its client (`client.onAvailabilityAlert`): for each alert it sends the
 * cancelable `presence-alert` event, then shows a toast ("Adele Vance is now available") in a polite live region,
 * which hides by itself after `duration` (not while the pointer is over it or focus is inside it) or when
 * dismissed (its close button, or Escape inside it). Alerts that come while one is shown wait their turn. Below its toast, it lists the people the user
 * waits for, each removable, with "Clear all", and a button that asks the browser, from its click only, to also
 * show system notifications (one per person: a later one replaces it).
 *
 * @slot actions - Buttons for the toast (such as "Invite to chat"); `current` says whom the toast is about.
 * @slot message - The toast's text, in place of "Adele Vance is now available" (update it on `presence-alert`).
 *
 * @event {PresenceAlertEvent} presence-alert - Someone waited for has just become available; sent before the toast
 *   shows. Cancelable: `preventDefault()` shows no toast and no system notification. Bubbles and is composed.
 *
 * @csspart region - The live region (`role="status"`) that holds the toast.
 * @csspart toast - The toast.
 * @csspart avatar - The avatar in the toast.
 * @csspart message - The toast's text.
 * @csspart actions - Where the `actions` slot goes.
 * @csspart dismiss - The toast's close button.
 * @csspart list - The list of people waited for.
 * @csspart heading - The list's heading.
 * @csspart item - A person waited for.
 * @csspart remove - The button that stops waiting for one person.
 * @csspart clear - The "Clear all" button.
 * @csspart desktop - The "Also notify me on the desktop" button.
 * @csspart desktop-status - What the browser allows, once asked.
 *
 * @cssproperty [--presence-alerts-background=#ffffff] - The toast's background (#292929 on dark pages).
 * @cssproperty [--presence-alerts-color=#242424] - The toast's and the list's text (#ffffff on dark pages).
 * @cssproperty [--presence-alerts-accent=#0f6cbd] - Buttons and the toast's edge (#479ef5 on dark pages).
 * @cssproperty [--presence-alerts-radius=8px] - The toast's corners.
 * @cssproperty [--presence-alerts-shadow] - The toast's shadow.
 * @cssproperty [--presence-alerts-inset=16px] - The toast's distance from the bottom and end of the window.
 * @cssproperty [--presence-alerts-width=360px] - The toast's largest width.
 * @cssproperty [--presence-font-family] - The font (Segoe UI, then the system font).
 * @cssproperty [--presence-status-color=#616161] - The list's notes ("You are not waiting for anyone.") (#d6d6d6 on
 *   dark pages).
 */
export class PresenceAlerts extends LitElement {
  static override styles = styles;

  // The reactive properties, declared here rather than with decorators, whose code would be one more file to load.
  static override properties = {
    ...ownState('waiting', 'permission'),
    duration: { type: Number },
    hideList: { type: Boolean, reflect: true, attribute: 'hide-list' },
  };

  /** How long a toast stays, in milliseconds; 0 keeps it until dismissed. */
  duration = 8000;

  /** Hides the list of people waited for (toasts only). */
  hideList = false;

  /** @internal */
  private waiting: string[] = [];
  /** @internal */
  private permission: DesktopPermission = desktopPermission();

  /** @internal */
  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  /** @internal */
  private readonly clients = new ClientController(this, () => this.requestUpdate());
  /** @internal */
  private readonly toasts = new ToastQueue(this, () => {
    const ms = typeof this.duration === 'number' ? this.duration : Number(this.duration);
    return Number.isFinite(ms) ? ms : DEFAULT_TOAST_MS;
  });
  /** @internal */
  private listening: PresenceClient | undefined;
  /** @internal */
  private stops: Array<() => void> = [];
  /** @internal Names of the people waited for, kept live. */
  private readonly named = new Map<string, () => void>();

  /** The alert the toast shows now, or undefined. */
  get current(): MemberEventDetail | undefined {
    return this.toasts.current;
  }

  /** Hides the toast shown now. */
  dismiss(): void {
    this.toasts.dismiss();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(undefined);
  }

  protected override willUpdate(): void {
    this.follow(this.isConnected ? this.clients.client : undefined);
    this.watchNames();
  }

  /** @internal */
  private follow(client: PresenceClient | undefined): void {
    if (client === this.listening) return;
    for (const stop of this.stops) stop();
    this.stops = [];
    // Not following any client: the names followed so far are let go.
    this.listening = undefined;
    this.watchNames();
    this.listening = client;
    this.waiting = [];
    if (!client) return;
    this.stops = [
      client.onAvailabilityAlert((alert) => this.alerted(alert)),
      // A change of `waiting` renders again, and the names follow it there (willUpdate).
      client.onWaitingChange((ids) => (this.waiting = ids)),
    ];
    this.waiting = client.waitingFor();
  }

  /**
   * @internal Keeps coming the names of the people waited for (the list shows them) and of the toast's person, who
   * may have left the list before their name was read. Following no client, none.
   */
  private watchNames(): void {
    const client = this.listening;
    const shown = this.toasts.current?.userId;
    const ids = !client ? [] : shown && !this.waiting.includes(shown) ? [...this.waiting, shown] : this.waiting;
    for (const [id, stop] of this.named)
      if (!ids.includes(id)) {
        stop();
        this.named.delete(id);
      }
    if (!client) return;
    for (const id of ids)
      if (!this.named.has(id))
        this.named.set(
          id,
          client.watch(id, () => this.requestUpdate(), { photo: false }),
        );
  }

  /** @internal */
  private alerted(alert: AvailabilityAlert): void {
    const detail: MemberEventDetail = { ...alert, notified: true };
    if (!emit(this, 'presence-alert', detail, { cancelable: true })) return;
    this.toasts.show(detail);
    const m = this.locale.messages;
    const name = this.nameOf(alert.userId, alert.displayName);
    notifyDesktop(fillWords(notifyWords(m).nowAvailable, { name }), {
      body: m.availability.Available,
      tag: `presence-available:${alert.userId}`,
      lang: m.locale,
      dir: m.dir,
    });
  }

  /** @internal */
  private nameOf(id: string, known?: string | null): string {
    return known || this.listening?.peek(id).profile?.displayName || this.locale.messages.unnamed;
  }

  /** @internal */
  private readonly onDesktop = async (): Promise<void> => {
    // Asked from this click only: never without one.
    this.permission = await askDesktopPermission();
  };

  /** @internal Escape, with focus in the toast, dismisses it. */
  private readonly onToastKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.toasts.dismiss();
  };

  /** @internal */
  private readonly onClear = (): void => this.listening?.alerts.clear();

  /** @internal */
  private renderToast() {
    const alert = this.toasts.current;
    if (!alert) return nothing;
    const words = notifyWords(this.locale.messages);
    const text = fillWords(words.nowAvailable, { name: this.nameOf(alert.userId, alert.displayName) });
    return html`<div
      part="toast"
      class="toast"
      data-paused=${this.toasts.paused ? 'true' : 'false'}
      @pointerenter=${this.toasts.onPointerEnter}
      @pointerleave=${this.toasts.onPointerLeave}
      @focusin=${this.toasts.onFocusIn}
      @focusout=${this.toasts.onFocusOut}
      @keydown=${this.onToastKey}
    >
      <presence-avatar part="avatar" size="small" user-id=${alert.userId} aria-hidden="true"></presence-avatar>
      <div class="body">
        <p part="message" class="message" dir="auto"><slot name="message">${text}</slot></p>
        <div part="actions" class="actions"><slot name="actions"></slot></div>
      </div>
      <button part="dismiss" class="dismiss" type="button" aria-label=${words.dismiss} title=${words.dismiss} @click=${() => this.toasts.dismiss()}>
        <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.6 3.6a.5.5 0 0 1 .7 0L8 7.3l3.7-3.7a.5.5 0 1 1 .7.7L8.7 8l3.7 3.7a.5.5 0 0 1-.7.7L8 8.7l-3.7 3.7a.5.5 0 0 1-.7-.7L7.3 8 3.6 4.3a.5.5 0 0 1 0-.7Z"></path></svg>
      </button>
    </div>`;
  }

  /** @internal */
  private renderDesktop() {
    const words = notifyWords(this.locale.messages);
    // The server cannot know the browser's permission: the render that hydrates its HTML leaves it out too.
    switch (rendersAsServer(this) ? 'unsupported' : this.permission) {
      case 'default':
        return html`<button part="desktop" class="link" type="button" @click=${this.onDesktop}>${words.desktop}</button>`;
      case 'granted':
        return html`<p part="desktop-status" class="note">${words.desktopOn}</p>`;
      case 'denied':
        return html`<p part="desktop-status" class="note">${words.desktopBlocked}</p>`;
      default:
        return nothing;
    }
  }

  /** @internal */
  private renderList() {
    if (this.hideList) return nothing;
    const words = notifyWords(this.locale.messages);
    const client = this.listening;
    return html`<section part="list" class="list" aria-labelledby="heading">
      <p part="heading" id="heading" class="heading">${fillWords(words.waitingFor, { count: this.waiting.length })}</p>
      ${
        this.waiting.length
          ? html`<ul>
            ${repeat(
              this.waiting,
              (id) => id,
              (id) =>
                html`<li part="item" class="item">
                  <presence-avatar size="extra-small" show-name user-id=${id}></presence-avatar>
                  <button part="remove" class="remove" type="button" aria-label=${fillWords(words.remove, { name: this.nameOf(id) })} title=${fillWords(words.remove, { name: this.nameOf(id) })} @click=${() => client?.stopNotifyWhenAvailable(id)}>
                    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.6 3.6a.5.5 0 0 1 .7 0L8 7.3l3.7-3.7a.5.5 0 1 1 .7.7L8.7 8l3.7 3.7a.5.5 0 0 1-.7.7L8 8.7l-3.7 3.7a.5.5 0 0 1-.7-.7L7.3 8 3.6 4.3a.5.5 0 0 1 0-.7Z"></path></svg>
                  </button>
                </li>`,
            )}
          </ul>
          <button part="clear" class="link" type="button" @click=${this.onClear}>${words.clearAll}</button>`
          : html`<p class="note">${words.nobody}</p>`
      }
      ${this.renderDesktop()}
    </section>`;
  }

  protected override render(): TemplateResult {
    return html`<div part="region" class="region" role="status" aria-live="polite">${this.renderToast()}</div>
      ${this.renderList()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-alerts': PresenceAlerts;
  }
}
