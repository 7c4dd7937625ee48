// Opens a `<presence-card>` from another element: an avatar (click, Enter or Space, or hover) or a list's row.
import type { ReactiveController, TemplateResult } from 'lit';
import {
  Directive,
  PartType,
  directive,
  type ElementPart,
  type PartInfo,
  type DirectiveResult,
} from 'lit/directive.js';
import { realScheduler, type Scheduler, type TimerHandle } from '../../client/scheduler.js';
import type { RenderingHost } from '../shared/client-controller.js';
import { text } from '../shared/coerce.js';
import { html, nothing } from '../shared/template.js';
import { styleProperties } from '../shared/style-properties.js';
import { cardMode, type CardMode } from './card-mode.js';
import type { PresenceCard } from './presence-card.js';

export { cardMode, type CardMode } from './card-mode.js';

/** The opener's timing. Tests put a clock of their own here. */
export const cardTiming: { scheduler: Scheduler; hoverDelayMs: number; leaveGraceMs: number } = {
  scheduler: realScheduler,
  hoverDelayMs: 500,
  leaveGraceMs: 300,
};

/** The parts of the card a page can style through the opener: `presence-avatar::part(card-name)`. */
const EXPORTED = [
  'base',
  'photo',
  'name',
  'title',
  'presence',
  'message',
  'out-of-office',
  'actions',
  'action',
  'close',
];

/** Out of sight, still read: the usual visually hidden text, set through the CSS object model. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  padding: '0',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  'white-space': 'nowrap',
  border: '0',
};

/** The element that has focus, looking into shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** Sets the opener's ARIA and focus attributes on an element of the host's template. */
class OpenerAttributes extends Directive {
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('The card opener belongs on an element.');
  }

  render(_attributes: Record<string, string | null>): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [attributes]: [Record<string, string | null>]): typeof nothing {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null) part.element.removeAttribute(name);
      else if (part.element.getAttribute(name) !== value) part.element.setAttribute(name, value);
    }
    return nothing;
  }
}
const openerAttributes = directive(OpenerAttributes);

export interface OpenerSettings {
  /** The `card` setting (see `cardMode`). */
  mode: unknown;
  /** Who the card is for. */
  userId: unknown;
}

/**
 * Opens its host's card: one `<presence-card>` made on first use in the host's shadow root (so it finds the same
 * client, language and custom properties), shown next to an anchor. Opened from the keyboard, focus moves into the
 * card, and Escape brings it back. With `listen`, the host's own clicks, keys, pointer and focus open it (an
 * avatar); without, the host calls `openFor` (a list, from its rows).
 */
export class CardOpener implements ReactiveController {
  card: PresenceCard | undefined;
  private timer: TimerHandle | undefined;
  private keyboard = false;
  private pressedWhileOpen = false;

  constructor(
    private readonly host: RenderingHost,
    private readonly settings: () => OpenerSettings,
    private readonly listen = true,
  ) {
    host.addController(this);
  }

  get mode(): CardMode {
    return cardMode(this.settings().mode);
  }

  get isOpen(): boolean {
    return !!this.card?.open;
  }

  /** The opener's attributes for the host's focusable element: a button that opens a dialog, or `fallbackRole`. */
  attributes(fallbackRole: string): DirectiveResult<typeof OpenerAttributes> {
    const on = this.mode !== 'off';
    return openerAttributes({
      role: on ? 'button' : fallbackRole,
      tabindex: on ? '0' : null,
      'aria-haspopup': on ? 'dialog' : null,
      'aria-expanded': on ? String(this.isOpen) : null,
    });
  }

  /**
   * The label for the host's `aria-label`: none while it is a button. A button named by `aria-label` must show its
   * name (WCAG 2.5.3, label in name), and the initials it shows are not the name: the button is named by its content,
   * a visually hidden copy of the label (`hiddenLabel`), instead.
   */
  label(label: string): string | typeof nothing {
    return this.mode === 'off' ? label : nothing;
  }

  /** The visually hidden label inside the button (nothing when the host is no button). */
  hiddenLabel(label: string): TemplateResult | typeof nothing {
    if (this.mode === 'off') return nothing;
    return html`<span ${styleProperties(VISUALLY_HIDDEN)}>${label}</span>`;
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKey, true);
    this.host.addEventListener('pointerdown', this.onPress, true);
    if (!this.listen) return;
    this.host.addEventListener('click', this.onClick);
    this.host.addEventListener('pointerenter', this.onEnter);
    this.host.addEventListener('pointerleave', this.onLeave);
    this.host.addEventListener('focusin', this.onFocusIn);
    this.host.addEventListener('focusout', this.onLeave);
  }

  hostDisconnected(): void {
    for (const [type, listener] of [
      ['click', this.onClick],
      ['pointerenter', this.onEnter],
      ['pointerleave', this.onLeave],
      ['focusin', this.onFocusIn],
      ['focusout', this.onLeave],
    ] as const)
      this.host.removeEventListener(type, listener as EventListener);
    this.host.removeEventListener('keydown', this.onKey, true);
    this.host.removeEventListener('pointerdown', this.onPress, true);
    this.cancel();
    this.card?.hide();
  }

  /** Opens the card for `userId` next to `anchor`; focus moves in when the last input was the keyboard. */
  openFor(userId: string, anchor: Element, returnFocus = deepActiveElement()): void {
    this.cancel();
    const card = this.cardElement();
    if (!card) return;
    if (typeof card.show !== 'function') {
      // Not defined yet: the autoloader loads `<presence-card>` now that one is in the page; open it once it is.
      const keyboard = this.keyboard;
      void customElements.whenDefined('presence-card').then(() => {
        if (!this.host.isConnected || typeof card.show !== 'function') return;
        this.keyboard = keyboard;
        this.openFor(userId, anchor, returnFocus);
      });
      return;
    }
    card.userId = userId;
    card.show(anchor, { focus: this.keyboard, returnFocus });
    this.host.requestUpdate();
  }

  close(): void {
    this.cancel();
    this.card?.hide();
  }

  private cardElement(): PresenceCard | undefined {
    if (this.card) return this.card;
    const root = this.host.renderRoot;
    if (!root) return undefined;
    const card = document.createElement('presence-card') as PresenceCard;
    card.setAttribute('exportparts', EXPORTED.map((p) => `${p}:card-${p}`).join(', '));
    card.addEventListener('toggle', () => this.host.requestUpdate());
    card.addEventListener('pointerenter', this.cancel);
    card.addEventListener('pointerleave', this.onLeave);
    card.addEventListener('focusout', this.onLeave);
    root.appendChild(card);
    this.card = card;
    return card;
  }

  /** The host's focusable element (its `part="base"`), or the host. */
  private anchor(): HTMLElement {
    return this.host.renderRoot.querySelector<HTMLElement>('[part~="base"]') ?? this.host;
  }

  private openHere(): void {
    const userId = text(this.settings().userId)?.trim();
    if (userId) this.openFor(userId, this.anchor(), this.anchor());
  }

  private readonly cancel = (): void => {
    if (this.timer !== undefined) cardTiming.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  };

  private later(ms: number, run: () => void): void {
    this.cancel();
    this.timer = cardTiming.scheduler.setTimeout(() => {
      this.timer = undefined;
      run();
    }, ms);
  }

  private readonly onPress = (event: Event): void => {
    this.keyboard = false;
    // A press outside an open popover closes it before the click: that click must not open it again.
    this.pressedWhileOpen = this.isOpen && !event.composedPath().includes(this.card!);
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    this.keyboard = true;
    if (!this.listen || this.mode === 'off' || (event.key !== 'Enter' && event.key !== ' ')) return;
    if (this.card && event.composedPath().includes(this.card)) return;
    event.preventDefault();
    this.openHere();
  };

  private readonly onClick = (event: MouseEvent): void => {
    if (this.mode === 'off' || (this.card && event.composedPath().includes(this.card))) return;
    const wasOpen = this.pressedWhileOpen || this.isOpen;
    this.pressedWhileOpen = false;
    if (wasOpen) this.close();
    else this.openHere();
  };

  private readonly onEnter = (): void => {
    if (this.mode !== 'hover') return;
    if (this.isOpen) this.cancel();
    else this.later(cardTiming.hoverDelayMs, () => this.openHere());
  };

  private readonly onFocusIn = (event: FocusEvent): void => {
    if (this.mode !== 'hover' || (this.card && event.composedPath().includes(this.card))) return;
    this.onEnter();
  };

  /** Pointer or focus left the avatar or the card: a hover card closes after a grace period, unless it comes back. */
  private readonly onLeave = (event: Event): void => {
    if (this.mode !== 'hover') return;
    const next = (event as FocusEvent).relatedTarget as Node | null;
    if (next && (this.host.contains(next) || this.host.renderRoot.contains(next))) return;
    if (!this.isOpen) return this.cancel();
    // A card the keyboard moved into stays until Escape or a click outside.
    if (this.card!.matches(':focus-within') && event.type !== 'focusout') return;
    this.later(cardTiming.leaveGraceMs, () => this.card?.hide());
  };
}
