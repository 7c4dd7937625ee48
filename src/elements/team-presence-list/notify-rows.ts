// "Notify me when available" on the rows of a team list: a bell per row for the pointer, the N key for the active
// row, and the state in each row's accessible name.
//
// The list is a listbox whose focus stays on the list while aria-activedescendant names the active row: a button
// inside an option would be interactive content nested in an option (WAI-ARIA allows none there) and a tab stop in
// every one of 10,000 rows. So the keyboard way is one key on the listbox (N, announced by aria-keyshortcuts and a
// description), the pointer's way is the bell drawn on each row (hidden from assistive technology, which hears the
// row's state and the key instead), and each row says "you will be notified when available" while armed.
import { css, html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import type { PresenceMessages } from '../../presence/messages.js';
import { notifyWords } from '../../presence/notify-messages.js';
import type { Host } from '../shared/client-controller.js';
import { bellIcon } from '../shared/notify-controller.js';

/** The key that arms or disarms the active row. */
export const NOTIFY_KEY = 'n';
/** The id of the list's description of that key (in the list's shadow root). */
export const NOTIFY_HINT_ID = 'notify-hint';

export interface NotifyRowsOptions {
  client: () => PresenceClient | undefined;
  /** The active row's member id. */
  activeId: () => string | null;
  /** The scrolling listbox, once rendered. */
  scroller: () => HTMLElement | null;
}

/** Follows the people the client waits for, and arms or disarms a row's member from a click or the N key. */
export class NotifyRows implements ReactiveController {
  private waiting = new Set<string>();
  private listening: PresenceClient | undefined;
  private stop: (() => void) | undefined;

  constructor(
    private readonly host: Host,
    private readonly options: NotifyRowsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKey);
    this.listen(undefined);
  }

  hostUpdate(): void {
    this.listen(this.host.isConnected ? this.options.client() : undefined);
  }

  /** Whether the user waits for `id`. */
  armed(id: string): boolean {
    return this.waiting.has(id);
  }

  /** Arms `id` when it is not, disarms it when it is. */
  toggle(id: string): void {
    const client = this.options.client();
    if (!client) return;
    if (client.alerts.has(id)) client.stopNotifyWhenAvailable(id);
    else client.notifyWhenAvailable(id);
  }

  /** The row's bell (pointer only) and, while armed, the words its accessible name ends with. */
  row(id: string, messages: PresenceMessages): TemplateResult {
    const words = notifyWords(messages);
    const on = this.armed(id);
    // Hidden from assistive technology, which has the N key and the row's own words (see the top of this file).
    return html`<span part="notify" class="notify ${on ? 'on' : ''}" aria-hidden="true" title=${on ? words.stopNotify : words.notifyMe} @click=${(event: Event) => this.onClick(event, id)}>${bellIcon}</span>${on ? html`<span class="visually-hidden">${messages.separator}${words.armed}</span>` : nothing}`;
  }

  /** The description of the N key, for the listbox's aria-describedby. */
  hint(messages: PresenceMessages): TemplateResult {
    return html`<span id=${NOTIFY_HINT_ID} class="visually-hidden">${notifyWords(messages).keyHint}</span>`;
  }

  private onClick(event: Event, id: string): void {
    // The bell is not a choice of the row: no presence-select.
    event.stopPropagation();
    this.toggle(id);
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key.toLowerCase() !== NOTIFY_KEY || event.ctrlKey || event.metaKey || event.altKey) return;
    const scroller = this.options.scroller();
    if (!scroller || event.composedPath()[0] !== scroller) return;
    const id = this.options.activeId();
    if (!id) return;
    event.preventDefault();
    this.toggle(id);
  };

  private listen(client: PresenceClient | undefined): void {
    if (client === this.listening) return;
    this.stop?.();
    this.stop = undefined;
    this.listening = client;
    this.waiting = new Set();
    if (!client) return;
    this.stop = client.onWaitingChange((ids) => {
      this.waiting = new Set(ids);
      this.host.requestUpdate();
    });
    this.waiting = new Set(client.waitingFor());
  }
}

/** The bell on each row, and the words only assistive technology reads. */
export const notifyRowStyles = css`
  .notify {
    flex: none;
    margin-inline-start: auto;
    inline-size: 24px;
    block-size: 24px;
    display: grid;
    place-items: center;
    border-radius: 4px;
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
    opacity: 0;
    cursor: pointer;
  }
  .notify svg {
    inline-size: 16px;
    block-size: 16px;
  }
  @media (hover: none) {
    .notify {
      opacity: 1;
    }
  }
  .row:hover .notify,
  .row.active .notify,
  .notify.on {
    opacity: 1;
  }
  .notify.on {
    color: var(--presence-bell-color, light-dark(#0f6cbd, #479ef5));
  }
  .notify:hover {
    background: light-dark(#e0e0e0, #3d3d3d);
  }
  @media (forced-colors: active) {
    .notify.on {
      color: Highlight;
    }
  }
`;
