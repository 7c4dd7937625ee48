import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { describePresence } from '../../presence/i18n.js';
import { badgeFor } from '../../presence/status.js';
import { oneOf } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import { PersonController } from '../shared/person-controller.js';
import { CLEAR_AFTER, clearAfterAt, type ClearAfter, type ResetAfter } from './choices.js';
import { LightDismiss } from './light-dismiss.js';
import { MenuNavigation } from './menu-navigation.js';
import { pickerModel, type PickerModel } from './picker-model.js';
import { buttonTemplate, editorTemplate, menuTemplate, type MenuItem } from './picker-templates.js';
import { fillStatus, pickerWords } from './picker-words.js';
import { SignedInController } from './signed-in.js';
import { StatusWriter } from './status-writer.js';
import { styles } from './presence-status-picker.styles.js';
import { ownState } from '../shared/own-state.js';
import '../shared/server-render.js';

/**
 * @summary The signed-in user's own presence, live, as a menu button: choose Available, Busy, Do not disturb, Be
 * right back, Appear away or Appear offline for a while, reset it, and set or clear a status message.
 *
 * @tag presence-status-picker
 *
 * Writes go through the client's `myPresence` (Microsoft Graph's setUserPreferredPresence,
 * clearUserPreferredPresence and setStatusMessage, which need `Presence.ReadWrite`). The button shows only what the
 * client reads back; "Saving…" while a write is under way. A write needing consent asks for it during the click.
 *
 * @event {PresenceErrorEvent} presence-error - A write failed: `kind: 'write'` (Graph refused it, or the network
 *   failed), or `kind: 'consent'` with `scopes` (the user's consent is needed and was not given). The menu says so
 *   too. Bubbles and is composed.
 *
 * @csspart base - The wrapper of the button and its menu.
 * @csspart button - The menu button: badge, status and a chevron.
 * @csspart badge - The badge of the current presence in the button.
 * @csspart status - The status text in the button.
 * @csspart popup - The box holding the menu or the status message editor, and the error.
 * @csspart menu - The menu (`role="menu"`).
 * @csspart item - Each menu item; the checked ones are also `item-checked`.
 * @csspart item-checked - The current availability and the chosen "reset after".
 * @csspart item-detail - The current status message, under "Set status message".
 * @csspart separator - The lines between the menu's groups.
 * @csspart editor - The status message editor (`role="dialog"`).
 * @csspart input - The status message text box.
 * @csspart select - The "clear after" choice.
 * @csspart action - The editor's Save, Clear and Cancel buttons.
 * @csspart error - The message saying a write failed.
 *
 * @cssproperty --presence-font-family - The font (Segoe UI, then the system font).
 * @cssproperty [--presence-picker-background=#ffffff] - The button's and the menu's background (#292929 on dark pages).
 * @cssproperty [--presence-picker-color=#242424] - Their text (#ffffff on dark pages).
 * @cssproperty [--presence-picker-border-color=#d1d1d1] - Their borders (#666666 on dark pages).
 * @cssproperty [--presence-picker-hover-background=#f5f5f5] - A hovered or focused item (#3d3d3d on dark pages).
 * @cssproperty [--presence-picker-accent-color=#0f6cbd] - Focus rings and the Save button (#479ef5 on dark pages).
 * @cssproperty [--presence-picker-error-color=#b10e1c] - The error message (#f1707b on dark pages).
 * @cssproperty [--presence-picker-radius=4px] - The corners of the button and the menu.
 * @cssproperty [--presence-picker-menu-width=280px] - The menu's width.
 * @cssproperty [--presence-badge-size=12px] - The badges' size.
 * @cssproperty [--presence-badge-ring-color=#ffffff] - The ring around the badges (#292929 on dark pages).
 * @cssproperty [--presence-badge-ring-width] - The ring's width.
 * @cssproperty [--presence-badge-mark-color=#ffffff] - The mark on filled badges.
 * @cssproperty [--presence-color-available=#13a10e] - Available.
 * @cssproperty [--presence-color-busy=#d13438] - Busy.
 * @cssproperty [--presence-color-do-not-disturb=#d13438] - Do not disturb.
 * @cssproperty [--presence-color-away=#eaa300] - Away and be right back.
 * @cssproperty [--presence-color-offline=#616161] - Offline (#adadad on dark pages).
 * @cssproperty [--presence-color-out-of-office=#c239b3] - Out of office (#d24cc4 on dark pages).
 * @cssproperty [--presence-color-unknown=#616161] - Unknown (#adadad on dark pages).
 * @cssproperty [--presence-status-color=#616161] - The status message under "Set status message" (#d6d6d6 on dark pages).
 */
export class PresenceStatusPicker extends LitElement {
  static override styles = styles;

  // The reactive properties, declared here rather than with decorators, whose code would be one more file to load.
  static override properties = {
    ...ownState('chosenAfter', 'editing', 'draft', 'clearAfter'),
    open: { type: Boolean, reflect: true },
    resetAfter: { attribute: 'reset-after' },
  };

  /** Whether the menu is open. Set it to open or close the menu from code. */
  open = false;

  /**
   * The "reset after" choice checked when the menu opens: `minutes30`, `hour1`, `hours2`, `today` (the default),
   * `thisWeek` or `never` (Graph's longest expiry, 7 days). Other values are `today`.
   */
  resetAfter: ResetAfter = 'today';

  /** @internal */
  private chosenAfter: ResetAfter | undefined;
  /** @internal */
  private editing = false;
  /** @internal */
  private draft = '';
  /** @internal */
  private clearAfter: ClearAfter = 'never';

  /** @internal */
  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  /** @internal */
  private readonly me = new PersonController(this, () => ({ profile: false, photo: false }));
  /** @internal */
  private readonly account = new SignedInController(this);
  /** @internal */
  private readonly writer = new StatusWriter(this, () => this.me.client);
  /** @internal */
  private readonly nav = new MenuNavigation(this, {
    labels: () => this.items.map((i) => i.label),
    activate: (index) => {
      const item = this.items[index];
      if (item) void this.activate(item);
    },
    close: (focusButton) => this.close(focusButton),
  });

  /** @internal */
  private readonly dismiss = new LightDismiss(this, {
    open: () => this.open,
    busy: () => !!this.writer.saving,
    close: () => this.close(false),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.me.setKey('me');
  }

  /** @internal Why the button does nothing, or undefined when it works. */
  private get unavailable(): string | undefined {
    const words = pickerWords(this.locale.messages);
    const client = this.me.client;
    if (typeof client?.source.setUserPreferredPresence !== 'function') return words.readOnly;
    if (this.account.signedIn === false) return words.signedOut;
    return undefined;
  }

  /** @internal The menu as it is now. */
  private get model(): PickerModel {
    return pickerModel({
      messages: this.locale.messages,
      language: this.locale.language,
      presence: this.me.snapshot?.presence,
      chosen: this.chosenAfter,
      initial: this.resetAfter,
      now: new Date(),
    });
  }

  /** @internal */
  private get items(): MenuItem[] {
    return this.model.items;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && !this.open) {
      this.editing = false;
      this.chosenAfter = undefined;
    }
    if (this.open && this.unavailable) this.open = false;
  }

  /** @internal Opens the menu with focus on `which` item (the checked availability by default). */
  private openMenu(which: 'checked' | 'first' | 'last'): void {
    if (this.unavailable) return;
    const items = this.items;
    const checked = items.findIndex((i) => i.group === 'status' && i.checked);
    this.open = true;
    this.editing = false;
    this.nav.focusItem(which === 'last' ? items.length - 1 : which === 'first' || checked < 0 ? 0 : checked);
  }

  /** @internal */
  private close(focusButton = true): void {
    this.open = false;
    this.writer.dismiss();
    if (focusButton) this.nav.focus('button');
  }

  /** @internal */
  private onButtonClick(): void {
    if (this.open) this.close();
    else this.openMenu('checked');
  }

  /** @internal */
  private onButtonKey(event: KeyboardEvent): void {
    const which = this.nav.openingKey(event);
    if (which) this.openMenu(which);
  }

  /** @internal */
  private async activate(item: MenuItem): Promise<void> {
    if (this.writer.saving) return;
    const [kind, value] = item.key.split(':') as [string, string | undefined];
    if (kind === 'after') {
      this.chosenAfter = value as ResetAfter;
      return;
    }
    if (kind === 'message') {
      this.draft = this.me.snapshot?.presence?.statusMessage ?? '';
      this.clearAfter = 'never';
      this.editing = true;
      this.nav.focus('editor');
      return;
    }
    let written: boolean;
    if (kind === 'reset') {
      written = await this.writer.run(item.key, (own) => own.clearPreferredPresence());
    } else {
      const { choices, afterMs: expiresInMs } = this.model;
      const choice = choices.find((c) => c.availability === value);
      if (!choice) return;
      written = await this.writer.run(item.key, (own) =>
        own.setPreferredPresence({ availability: choice.availability, activity: choice.activity, expiresInMs }),
      );
    }
    if (written) this.close();
    else this.nav.focus('item');
  }

  /** @internal */
  private async saveMessage(event: Event): Promise<void> {
    event.preventDefault();
    const message = this.draft.trim();
    if (!message) return;
    const expiresAt = clearAfterAt(this.clearAfter, new Date(), this.model.firstDay);
    const written = await this.writer.run('message:save', (own) =>
      own.setStatusMessage({ message, ...(expiresAt ? { expiresAt } : {}) }),
    );
    if (written) this.close();
  }

  /** @internal */
  private async clearMessage(): Promise<void> {
    if (await this.writer.run('message:clear', (own) => own.clearStatusMessage())) this.close();
  }

  /** @internal */
  private onEditorKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.close();
  }

  protected override render(): TemplateResult {
    const messages = this.locale.messages;
    const { words, items } = this.model;
    const presence = this.me.snapshot?.presence;
    const reason = this.unavailable;
    const status = presence ? describePresence(presence, messages).join(messages.separator) : words.loading;
    const failure = this.writer.failure;
    const failureText = failure?.kind === 'consent' && !failure.canGrant ? words.consentNeeded : words.failed;
    const after = items.find((i) => i.group === 'after' && i.checked);
    return html`<div part="base" class="base" @focusout=${this.dismiss.onFocusOut}>
      ${buttonTemplate({
        label: fillStatus(words.button, status),
        status,
        badge: presence ? badgeFor(presence) : undefined,
        open: this.open,
        controls: this.editing ? undefined : 'menu',
        reason,
        onClick: () => this.onButtonClick(),
        onKey: (event) => this.onButtonKey(event),
      })}
      <span id="reason" class="visually-hidden">${reason ?? ''}</span>
      <div part="popup" class="popup" ?hidden=${!this.open}>
        ${
          this.editing
            ? editorTemplate({
                words,
                draft: this.draft,
                clearAfter: this.clearAfter,
                saving: this.writer.saving,
                hasMessage: !!presence?.statusMessage,
                onDraft: (value) => (this.draft = value),
                onClearAfter: (value) => (this.clearAfter = oneOf(value, CLEAR_AFTER, 'never')),
                onSave: (event) => void this.saveMessage(event),
                onClear: () => void this.clearMessage(),
                onCancel: () => this.close(),
                onKey: (event) => this.onEditorKey(event),
              })
            : menuTemplate({
                words,
                items,
                active: Math.min(this.nav.active, items.length - 1),
                saving: this.writer.saving,
                afterText: `${words.resetAfter}: ${after?.label ?? words.never}`,
                onActivate: (item) => void this.activate(item),
                onKey: (event) => this.nav.onKey(event),
                onFocusItem: (index) => (this.nav.active = index),
              })
        }
        <div part="error" class="error" role="alert">${failure ? failureText : ''}</div>
        <div class="visually-hidden" role="status">${this.writer.saving ? words.saving : ''}</div>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-status-picker': PresenceStatusPicker;
  }
}
