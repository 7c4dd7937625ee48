// What the picker's menu and status message editor look like, from a view of the element's state. No state here.
import { html, nothing, svg, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { PickerMessages } from '../../presence/picker-messages.js';
import type { BadgeAppearance } from '../../presence/types.js';
import { badgeGlyph } from '../presence-badge/badge-glyph.js';
import { CLEAR_AFTER, type AvailabilityChoice, type ClearAfter, type ResetAfter } from './choices.js';

/** One item of the menu, in order: what activating it does is named by `key`. */
export interface MenuItem {
  key: string;
  role: 'menuitemradio' | 'menuitem';
  label: string;
  checked?: boolean;
  badge?: AvailabilityChoice['badge'];
  /** A second line (the current status message). */
  detail?: string;
  /** Opens the editor (a dialog) rather than acting at once. */
  opensDialog?: boolean;
  /** The menu group it is in. */
  group: 'status' | 'after' | 'actions';
}

/** The menu's items: the availabilities, the "reset after" choices, reset, and the status message. */
export function menuItems(
  words: PickerMessages,
  choices: AvailabilityChoice[],
  current: string | undefined,
  offered: readonly ResetAfter[],
  resetAfter: ResetAfter,
  statusMessage: string | undefined,
): MenuItem[] {
  return [
    ...choices.map((c): MenuItem => ({
      key: `availability:${c.availability}`,
      role: 'menuitemradio',
      label: c.label,
      checked: c.availability === current,
      badge: c.badge,
      group: 'status',
    })),
    ...offered.map((after): MenuItem => ({
      key: `after:${after}`,
      role: 'menuitemradio',
      label: words[after],
      checked: after === resetAfter,
      group: 'after',
    })),
    { key: 'reset', role: 'menuitem', label: words.resetStatus, group: 'actions' },
    {
      key: 'message',
      role: 'menuitem',
      label: words.statusMessage,
      detail: statusMessage ?? words.noStatusMessage,
      opensDialog: true,
      group: 'actions',
    },
  ];
}

export interface MenuView {
  words: PickerMessages;
  items: MenuItem[];
  active: number;
  saving: string | null;
  /** Said with each availability: which "reset after" it will be set with. */
  afterText: string;
  onActivate: (item: MenuItem) => void;
  onKey: (event: KeyboardEvent) => void;
  onFocusItem: (index: number) => void;
}

function item(view: MenuView, entry: MenuItem, index: number): TemplateResult {
  const saving = view.saving === entry.key;
  return html`<div
    part="item${entry.checked ? ' item-checked' : ''}"
    class="item"
    role=${entry.role}
    id="item-${index}"
    data-key=${entry.key}
    tabindex=${index === view.active ? 0 : -1}
    aria-checked=${entry.role === 'menuitemradio' ? String(!!entry.checked) : nothing}
    aria-haspopup=${entry.opensDialog ? 'dialog' : nothing}
    aria-describedby=${entry.group === 'status' ? 'after-text' : entry.detail ? `detail-${index}` : nothing}
    aria-disabled=${view.saving && !saving ? 'true' : nothing}
    @click=${() => view.onActivate(entry)}
    @keydown=${view.onKey}
    @focus=${() => view.onFocusItem(index)}
  >
    <svg class="check" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      ${entry.checked ? svg`<path d="M2.5 6.5 5 9l4.5-5.5"></path>` : nothing}
    </svg>
    ${entry.badge ? html`<span class="badge" aria-hidden="true">${badgeGlyph(entry.badge, false)}</span>` : nothing}
    <span class="text">
      <span class="label">${entry.label}</span>
      ${entry.detail ? html`<span part="item-detail" class="detail" id="detail-${index}" dir="auto">${entry.detail}</span>` : nothing}
    </span>
    ${saving ? html`<span class="saving" aria-hidden="true">${view.words.saving}</span>` : nothing}
  </div>`;
}

export function menuTemplate(view: MenuView): TemplateResult {
  const at = (group: MenuItem['group']) =>
    view.items.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.group === group);
  const render = (group: MenuItem['group']) => at(group).map(({ entry, index }) => item(view, entry, index));
  return html`<div
    part="menu"
    class="menu"
    role="menu"
    id="menu"
    aria-label=${view.words.menu}
    aria-busy=${view.saving ? 'true' : 'false'}
  >
    <div role="group" aria-label=${view.words.menu}>${render('status')}</div>
    <div role="separator" part="separator" class="separator"></div>
    <div class="group-label" aria-hidden="true">${view.words.resetAfter}</div>
    <div role="group" aria-label=${view.words.resetAfter}>${render('after')}</div>
    <div role="separator" part="separator" class="separator"></div>
    ${render('actions')}
    <span id="after-text" class="visually-hidden">${view.afterText}</span>
  </div>`;
}

export interface EditorView {
  words: PickerMessages;
  draft: string;
  clearAfter: ClearAfter;
  saving: string | null;
  hasMessage: boolean;
  onDraft: (value: string) => void;
  onClearAfter: (value: string) => void;
  onSave: (event: Event) => void;
  onClear: () => void;
  onCancel: () => void;
  onKey: (event: KeyboardEvent) => void;
}

export function editorTemplate(view: EditorView): TemplateResult {
  const { words } = view;
  const busy = !!view.saving;
  return html`<div
    part="editor"
    class="editor"
    role="dialog"
    aria-labelledby="editor-title"
    aria-busy=${busy ? 'true' : 'false'}
    @keydown=${view.onKey}
  ><form class="form" @submit=${view.onSave}>
    <div class="title" id="editor-title">${words.statusMessage}</div>
    <label class="field"
      ><span>${words.messageLabel}</span>
      <textarea
        part="input"
        id="message"
        rows="3"
        maxlength="280"
        dir="auto"
        .value=${live(view.draft)}
        @input=${(e: Event) => view.onDraft((e.target as HTMLTextAreaElement).value)}
      ></textarea>
    </label>
    <label class="field"
      ><span>${words.clearAfter}</span>
      <select part="select" id="clear-after" @change=${(e: Event) => view.onClearAfter((e.target as HTMLSelectElement).value)}>
        ${CLEAR_AFTER.map((c) => html`<option value=${c} ?selected=${c === view.clearAfter}>${words[c]}</option>`)}
      </select>
    </label>
    <div class="actions">
      <button part="action" type="submit" class="primary" ?disabled=${busy || !view.draft.trim()}>
        ${view.saving === 'message:save' ? words.saving : words.save}
      </button>
      <button part="action" type="button" ?disabled=${busy || !view.hasMessage} @click=${view.onClear}>
        ${view.saving === 'message:clear' ? words.saving : words.clear}
      </button>
      <button part="action" type="button" ?disabled=${busy} @click=${view.onCancel}>${words.cancel}</button>
    </div>
  </form></div>`;
}

export interface ButtonView {
  /** The accessible name ("Your status: Busy"). */
  label: string;
  status: string;
  badge: BadgeAppearance | undefined;
  open: boolean;
  /** The id of the menu it opens, while the menu is what the popup shows. */
  controls: string | undefined;
  /** Why it does nothing (nobody signed in, the client cannot write), said as its description. */
  reason: string | undefined;
  onClick: () => void;
  onKey: (event: KeyboardEvent) => void;
}

/** The menu button: `aria-disabled` rather than `disabled` when unavailable, so it stays focusable and says why. */
export function buttonTemplate(view: ButtonView): TemplateResult {
  const { badge } = view;
  return html`<button
    part="button"
    class="button"
    id="button"
    type="button"
    aria-haspopup="menu"
    aria-expanded=${view.open ? 'true' : 'false'}
    aria-controls=${view.controls ?? nothing}
    aria-label=${view.label}
    aria-disabled=${view.reason ? 'true' : nothing}
    aria-describedby=${view.reason ? 'reason' : nothing}
    @click=${view.onClick}
    @keydown=${view.onKey}
  >
    ${badge ? html`<span part="badge" class="badge" aria-hidden="true">${badgeGlyph(badge.status, badge.outOfOffice)}</span>` : nothing}
    <span part="status" class="status">${view.status}</span>
    <svg class="chevron" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2.5 4.5 6 8l3.5-3.5"></path>
    </svg>
  </button>`;
}
