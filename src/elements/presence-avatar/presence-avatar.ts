import type { PropertyValues, TemplateResult } from 'lit';
import { accessibleName, describePresence } from '../../presence/i18n.js';
import { normalizePresence, readGivenPresence } from '../../presence/normalize.js';
import { badgeFor } from '../../presence/status.js';
import type { GraphPresence, Presence } from '../../presence/types.js';
import { avatarColorFor } from '../../people/color.js';
import { initialsOf } from '../../people/initials.js';
import { emit } from '../../events/emit.js';
import type { PresenceChangeDetail } from '../../events/presence-change.js';
import type { PresenceErrorDetail } from '../../events/presence-error.js';
import { badgeGlyph } from '../presence-badge/badge-glyph.js';
import { asGiven, reflectText, text } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import { AVATAR_SIZES, cssSize, setSizeProperty, type AvatarSizeName } from '../shared/size.js';
import { ElementBase } from '../shared/element-base.js';
import { html, nothing, svg } from '../shared/template.js';
import { AvatarExtras } from './avatar-extras.js';
import { styles } from './presence-avatar.styles.js';

const personIcon = svg`<svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
  <path d="M10 2a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm-5 10a2 2 0 0 0-2 2c0 1.7.8 3 2.2 3.9 1.3.8 3 1.1 4.8 1.1s3.5-.3 4.8-1.1C16.2 17 17 15.7 17 14a2 2 0 0 0-2-2H5Z"></path>
</svg>`;

/**
 * @summary A person's photo, or initials on a colour of their own, with a Teams-style presence badge.
 *
 * @tag presence-avatar
 *
 * Live: with `user-id` and no `presence`, the avatar watches that person through the nearest `<presence-provider>`
 * (or the page's default client): name, photo and presence arrive and change by themselves. Until the name has been
 * read it says "Loading name…" (`aria-busy="true"`); someone the directory does not know is "Unknown person".
 *
 * @event {PresenceErrorEvent} presence-error - Something given to the avatar could not be used:
 *   `kind: 'invalid-presence'` when the `presence` attribute is not a presence (the badge shows unknown),
 *   `kind: 'photo'` when the photo did not load (initials are shown), `kind: 'unavailable'` when the client could
 *   not get the person's presence (the badge shows unknown, or the last known presence marked stale), `kind: 'load'`
 *   when code it loads on first use (live presence, the card, notify me, its language's words) could not be
 *   downloaded (shown without it, never as live; loaded again a few seconds later). Bubbles and is composed.
 * @event {PresenceChangeEvent} presence-change - A watched person's availability or activity changed
 *   (live mode only): `detail.userId` is the `user-id` as given, `detail.id` the object id once known. Bubbles and
 *   is composed.
 * @event {PresenceAvailableEvent} presence-available - With `notify-when-available`: the person has just become
 *   Available (`notified: true`), once. Bubbles and is composed.
 *
 * @csspart base - The whole avatar, with `role="img"` and the accessible name ("Adele Vance, Busy, In a call").
 * @csspart avatar - The circle (or square) holding the photo or the initials.
 * @csspart image - The photo, once it has loaded.
 * @csspart initials - The initials, or a person icon when the name gives none.
 * @csspart badge - The presence badge.
 * @csspart name - The visible name (with `show-name`).
 * @csspart status - The visible status line (with `show-status`).
 * @csspart message - The status message or automatic reply (with `show-status`).
 * @csspart bell - The bell shown while `notify-when-available` waits for the person.
 *
 * @cssproperty [--presence-avatar-size=40px] - The avatar's size (the `size` attribute wins over it).
 * @cssproperty [--presence-avatar-radius=50%] - The corner radius; squares default to a tenth of the size.
 * @cssproperty [--presence-font-family] - The font of the initials and the text lines (Segoe UI, then the system font).
 * @cssproperty [--presence-badge-size] - The badge's diameter; 30% of the avatar, from 8px to 28px, by default.
 * @cssproperty [--presence-badge-ring-color=#ffffff] - The ring that separates the badge from the photo (#292929 on dark pages).
 * @cssproperty [--presence-badge-ring-width] - The ring's width.
 * @cssproperty [--presence-badge-mark-color=#ffffff] - The mark on filled glyphs.
 * @cssproperty [--presence-color-available=#13a10e] - Available.
 * @cssproperty [--presence-color-busy=#d13438] - Busy.
 * @cssproperty [--presence-color-do-not-disturb=#d13438] - Do not disturb.
 * @cssproperty [--presence-color-away=#eaa300] - Away and be right back.
 * @cssproperty [--presence-color-offline=#616161] - Offline (#adadad on dark pages).
 * @cssproperty [--presence-color-out-of-office=#c239b3] - Out of office (#d24cc4 on dark pages).
 * @cssproperty [--presence-color-unknown=#616161] - Unknown (#adadad on dark pages).
 * @cssproperty [--presence-name-color=#242424] - The name line (#ffffff on dark pages).
 * @cssproperty [--presence-name-font-size=14px] - The name line's size.
 * @cssproperty [--presence-status-color=#616161] - The status and message lines (#d6d6d6 on dark pages).
 * @cssproperty [--presence-status-font-size=12px] - The status and message lines' size.
 * @cssproperty [--presence-bell-color=#0f6cbd] - The bell's colour (#479ef5 on dark pages).
 */
export class PresenceAvatar extends ElementBase {
  static override styles = styles;

  // The reactive properties, declared here rather than with decorators: the helper TypeScript emits for decorators
  // and Lit's decorator code would weigh on every page of avatars.
  static override properties = {
    userId: { attribute: 'user-id', reflect: true, converter: reflectText },
    displayName: { attribute: 'display-name' },
    presence: { converter: asGiven },
    photoUrl: { attribute: 'photo-url' },
    size: { reflect: true, converter: reflectText },
    shape: { reflect: true, converter: reflectText },
    showName: { type: Boolean, reflect: true, attribute: 'show-name' },
    showStatus: { type: Boolean, reflect: true, attribute: 'show-status' },
    hideBadge: { type: Boolean, reflect: true, attribute: 'hide-badge' },
    notifyWhenAvailable: { type: Boolean, reflect: true, attribute: 'notify-when-available' },
    card: { converter: asGiven },
  };

  /** The person's Microsoft Entra object id (or userPrincipalName). Also picks the initials' colour. */
  userId: string | null = null;

  /** The name to show and to build initials from. Always rendered as text. */
  displayName: string | null = null;

  /**
   * The presence: an object as Microsoft Graph sends it (property), or JSON text (attribute), such as
   * `{"availability":"Busy","activity":"InACall"}`. A bare availability (`Busy`) works too. Unknown or malformed
   * values show the unknown badge, never offline.
   */
  presence: GraphPresence | Presence | string | null = null;

  /** The photo's URL. Initials stay until it has loaded, and remain if it fails. */
  photoUrl: string | null = null;

  /**
   * `extra-small` (24px), `small` (32px), `medium` (40px), `large` (56px), `extra-large` (72px), `huge` (96px),
   * a number of pixels (`48`) or any CSS length (`3rem`).
   */
  size: AvatarSizeName | (string & {}) | null = null;

  /** `circular` or `square`. */
  shape: 'circular' | 'square' = 'circular';

  /** Shows the name beside the avatar. */
  showName = false;

  /** Shows the status ("Busy, In a call") and the status message beside the avatar. */
  showStatus = false;

  /** Hides the badge (the avatar still says the presence to assistive technology). */
  hideBadge = false;

  /**
   * Live mode: asks the client to tell once when the person becomes Available (`client.notifyWhenAvailable`; not
   * AvailableIdle; at once when they are Available already), then sends `presence-available`. A bell shows while
   * waiting; removing the attribute stops waiting.
   */
  notifyWhenAvailable = false;
  /** Opens the person's `<presence-card>`: on click, Enter or Space (`card`), or also on hover and focus (`card="hover"`). */
  card: boolean | 'hover' | (string & {}) | null = null;

  /** @internal Set as the photo loads or fails, each time with a new render (set in `willUpdate` for a new photo). */
  private photoState: 'none' | 'loading' | 'loaded' | 'failed' = 'none';

  /** @internal */
  private readonly locale = new LocaleController(this);

  /**
   * Renders once what it needs is here: the words of its language (a locale loaded on demand: never English first),
   * and the code of `card` and `notify-when-available` the first time either is on (most avatars use neither).
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = [this.locale.ready(), this.extras.ready()].filter(Boolean);
    return waiting.length ? Promise.all(waiting).then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  /** @internal */
  private readonly extras = new AvatarExtras(
    this,
    () => ({
      card: this.card,
      userId: this.userId,
      notify: !!this.notifyWhenAvailable,
      key: this.liveKey(),
      watch: { profile: !text(this.displayName), photo: !text(this.photoUrl) },
    }),
    (message) => this.fail('load', message),
  );
  /** @internal */
  private normalized: Presence | undefined;
  /** @internal */
  private shownPhoto: string | null = null;
  /** @internal */
  private lastError: string | undefined;
  /** @internal */
  private lastLive: string | undefined;

  /** The presence as it is shown, after normalisation; `undefined` when none was given. */
  get normalizedPresence(): Presence | undefined {
    return this.normalized;
  }

  /** The person to watch live: the `user-id`, unless the presence is given. */
  private liveKey(): string | null {
    return this.presence === null || this.presence === undefined ? text(this.userId) : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('presence')) this.readPresence();
    // Created with the first user-id to watch (see `extras`), the person is set before that first use.
    if (changed.has('presence') || changed.has('userId')) this.extras.person?.setKey(this.liveKey());
    const snapshot = this.extras.person?.snapshot;
    const photo = text(this.photoUrl) ?? snapshot?.photoUrl ?? null;
    if (photo !== this.shownPhoto) {
      this.shownPhoto = photo;
      this.photoState = photo ? 'loading' : 'none';
    }
    if (snapshot?.error && snapshot.error !== this.lastError)
      this.fail(snapshot.errorKind === 'photo' ? 'photo' : 'unavailable', snapshot.error);
    this.lastError = snapshot?.error;
    const live = snapshot?.presence;
    const liveKey = live ? `${live.availability}/${live.activity}` : undefined;
    if (live && this.lastLive !== undefined && liveKey !== this.lastLive) {
      const [previousAvailability] = this.lastLive.split('/');
      emit(this, 'presence-change', {
        userId: snapshot.key,
        ...(snapshot.id ? { id: snapshot.id } : {}),
        availability: live.availability,
        activity: live.activity,
        previousAvailability: previousAvailability as PresenceChangeDetail['previousAvailability'],
      });
    }
    this.lastLive = liveKey;
  }

  /** The presence shown: given, or live from the client; unknown when the client could not get it. */
  private effectivePresence(): Presence | undefined {
    if (this.normalized) return this.normalized;
    const snapshot = this.extras.person?.snapshot;
    if (snapshot?.presence) return snapshot.presence;
    if (snapshot?.error) return normalizePresence(undefined);
    return undefined;
  }

  /** @internal */
  private readPresence(): void {
    const given = readGivenPresence(this.presence);
    this.normalized = given?.presence;
    if (given?.error) this.fail('invalid-presence', given.error);
  }

  /** @internal */
  private fail(kind: PresenceErrorDetail['kind'], message: string): void {
    const detail: PresenceErrorDetail = { kind, message };
    const userId = text(this.userId);
    if (userId) detail.userId = userId;
    console.warn(`<presence-avatar${userId ? ` user-id="${userId}"` : ''}>: ${message}`);
    emit(this, 'presence-error', detail);
  }

  /** Sizes other than the named ones (which the styles draw by themselves): set once the avatar has rendered. */
  protected override updated(_changed: PropertyValues<this>): void {
    setSizeProperty(this.renderRoot.querySelector('[part="base"]'), '--_size', cssSize(this.size, AVATAR_SIZES));
  }

  /** @internal */
  private onPhotoLoad(): void {
    this.photoState = 'loaded';
    this.requestUpdate();
  }

  /** @internal */
  private onPhotoError(): void {
    if (this.photoState === 'failed') return;
    this.photoState = 'failed';
    this.requestUpdate();
    this.fail('photo', `the photo at ${this.shownPhoto} did not load; showing initials`);
  }

  protected override render(): TemplateResult {
    const messages = this.locale.messages;
    const presence = this.effectivePresence();
    const snapshot = this.extras.person?.snapshot;
    const displayName = text(this.displayName) ?? snapshot?.profile?.displayName ?? null;
    // A live avatar whose name is still being read says so, rather than calling the person unknown.
    const loadingName = !displayName && !!snapshot?.profilePending;
    const stale = !this.normalized && !!this.extras.person?.stale;
    const color = avatarColorFor(text(this.userId) || text(this.displayName));
    const initials = initialsOf(displayName, this.locale.language);
    const label =
      accessibleName(loadingName ? messages.loadingName : displayName, presence, messages) +
      (stale ? `${messages.separator}${messages.stale}` : '');
    const statusLine = presence ? describePresence(presence, messages).join(messages.separator) : '';
    const message = presence?.statusMessage ?? (presence?.isOutOfOffice ? presence.outOfOfficeMessage : undefined);
    const badge = presence && !this.hideBadge ? badgeFor(presence) : undefined;
    const showText = this.showName || (this.showStatus && presence);
    const fullLabel =
      (this.showStatus && message ? `${label}${messages.separator}${message}` : label) +
      (this.extras.notify?.description(messages) ?? '');

    return html`<div
      part="base"
      class="base"
      role="img"
      aria-busy=${loadingName ? 'true' : nothing}
      aria-label=${this.extras.card ? this.extras.card.label(fullLabel) : fullLabel}
      ${this.extras.card ? this.extras.card.attributes('img') : nothing}
    >
      ${this.extras.card ? this.extras.card.hiddenLabel(fullLabel) : nothing}
      <span part="avatar" class="avatar" data-color=${color.name}>
        ${initials ? html`<span part="initials" class="initials" aria-hidden="true">${initials}</span>` : html`<span part="initials" class="initials" aria-hidden="true">${personIcon}</span>`}
        ${
          this.shownPhoto && this.photoState !== 'failed'
            ? html`<img
              part="image"
              class="image ${this.photoState === 'loaded' ? 'loaded' : ''}"
              src=${this.shownPhoto}
              alt=""
              decoding="async"
              @load=${this.onPhotoLoad}
              @error=${this.onPhotoError}
            />`
            : nothing
        }
        ${
          badge
            ? html`<span part="badge" class="badge ${stale ? 'stale' : ''}" data-status=${badge.status}>${badgeGlyph(badge.status, badge.outOfOffice)}</span>`
            : nothing
        }
        ${this.extras.notify ? this.extras.notify.bell() : nothing}
      </span>
      ${
        showText
          ? html`<span class="text">
            ${this.showName ? html`<span part="name" class="name" dir="auto" title=${displayName ?? ''}>${displayName || (loadingName ? messages.loadingName : messages.unnamed)}</span>` : nothing}
            ${this.showStatus && presence ? html`<span part="status" class="status">${statusLine}</span>` : nothing}
            ${this.showStatus && message ? html`<span part="message" class="message" dir="auto" title=${message}>${message}</span>` : nothing}
          </span>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-avatar': PresenceAvatar;
  }
}
