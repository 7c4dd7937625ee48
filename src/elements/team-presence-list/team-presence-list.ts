import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { listWords } from '../../presence/locales/en-list.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PresenceClient } from '../../client/presence-client.js';
import type { BadgeStatus } from '../../presence/types.js';
import { emit } from '../../events/emit.js';
import { CardOpener } from '../presence-card/card-opener.js';
import { ClientController } from '../shared/client-controller.js';
import { reflectText, text, textOrEmpty } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import '../shared/server-render.js';
import { rendersAsServer } from '../shared/server-rendered.js';
import { styleProperties } from '../shared/style-properties.js';
import { MembersLoader, type LoadStatus } from './members-loader.js';
import { visuallyHidden } from '../shared/visually-hidden.js';
import { NOTIFY_HINT_ID, NotifyRows, notifyRowStyles } from './notify-rows.js';
import { buildItems, headersOf, memberDetail, rowsOf, sortMembers, type Item, type Member } from './roster-model.js';
import { styles } from './team-presence-list.styles.js';
import { VirtualWindow } from './virtual-window.js';

export type { MemberEventDetail } from './roster-model.js';

/**
 * @summary A team's members, sorted and grouped by availability, updated live.
 *
 * @tag team-presence-list
 *
 * Members come from a team (`team-id`), a group (`group-id`) or a list (`user-ids`), paged in from the nearest
 * `<presence-provider>`'s client. Only the rows in view are in the DOM, so 10,000 members scroll smoothly.
 *
 * Reading a team's members needs a scope of its own, asked for only when a list needs it. When that needs the
 * user's consent, the request runs in the background, where no popup may open: the list says so and shows a
 * "Grant access" button whose click asks the client's token provider (`signIn(scopes)`), then loads again.
 *
 * Each row has "Notify me when available": the bell on the row (pointer), or N on the active row (keyboard).
 *
 * @event {PresenceSelectEvent} presence-select - A member was chosen (click, Enter or Space). Cancelable: with
 *   `card`, `preventDefault()` keeps the member's card closed.
 * @event {PresenceAvailableEvent} presence-available - A member has just become available: the moment to
 *   invite them. Not fired for the first presence loaded.
 * @event {PresenceErrorEvent} presence-error - The members could not be loaded (`kind: 'members'`); `kind: 'consent'`
 *   with `scopes` when reading them needs the user's consent first (the list then shows a "Grant access" button) or
 *   when granting it failed.
 *
 * @csspart toolbar - The filter box and the count.
 * @csspart filter - The filter box.
 * @csspart list - The scrolling list.
 * @csspart header - A group header ("Available · 12").
 * @csspart row - A member's row.
 * @csspart error - The message shown when the members could not be loaded.
 * @csspart grant - The "Grant access" button, shown when reading the members needs the user's consent.
 * @csspart notify - A row's bell: "Notify me when available" (N on the active row does the same).
 *
 * @cssproperty [--team-list-height=420px] - The list's height.
 * @cssproperty [--team-list-row-height=48px] - The height of every row and header.
 * @cssproperty [--team-list-border-color=#e0e0e0] - Borders.
 * @cssproperty [--team-list-background=#ffffff] - The background.
 * @cssproperty [--team-list-header-background=#f5f5f5] - Group headers' background.
 * @cssproperty [--team-list-focus-color=#0f6cbd] - The active row's mark and the focus ring.
 * @cssproperty [--presence-font-family] - The font of the filter box, the headers and the messages (Segoe UI, then
 *   the system font); rows' avatars use it too.
 * @cssproperty [--presence-name-color=#242424] - The list's text (#ffffff on dark pages).
 * @cssproperty [--presence-status-color=#616161] - The count, the group headers and the messages (#d6d6d6 on dark
 *   pages).
 * @cssproperty [--presence-bell-color=#0f6cbd] - A row's bell while its member is waited for (#479ef5 on dark pages).
 */
export class TeamPresenceList extends LitElement {
  static override styles = [styles, notifyRowStyles, visuallyHidden];

  // The reactive properties, declared here rather than with decorators, whose code would be one more file to load.
  static override properties = {
    teamId: { attribute: 'team-id', reflect: true, converter: reflectText },
    groupId: { attribute: 'group-id', reflect: true, converter: reflectText },
    userIds: { attribute: 'user-ids' },
    noFilter: { type: Boolean, attribute: 'no-filter' },
    filter: {},
    card: { type: Boolean, reflect: true },
  };

  /** A Microsoft Teams team id: its members are listed (needs TeamMember.Read.All). */
  teamId: string | null = null;

  /** A Microsoft 365 group id (needs GroupMember.Read.All). */
  groupId: string | null = null;

  /** Object ids (or userPrincipalNames), separated by commas or spaces. */
  userIds: string | null = null;

  /** Hides the filter box. */
  noFilter = false;

  /** The filter text. */
  filter = '';

  /** Choosing a member opens their `<presence-card>`, unless the app cancels `presence-select`. */
  card = false;

  /** The items rendered: rebuilt when the members, their presence or the filter change, not on scrolling. */
  private items: Item[] = [];
  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
  private readonly clients = new ClientController(this, () => this.requestUpdate());
  private readonly loader = new MembersLoader(this, () => ({
    teamId: this.teamId,
    groupId: this.groupId,
    userIds: this.userIds,
  }));
  private readonly view = new VirtualWindow(this, {
    items: () => this.items,
    scroller: () => this.renderRoot.querySelector<HTMLElement>('.scroller'),
    select: (member) => this.select(member),
  });
  private readonly notify = new NotifyRows(this, {
    client: () => this.client,
    activeId: () => this.view.activeId,
    scroller: () => this.renderRoot.querySelector<HTMLElement>('.scroller'),
  });

  private readonly cards = new CardOpener(this, () => ({ mode: this.card, userId: null }), false);

  private get client(): PresenceClient | undefined {
    return this.clients.client;
  }

  /** Loads the members again (after the app changed what the user granted, say). */
  reload(): void {
    this.loader.reload();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.loader.sync(this.isConnected ? this.client : undefined);
    // Scrolling and focus moves reuse the items; only a change of members, presence or filter rebuilds them.
    const resort = this.loader.takeResort();
    if (resort || changed.has('filter')) {
      if (resort) sortMembers(this.loader.members);
      this.items = buildItems(this.loader.members, textOrEmpty(this.filter));
    }
  }

  private select(member: Member): void {
    this.view.activeId = member.id;
    const row = this.renderRoot.querySelector(`[id="member-${CSS.escape(member.id)}"]`);
    if (emit(this, 'presence-select', memberDetail(member), { cancelable: true }) && this.card && row)
      this.cards.openFor(member.id, row);
  }

  /**
   * How loading stands. Rendered on the server, where no client loads anything, a list with members to show says
   * it is loading them (the client takes over from there), as does the client's render that hydrates it.
   */
  private get status(): LoadStatus {
    if (!rendersAsServer(this)) return this.loader.status;
    return text(this.teamId) || text(this.groupId) || text(this.userIds) ? 'loading' : 'idle';
  }

  private readonly onGrant = (): void => void this.loader.grant(this.client);

  private readonly onFilter = (event: Event): void => {
    this.filter = (event.target as HTMLInputElement).value;
  };

  private renderError() {
    const m = listWords(this.locale.messages);
    const { error, consentScopes, granting } = this.loader;
    if (!consentScopes) return html`<div part="error" class="error" role="alert">${error}</div>`;
    const canGrant = !!this.client?.canGrant;
    // A listbox must own options (WAI-ARIA: required owned elements): with no one to show, the list is a labelled
    // group holding the message instead.
    return html`<div part="error" class="error consent" role="alert">
      <p>${m.consentNeeded}</p>
      ${
        canGrant
          ? html`<button part="grant" type="button" ?disabled=${granting} @click=${this.onGrant}>${m.grantAccess}</button>`
          : html`<p class="detail">${error}</p>`
      }
    </div>`;
  }

  protected override render(): TemplateResult {
    const m = listWords(this.locale.messages);
    const groupLabel: Record<BadgeStatus, string> = {
      available: m.availability.Available,
      busy: m.availability.Busy,
      'do-not-disturb': m.availability.DoNotDisturb,
      away: m.availability.Away,
      'out-of-office': m.outOfOffice,
      offline: m.availability.Offline,
      unknown: m.availability.PresenceUnknown,
    };
    const { items, view, loader, status } = this;
    const activeId = view.activeId;
    const rowHeight = view.rowHeight;
    const rowCount = rowsOf(items).length;
    const { first, last } = view.range();
    const shown = items.slice(first, last).map((item, i) => ({ item, at: first + i }));
    const activeRendered = shown.some(({ item }) => item.kind === 'row' && item.member.id === activeId);
    const summary = headersOf(items)
      .map((h) => `${groupLabel[h.group]} ${h.count}`)
      .join(m.separator);

    return html`
      ${
        this.noFilter
          ? nothing
          : html`<div part="toolbar" class="toolbar">
            <input part="filter" type="search" .value=${textOrEmpty(this.filter)} aria-label=${m.filterLabel} placeholder=${m.filterLabel}
              @input=${this.onFilter} @keydown=${view.onFilterKey} />
            <span class="summary" role="status" title=${summary}>${m.peopleCount.replace('{count}', String(rowCount))}</span>
          </div>`
      }
      ${status === 'error' ? this.renderError() : nothing}
      <div
        part="list"
        class="scroller"
        role=${rowCount > 0 || status === 'loading' ? 'listbox' : 'group'}
        tabindex="0"
        aria-label=${summary || m.peopleCount.replace('{count}', '0')}
        aria-activedescendant=${activeRendered && activeId ? `member-${activeId}` : nothing}
        aria-busy=${status === 'loading' ? 'true' : 'false'}
        aria-keyshortcuts="N" aria-describedby=${NOTIFY_HINT_ID}
        @keydown=${view.onKey}
        @scroll=${view.onScroll}
        @focus=${view.onFocus}
      >
        <div class="spacer" ${styleProperties({ height: `${items.length * rowHeight}px` })}>
          ${repeat(
            shown,
            ({ item }) => (item.kind === 'row' ? item.member.id : `header-${item.group}`),
            ({ item, at }) =>
              item.kind === 'header'
                ? html`<div part="header" class="item header" aria-hidden="true" ${styleProperties({ top: `${at * rowHeight}px` })}>
                    ${groupLabel[item.group]} · ${item.count}
                  </div>`
                : // The listbox owns the keyboard (arrows, Home/End, Enter, Space) and points at the active row with
                  // aria-activedescendant; a row's click is the pointer's way to the same choice.
                  // eslint-disable-next-line lit-a11y/click-events-have-key-events
                  html`<div
                    part="row"
                    class="item row ${item.member.id === activeId ? 'active' : ''}"
                    id=${`member-${item.member.id}`}
                    role="option"
                    aria-selected=${item.member.id === activeId ? 'true' : 'false'}
                    aria-setsize=${rowCount}
                    aria-posinset=${item.index + 1}
                    ${styleProperties({ top: `${at * rowHeight}px` })}
                    @click=${() => this.select(item.member)}
                  >
                    <presence-avatar size="small" show-name show-status user-id=${item.member.id} display-name=${item.member.profile.displayName ?? ''}></presence-avatar>
                    ${this.notify.row(item.member.id, m)}
                  </div>`,
          )}
        </div>
        ${status === 'loading' && loader.members.length === 0 ? html`<div class="empty">${m.loading}</div>` : nothing}
        ${loader.members.length > 0 && rowCount === 0 && textOrEmpty(this.filter) ? html`<div class="empty">${m.noMatch}</div>` : nothing}
      </div>
      ${this.notify.hint(m)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'team-presence-list': TeamPresenceList;
  }
}
