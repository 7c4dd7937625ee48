import type { PropertyValues, TemplateResult } from 'lit';
import { readGivenPresence } from '../../presence/normalize.js';
import { describePresence } from '../../presence/i18n.js';
import { badgeFor } from '../../presence/status.js';
import { BADGE_STATUSES, type BadgeStatus, type GraphPresence, type Presence } from '../../presence/types.js';
import { emit } from '../../events/emit.js';
import { asGiven, reflectText, text } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import { BADGE_SIZES, cssSize, setSizeProperty, type BadgeSizeName } from '../shared/size.js';
import { ElementBase } from '../shared/element-base.js';
import { html, nothing } from '../shared/template.js';
import { badgeGlyph, badgeStatusLabel } from './badge-glyph.js';
import { styles } from './presence-badge.styles.js';

/**
 * @summary A Teams-style presence badge: the coloured glyph for a status, with an accessible name.
 *
 * @tag presence-badge
 *
 * @event {PresenceErrorEvent} presence-error - The `presence` attribute could not be read as a
 *   presence; the badge shows unknown. `kind: 'load'`: the words of its language could not be downloaded (English
 *   meanwhile; loaded again a few seconds later). Bubbles and is composed.
 *
 * @csspart base - The badge: a ring-coloured disc holding the glyph.
 *
 * @cssproperty [--presence-badge-size=16px] - The badge's diameter (the `size` attribute wins over it).
 * @cssproperty [--presence-badge-ring-color=#ffffff] - The ring around the badge and the fill of outlined glyphs (#292929 on dark pages).
 * @cssproperty [--presence-badge-ring-width] - The ring's width; one twelfth of the badge size by default (at least 1px).
 * @cssproperty [--presence-badge-mark-color=#ffffff] - The mark (check, bar, clock hands) on filled glyphs.
 * @cssproperty [--presence-color-available=#13a10e] - Available.
 * @cssproperty [--presence-color-busy=#d13438] - Busy.
 * @cssproperty [--presence-color-do-not-disturb=#d13438] - Do not disturb.
 * @cssproperty [--presence-color-away=#eaa300] - Away and be right back.
 * @cssproperty [--presence-color-offline=#616161] - Offline (#adadad on dark pages).
 * @cssproperty [--presence-color-out-of-office=#c239b3] - Out of office (#d24cc4 on dark pages).
 * @cssproperty [--presence-color-unknown=#616161] - Unknown (#adadad on dark pages).
 */
export class PresenceBadge extends ElementBase {
  static override styles = styles;

  // The reactive properties, declared here rather than with decorators (see PresenceAvatar).
  static override properties = {
    status: { reflect: true, converter: reflectText },
    outOfOffice: { type: Boolean, reflect: true, attribute: 'out-of-office' },
    presence: { converter: asGiven },
    size: { reflect: true, converter: reflectText },
    label: { converter: reflectText },
    decorative: { type: Boolean, reflect: true },
  };

  /** The status to draw. Ignored when `presence` is set. */
  status: BadgeStatus = 'unknown';

  /** Draws the out-of-office variant of the status. Ignored when `presence` is set. */
  outOfOffice = false;

  /**
   * A presence as Microsoft Graph sends it (property), or as JSON text (attribute). When set, it decides the
   * status, the out-of-office variant and the accessible name.
   */
  presence: GraphPresence | Presence | string | null = null;

  /** `tiny`, `extra-small`, `small`, `medium` (16px), `large`, `extra-large`, a number of pixels or a CSS length. */
  size: BadgeSizeName | (string & {}) | null = null;

  /** The accessible name; by default the localised status ("Busy", "Available, Out of office"). */
  label: string | null = null;

  /** Hides the badge from assistive technology, for when the surrounding text already says the status. */
  decorative = false;

  /** @internal */
  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  /** @internal */
  private normalized: Presence | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('presence')) {
      const given = readGivenPresence(this.presence);
      this.normalized = given?.presence;
      if (given?.error) {
        console.warn(`<presence-badge>: ${given.error}`);
        emit(this, 'presence-error', { kind: 'invalid-presence', message: given.error });
      }
    }
  }

  /** Sizes other than the named ones (which the styles draw by themselves): set once the badge has rendered. */
  protected override updated(_changed: PropertyValues<this>): void {
    setSizeProperty(this.renderRoot.querySelector('[part="base"]'), '--_badge-size', cssSize(this.size, BADGE_SIZES));
  }

  protected override render(): TemplateResult {
    const messages = this.locale.messages;
    let status: BadgeStatus = BADGE_STATUSES.includes(this.status) ? this.status : 'unknown';
    let outOfOffice = this.outOfOffice;
    let label: string;
    if (this.normalized) {
      ({ status, outOfOffice } = badgeFor(this.normalized));
      label = describePresence(this.normalized, messages).join(messages.separator);
    } else {
      label = badgeStatusLabel(status, outOfOffice, messages);
    }
    return html`<span
      part="base"
      class="badge"
      role=${this.decorative ? nothing : 'img'}
      aria-hidden=${this.decorative ? 'true' : nothing}
      aria-label=${this.decorative ? nothing : text(this.label) || label}
      title=${this.decorative ? nothing : text(this.label) || label}
      >${badgeGlyph(status, outOfOffice)}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-badge': PresenceBadge;
  }
}
