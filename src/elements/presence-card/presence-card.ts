import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { describePresence } from '../../presence/i18n.js';
import { enCard } from '../../presence/locales/en-card.js';
import type { CardMessages } from '../../presence/card-messages.js';
import type { PresenceActionKind } from '../../events/presence-action.js';
import { emit } from '../../events/emit.js';
import { PersonController } from '../shared/person-controller.js';
import { reflectText, text } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import '../shared/server-render.js';
import { rendersAsServer } from '../shared/server-rendered.js';
import { actionDetail, notifyWhenAvailable, openLink, type Contact } from './card-actions.js';
import { positionCard, supportsPopover, toggleEvent } from './card-position.js';
import { styles } from './presence-card.styles.js';
import { ownState } from '../shared/own-state.js';

/** How the card was opened: `focus` moves focus into it (opened from the keyboard), `returnFocus` gets it back. */
export interface CardShowOptions {
  focus?: boolean;
  returnFocus?: HTMLElement | null;
}

const LINKS: Array<Exclude<PresenceActionKind, 'notify'>> = ['chat', 'call', 'video', 'email'];

/**
 * @summary A person's contact card: photo, name, job title, presence, status message and automatic reply, with
 * Teams actions (chat, call, video call), email, and "Notify me when available".
 *
 * @tag presence-card
 *
 * With `user-id`, the card watches that person through the nearest `<presence-provider>` (or the page's default
 * client), in the same batched reads as every avatar: a card for someone an avatar shows costs no request.
 * Rendered where it stands; `show(anchor)` opens it as a popup next to `anchor` (`popover="auto"` where the browser
 * has it: Escape and a click outside close it), `hide()` closes it. `<presence-avatar card>` and
 * `<team-presence-list card>` open one by themselves.
 *
 * @event {PresenceActionEvent} presence-action - An action was chosen; sent before its default (the link opens in
 *   a new tab; `notify` asks the client to tell when the person is available). `preventDefault()` skips the
 *   default. Bubbles, is composed and cancelable.
 *
 * @slot actions - Buttons of the app's own, after the built-in actions ("Start a session").
 *
 * @csspart base - The card, with `role="dialog"` (or `group` inline) named after the person.
 * @csspart photo - The person's avatar: photo, or initials.
 * @csspart name - The display name.
 * @csspart title - The job title.
 * @csspart presence - The presence line ("Busy, In a call").
 * @csspart message - The status message.
 * @csspart out-of-office - The automatic reply, when the person is out of office.
 * @csspart actions - The row of actions.
 * @csspart action - Each action (also `action-chat`, `action-call`, `action-video`, `action-email`, `action-notify`).
 * @csspart close - The close button (popups only).
 *
 * @cssproperty [--presence-card-width=320px] - The card's width.
 * @cssproperty [--presence-card-background=#ffffff] - The background (#292929 on dark pages).
 * @cssproperty [--presence-card-border-color=#e0e0e0] - The border (#404040 on dark pages).
 * @cssproperty [--presence-card-radius=8px] - The corners' radius.
 * @cssproperty [--presence-card-shadow] - The popup's shadow.
 * @cssproperty [--presence-card-action-color=#0f6cbd] - The actions' text and icons (#479ef5 on dark pages).
 * @cssproperty [--presence-font-family] - The font (Segoe UI, then the system font).
 * @cssproperty [--presence-name-color=#242424] - The name (#ffffff on dark pages).
 * @cssproperty [--presence-status-color=#616161] - The title, presence and messages (#d6d6d6 on dark pages).
 */
export class PresenceCard extends LitElement {
  static override styles = styles;

  // The reactive properties, declared here rather than with decorators, whose code would be one more file to load.
  static override properties = {
    ...ownState('notified'),
    userId: { attribute: 'user-id', reflect: true, converter: reflectText },
    open: { type: Boolean, reflect: true },
  };

  /** The person's Microsoft Entra object id (or userPrincipalName). */
  userId: string | null = null;

  /** True while the card is shown as a popup (`show()`). */
  open = false;

  /** @internal */
  private notified = false;

  /** @internal */
  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  /** @internal */
  private readonly person = new PersonController(this);
  /** @internal */
  private anchor: Element | null = null;
  /** @internal */
  private returnFocus: HTMLElement | null = null;
  /** @internal */
  private popup = false;

  /** Opens the card as a popup next to `anchor`. */
  show(anchor: Element, options: CardShowOptions = {}): void {
    this.anchor = anchor instanceof Element ? anchor : null;
    this.returnFocus = options.returnFocus ?? null;
    this.popup = true;
    if (supportsPopover(this)) {
      if (this.getAttribute('popover') !== 'auto') this.setAttribute('popover', 'auto');
      if (!this.matches(':popover-open')) this.showPopover();
    } else {
      // No popover in this browser: the card stands above the page, and a press outside closes it.
      this.setAttribute('data-fallback', '');
      document.addEventListener('pointerdown', this.onOutside, true);
    }
    this.open = true;
    this.place();
    addEventListener('scroll', this.place, { capture: true, passive: true });
    addEventListener('resize', this.place, { passive: true });
    if (options.focus) void this.updateComplete.then(() => this.focusFirst());
  }

  /** Closes the popup; with `restoreFocus`, focus goes back to what opened it. */
  hide({ restoreFocus = false } = {}): void {
    removeEventListener('scroll', this.place, { capture: true });
    removeEventListener('resize', this.place);
    document.removeEventListener('pointerdown', this.onOutside, true);
    if (supportsPopover(this) && this.matches(':popover-open')) this.hidePopover();
    if (!this.open) return;
    this.open = false;
    // A popover tells whoever opened it with its own `toggle`; without one, the card says it the same way.
    if (!supportsPopover(this)) this.dispatchEvent(toggleEvent());
    if (restoreFocus) this.returnFocus?.focus();
  }

  constructor() {
    super();
    // The card's own events: they go with it, nothing to remove.
    this.addEventListener('keydown', this.onKeyDown);
    this.addEventListener('toggle', this.onToggle as EventListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.hide();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('userId')) {
      this.person.setKey(text(this.userId));
      this.notified = false;
    }
  }

  protected override updated(): void {
    // What the card shows changes its size: placed again after every render while open.
    this.place();
  }

  /** @internal */
  private readonly place = (): void => {
    if (this.open && this.anchor?.isConnected) positionCard(this, this.anchor);
  };

  /** @internal */
  private focusFirst(): void {
    const root = this.renderRoot;
    const first = root.querySelector<HTMLElement>('[part~="action"]') ?? root.querySelector<HTMLElement>('.close');
    (first ?? root.querySelector<HTMLElement>('.base'))?.focus();
  }

  /** @internal */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.open) return;
    event.preventDefault();
    event.stopPropagation();
    this.hide({ restoreFocus: true });
  };

  /** A press outside the card (without popover, which does this by itself). */
  private readonly onOutside = (event: Event): void => {
    // A press on the anchor is its own to handle (an avatar's click closes the card it opened).
    const path = event.composedPath();
    if (!path.includes(this) && !(this.anchor && path.includes(this.anchor))) this.hide();
  };

  /** The browser closed the popover (Escape, a click outside, another popover). */
  private readonly onToggle = (event: Event & { newState?: string }): void => {
    if (event.newState !== 'closed' || !this.open) return;
    const focusInside = this.matches(':focus-within');
    this.hide({ restoreFocus: focusInside });
  };

  /** @internal */
  private contact(): Contact {
    const snapshot = this.person.snapshot;
    const profile = snapshot?.profile;
    return {
      userId: snapshot?.id ?? profile?.id ?? text(this.userId),
      userPrincipalName: text(profile?.userPrincipalName),
      mail: text(profile?.mail),
    };
  }

  /** @internal */
  private act(action: PresenceActionKind, event?: Event): void {
    event?.preventDefault();
    const detail = actionDetail(action, this.contact());
    if (!emit(this, 'presence-action', detail, { cancelable: true })) return;
    if (action !== 'notify') return openLink(detail);
    if (!detail.userId) return;
    try {
      this.notified = notifyWhenAvailable(this.person.client, detail.userId);
    } catch (error) {
      emit(this, 'presence-error', {
        kind: 'unavailable',
        message: `notify when available: ${error instanceof Error ? error.message : String(error)}`,
        userId: detail.userId,
      });
    }
  }

  /** @internal */
  private words(): Required<CardMessages> {
    const given = this.locale.messages.card;
    // A registered locale may leave the card's words out, or some of them: those are English.
    return {
      ...enCard,
      ...(Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => typeof v === 'string')) as CardMessages),
    };
  }

  protected override render(): TemplateResult {
    const messages = this.locale.messages;
    const words = this.words();
    const snapshot = this.person.snapshot;
    const profile = snapshot?.profile;
    const presence = snapshot?.presence;
    // Unknown once the directory answered without a name (or failed); empty (the card says "Loading…") before.
    const name = text(profile?.displayName) || (snapshot && !snapshot.profilePending ? messages.unnamed : '');
    // No client to load the person from (one may come later); not said on the server, which never has one.
    const label = name || (this.person.client || rendersAsServer(this) ? words.loading : words.noSource);
    const jobTitle = text(profile?.jobTitle);
    const statusLine = presence ? describePresence(presence, messages).join(messages.separator) : '';
    const oof = presence?.isOutOfOffice ? presence.outOfOfficeMessage : undefined;
    const contact = this.contact();
    const client = this.person.client;
    const canNotify = !!presence && presence.availability !== 'Available' && !!contact.userId && !!client;
    const waiting = this.notified || (!!contact.userId && !!client?.alerts.has(contact.userId));
    const dialog = this.popup && this.open;

    return html`<div part="base" class="base" role=${dialog ? 'dialog' : 'group'} aria-label=${label} tabindex="-1">
      <div class="header">
        <presence-avatar
          part="photo"
          aria-hidden="true"
          size="large"
          user-id=${contact.userId ?? nothing}
          display-name=${name}
          photo-url=${snapshot?.photoUrl ?? ''}
          ?hide-badge=${!presence}
          .presence=${presence ?? 'PresenceUnknown'}
        ></presence-avatar>
        <div class="identity">
          <div part="name" class="name" dir="auto">${label}</div>
          ${jobTitle ? html`<div part="title" class="title" dir="auto">${jobTitle}</div>` : nothing}
          ${presence ? html`<div part="presence" class="presence">${statusLine}</div>` : nothing}
        </div>
        ${
          dialog
            ? html`<button part="close" class="close" type="button" aria-label=${words.close} title=${words.close}
                @click=${() => this.hide({ restoreFocus: true })}>×</button>`
            : nothing
        }
      </div>
      ${presence?.statusMessage ? html`<p part="message" class="message" dir="auto">${presence.statusMessage}</p>` : nothing}
      ${
        oof
          ? html`<div part="out-of-office" class="oof"><span class="label">${words.automaticReply}</span>
              <p dir="auto">${oof}</p></div>`
          : nothing
      }
      <div part="actions" class="actions" role="group" aria-label=${words.actionsLabel.replace('{name}', () => label)}>
        ${LINKS.map((action) => {
          const href = actionDetail(action, contact).href;
          const word = { chat: words.chat, call: words.call, video: words.videoCall, email: words.email }[action];
          return href
            ? html`<a part="action action-${action}" class="action" href=${href} target="_blank" rel="noopener noreferrer"
                data-action=${action} @click=${(e: Event) => this.act(action, e)}>${word}</a>`
            : nothing;
        })}
        ${
          waiting && canNotify
            ? html`<span class="notified" role="status">${words.notifying}</span>`
            : canNotify
              ? html`<button part="action action-notify" class="action" type="button" data-action="notify"
                  @click=${() => this.act('notify')}>${words.notify}</button>`
              : nothing
        }
        <slot name="actions"></slot>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-card': PresenceCard;
  }
}
