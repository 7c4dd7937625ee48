import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ClientController } from '../shared/client-controller.js';
import type { PresenceClient } from '../../client/presence-client.js';
import type { Profile } from '../../client/types.js';
import type { BadgeStatus } from '../../presence/types.js';
import { dispatch } from '../events.js';
import { reflectText, text, textOrEmpty } from '../shared/coerce.js';
import { LocaleController } from '../shared/locale-controller.js';
import { styleProperties } from '../shared/style-properties.js';
import { buildItems, memberDetail, newMember, nameMember, sortMembers, updateMember, type Item, type Member, type MemberEventDetail } from './team-members.js';
import { styles } from './team-presence-list.styles.js';

export type { MemberEventDetail } from './team-members.js';

const OVERSCAN = 6;

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
 * @event {CustomEvent<MemberEventDetail>} presence-select - A member was chosen (click, Enter or Space).
 * @event {CustomEvent<MemberEventDetail>} presence-available - A member has just become available: the moment to
 *   invite them. Not fired for the first presence loaded.
 * @event {CustomEvent<{ message: string; scopes?: string[] }>} presence-error - The members could not be loaded;
 *   `scopes` when reading them needs the user's consent first (the list then shows a "Grant access" button).
 *
 * @csspart toolbar - The filter box and the count.
 * @csspart filter - The filter box.
 * @csspart list - The scrolling list.
 * @csspart header - A group header ("Available · 12").
 * @csspart row - A member's row.
 * @csspart error - The message shown when the members could not be loaded.
 * @csspart grant - The "Grant access" button, shown when reading the members needs the user's consent.
 *
 * @cssproperty [--team-list-height=420px] - The list's height.
 * @cssproperty [--team-list-row-height=48px] - The height of every row and header.
 * @cssproperty [--team-list-border-color=#e0e0e0] - Borders.
 * @cssproperty [--team-list-background=#ffffff] - The background.
 * @cssproperty [--team-list-header-background=#f5f5f5] - Group headers' background.
 * @cssproperty [--team-list-focus-color=#0f6cbd] - The active row's mark and the focus ring.
 */
export class TeamPresenceList extends LitElement {
  static override styles = styles;

  /** A Microsoft Teams team id: its members are listed (needs TeamMember.Read.All). */
  @property({ attribute: 'team-id', reflect: true, converter: reflectText }) teamId: string | null = null;

  /** A Microsoft 365 group id (needs GroupMember.Read.All). */
  @property({ attribute: 'group-id', reflect: true, converter: reflectText }) groupId: string | null = null;

  /** Object ids (or userPrincipalNames), separated by commas or spaces. */
  @property({ attribute: 'user-ids' }) userIds: string | null = null;

  /** Hides the filter box. */
  @property({ type: Boolean, attribute: 'no-filter' }) noFilter = false;

  /** The filter text. */
  @property() filter = '';

  @state() private members: Member[] = [];
  @state() private status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  @state() private error = '';
  /** The scopes to ask the user for, when loading failed for want of consent. */
  @state() private consentScopes: string[] | null = null;
  @state() private granting = false;
  @state() private activeId: string | null = null;
  @state() private listScroll = 0;
  @state() private viewport = 420;

  private readonly locale = new LocaleController(this);
  private loadedFor: { client: PresenceClient; key: string } | undefined;
  private unwatch: Array<() => void> = [];
  private abort: AbortController | undefined;
  private resort = false;
  private frame = 0;
  private rowHeight = 48;
  private items: Item[] = [];
  private resize: ResizeObserver | undefined;

  private readonly clients = new ClientController(this, () => this.requestUpdate());

  private get client(): PresenceClient | undefined {
    return this.clients.client;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopWatching();
    this.loadedFor = undefined;
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  protected override firstUpdated(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (scroller && typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => {
        this.viewport = scroller.clientHeight || this.viewport;
        this.rowHeight = parseFloat(getComputedStyle(this).getPropertyValue('--_row')) || 48;
      });
      this.resize.observe(scroller);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const client = this.isConnected ? this.client : undefined;
    const key = `${textOrEmpty(this.teamId)}|${textOrEmpty(this.groupId)}|${textOrEmpty(this.userIds)}`;
    if (client && (this.loadedFor?.client !== client || this.loadedFor.key !== key)) {
      this.loadedFor = { client, key };
      void this.load(client);
    }
    // Scrolling and focus moves reuse the items; only a change of members, presence or filter rebuilds them.
    if (this.resort || changed.has('filter')) {
      if (this.resort) sortMembers(this.members);
      this.resort = false;
      this.items = buildItems(this.members, textOrEmpty(this.filter));
    }
  }

  private stopReload: (() => void) | undefined;

  /** Loads the members again (after the app changed what the user granted, say). */
  reload(): void {
    this.loadedFor = undefined;
    this.requestUpdate();
  }

  private stopWatching(): void {
    this.stopReload?.();
    this.stopReload = undefined;
    this.abort?.abort();
    for (const stop of this.unwatch) stop();
    this.unwatch = [];
  }

  private async load(client: PresenceClient): Promise<void> {
    this.stopWatching();
    // After a sign-in, a list that could not load tries again.
    this.stopReload = client.onReload(() => {
      if (this.status !== 'error') return;
      this.loadedFor = undefined;
      this.requestUpdate();
    });
    this.members = [];
    this.resort = true;
    this.status = 'loading';
    this.consentScopes = null;
    const abort = (this.abort = new AbortController());
    let first = true;
    const add = (profiles: Profile[]) => {
      if (abort.signal.aborted) return;
      const known = new Set(this.members.map((m) => m.id));
      for (const profile of profiles) {
        if (known.has(profile.id)) continue;
        known.add(profile.id);
        const member = newMember(profile);
        this.members.push(member);
        this.watchMember(client, member);
      }
      if (first) {
        // The first page shows at once; later changes are batched per frame.
        first = false;
        this.resort = true;
        this.requestUpdate();
      } else this.scheduleResort();
    };
    try {
      const teamId = text(this.teamId);
      const groupId = text(this.groupId);
      const userIds = text(this.userIds);
      if (teamId) await client.members('team', teamId, add, abort.signal);
      else if (groupId) await client.members('group', groupId, add, abort.signal);
      else if (userIds) add(userIds.split(/[\s,;]+/).filter(Boolean).map((id) => ({ id, displayName: null })));
      if (!abort.signal.aborted) this.status = 'ready';
    } catch (error) {
      if (abort.signal.aborted) return;
      this.status = 'error';
      this.error = error instanceof Error ? error.message : String(error);
      const scopes = client.consentNeededFor(error);
      this.consentScopes = scopes ?? null;
      dispatch(this, 'presence-error', scopes ? { message: this.error, scopes } : { message: this.error });
    }
  }

  /**
   * The "Grant access" click: the client asks the user inside it (so a popup may open), then reloads everything
   * that failed, this list included (`onReload`).
   */
  private async grant(): Promise<void> {
    const client = this.client;
    const scopes = this.consentScopes;
    if (!client?.canGrant || !scopes || this.granting) return;
    this.granting = true;
    try {
      // Called before any await: the click's user activation is still there for the popup.
      await client.grant(scopes);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      dispatch(this, 'presence-error', { message: this.error, scopes });
    } finally {
      this.granting = false;
    }
  }

  private renderError() {
    const m = this.locale.messages;
    if (!this.consentScopes) return html`<div part="error" class="error" role="alert">${this.error}</div>`;
    const canGrant = !!this.client?.canGrant;
    return html`<div part="error" class="error consent" role="alert">
      <p>${m.consentNeeded}</p>
      ${canGrant
        ? html`<button part="grant" type="button" ?disabled=${this.granting} @click=${this.grant}>${m.grantAccess}</button>`
        : html`<p class="detail">${this.error}</p>`}
    </div>`;
  }

  private watchMember(client: PresenceClient, member: Member): void {
    let first = true;
    this.unwatch.push(
      client.watch(
        member.id,
        (snapshot) => {
          // A name that arrives later (lists of ids) moves the member to its place and shows on its row.
          if (snapshot.profile && nameMember(member, snapshot.profile)) this.scheduleResort();
          const next = snapshot.presence;
          if (!next || next === member.presence) return;
          const previous = member.presence;
          updateMember(member, next);
          if (!first && previous && previous.availability !== 'Available' && next.availability === 'Available') {
            dispatch<MemberEventDetail>(this, 'presence-available', memberDetail(member, previous.availability));
          }
          first = false;
          this.scheduleResort();
        },
        { profile: !member.profile.displayName, photo: false },
      ),
    );
  }

  /** Re-sorting waits for the next frame, so a burst of updates costs one sort. */
  private scheduleResort(): void {
    this.resort = true;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.requestUpdate();
    });
  }

  private rows(): Array<Extract<Item, { kind: 'row' }>> {
    return this.items.filter((i): i is Extract<Item, { kind: 'row' }> => i.kind === 'row');
  }

  private select(member: Member): void {
    this.activeId = member.id;
    dispatch<MemberEventDetail>(this, 'presence-select', memberDetail(member));
  }

  private move(to: number): void {
    const rows = this.rows();
    if (!rows.length) return;
    const row = rows[Math.max(0, Math.min(rows.length - 1, to))]!;
    this.activeId = row.member.id;
    this.revealMember(row.member.id);
  }

  private revealMember(id: string): void {
    const at = this.items.findIndex((i) => i.kind === 'row' && i.member.id === id);
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (at < 0 || !scroller) return;
    const top = at * this.rowHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + this.rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + this.rowHeight - scroller.clientHeight;
    this.listScroll = scroller.scrollTop;
  }

  private onKey(event: KeyboardEvent): void {
    const rows = this.rows();
    const current = rows.findIndex((r) => r.member.id === this.activeId);
    const page = Math.max(1, Math.floor(this.viewport / this.rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => this.move(current + 1),
      ArrowUp: () => this.move(current < 0 ? 0 : current - 1),
      Home: () => this.move(0),
      End: () => this.move(rows.length - 1),
      PageDown: () => this.move(current + page),
      PageUp: () => this.move(current - page),
      Enter: () => current >= 0 && this.select(rows[current]!.member),
      ' ': () => current >= 0 && this.select(rows[current]!.member),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private onScroll(event: Event): void {
    this.listScroll = (event.target as HTMLElement).scrollTop;
  }

  private onFilter(event: Event): void {
    this.filter = (event.target as HTMLInputElement).value;
  }

  private onFilterKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('.scroller')?.focus();
    if (!this.activeId) this.move(0);
  }

  protected override render() {
    const m = this.locale.messages;
    const groupLabel: Record<BadgeStatus, string> = {
      available: m.availability.Available,
      busy: m.availability.Busy,
      'do-not-disturb': m.availability.DoNotDisturb,
      away: m.availability.Away,
      'out-of-office': m.outOfOffice,
      offline: m.availability.Offline,
      unknown: m.availability.PresenceUnknown,
    };
    const items = this.items;
    const rowCount = items.filter((i) => i.kind === 'row').length;
    const first = Math.max(0, Math.floor(this.listScroll / this.rowHeight) - OVERSCAN);
    const last = Math.min(items.length, Math.ceil((this.listScroll + this.viewport) / this.rowHeight) + OVERSCAN);
    const shown = items.slice(first, last).map((item, i) => ({ item, at: first + i }));
    const activeRendered = shown.some(({ item }) => item.kind === 'row' && item.member.id === this.activeId);
    const summary = items.filter((i): i is Extract<Item, { kind: 'header' }> => i.kind === 'header').map((h) => `${groupLabel[h.group]} ${h.count}`).join(m.separator);

    return html`
      ${this.noFilter
        ? nothing
        : html`<div part="toolbar" class="toolbar">
            <input part="filter" type="search" .value=${textOrEmpty(this.filter)} aria-label=${m.filterLabel} placeholder=${m.filterLabel}
              @input=${this.onFilter} @keydown=${this.onFilterKey} />
            <span class="summary" role="status" title=${summary}>${m.peopleCount.replace('{count}', String(rowCount))}</span>
          </div>`}
      ${this.status === 'error' ? this.renderError() : nothing}
      <div
        part="list"
        class="scroller"
        role="listbox"
        tabindex="0"
        aria-label=${summary || m.peopleCount.replace('{count}', '0')}
        aria-activedescendant=${activeRendered && this.activeId ? `member-${this.activeId}` : nothing}
        aria-busy=${this.status === 'loading' ? 'true' : 'false'}
        @keydown=${this.onKey}
        @scroll=${this.onScroll}
        @focus=${() => !this.activeId && this.move(0)}
      >
        <div class="spacer" ${styleProperties({ height: `${items.length * this.rowHeight}px` })}>
          ${repeat(
            shown,
            ({ item }) => (item.kind === 'row' ? item.member.id : `header-${item.group}`),
            ({ item, at }) =>
              item.kind === 'header'
                ? html`<div part="header" class="item header" aria-hidden="true" ${styleProperties({ top: `${at * this.rowHeight}px` })}>
                    ${groupLabel[item.group]} · ${item.count}
                  </div>`
                : html`<div
                    part="row"
                    class="item row ${item.member.id === this.activeId ? 'active' : ''}"
                    id=${`member-${item.member.id}`}
                    role="option"
                    aria-selected=${item.member.id === this.activeId ? 'true' : 'false'}
                    aria-setsize=${rowCount}
                    aria-posinset=${item.index + 1}
                    ${styleProperties({ top: `${at * this.rowHeight}px` })}
                    @click=${() => this.select(item.member)}
                  >
                    <presence-avatar size="small" show-name show-status user-id=${item.member.id} display-name=${item.member.profile.displayName ?? ''}></presence-avatar>
                  </div>`,
          )}
        </div>
        ${this.status === 'loading' && this.members.length === 0 ? html`<div class="empty">${m.loading}</div>` : nothing}
        ${this.members.length > 0 && rowCount === 0 && textOrEmpty(this.filter) ? html`<div class="empty">${m.noMatch}</div>` : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'team-presence-list': TeamPresenceList;
  }
  interface HTMLElementEventMap {
    'presence-select': CustomEvent<MemberEventDetail>;
    'presence-available': CustomEvent<MemberEventDetail>;
  }
}
