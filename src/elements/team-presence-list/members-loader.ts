// Loads a team list's members and keeps their presence watched: paging, abort, consent and reload.
import type { ReactiveController } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import type { Profile } from '../../client/types.js';
import { emit } from '../../events/emit.js';
import { text, textOrEmpty } from '../shared/coerce.js';
import type { Host } from '../shared/client-controller.js';
import { addProfiles, memberDetail, nameMember, parseUserIds, updateMember, type Member } from './roster-model.js';

/** Where the members come from: a team, a group or a list of ids, as the element's properties hold them. */
export interface MembersQuery {
  teamId: unknown;
  groupId: unknown;
  userIds: unknown;
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * Loads the members of the host's query from its client, one page at a time, and watches each member's presence.
 * A new client or query aborts the run in progress and starts again; results of an aborted run are dropped. When
 * loading fails for want of consent, `consentScopes` says what to ask for and `grant` asks it; after a sign-in
 * (the client's `onReload`) a failed load runs again.
 *
 * The host re-renders on every change. Changes of order (a page, a presence, a late name) are batched per frame;
 * `takeResort()` tells the host when the members need sorting again.
 */
export class MembersLoader implements ReactiveController {
  members: Member[] = [];
  status: LoadStatus = 'idle';
  error = '';
  /** The scopes to ask the user for, when loading failed for want of consent. */
  consentScopes: string[] | null = null;
  granting = false;

  private loadedFor: { client: PresenceClient; key: string } | undefined;
  private unwatch: Array<() => void> = [];
  private abort: AbortController | undefined;
  private stopReload: (() => void) | undefined;
  private resort = false;
  private frame = 0;

  constructor(
    private readonly host: Host,
    private readonly query: () => MembersQuery,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopWatching();
    this.loadedFor = undefined;
    // Forgotten as well as cancelled: a frame id left behind would make every later re-order wait for it forever.
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Starts loading when the client or the query changed since the last load. Call before each render. */
  sync(client: PresenceClient | undefined): void {
    const { teamId, groupId, userIds } = this.query();
    const key = `${textOrEmpty(teamId)}|${textOrEmpty(groupId)}|${textOrEmpty(userIds)}`;
    if (client && (this.loadedFor?.client !== client || this.loadedFor.key !== key)) {
      this.loadedFor = { client, key };
      void this.load(client);
    }
  }

  /** True once after the members changed in a way that moves them (then they need sorting again). */
  takeResort(): boolean {
    const resort = this.resort;
    this.resort = false;
    return resort;
  }

  /** Loads the members again on the next update. */
  reload(): void {
    this.loadedFor = undefined;
    this.host.requestUpdate();
  }

  /**
   * The "Grant access" click: the client asks the user inside it (so a popup may open), then reloads everything
   * that failed, this list included (`onReload`).
   */
  async grant(client: PresenceClient | undefined): Promise<void> {
    const scopes = this.consentScopes;
    if (!client?.canGrant || !scopes || this.granting) return;
    this.set({ granting: true });
    try {
      // Called before any await: the click's user activation is still there for the popup.
      await client.grant(scopes);
    } catch (error) {
      this.set({ error: error instanceof Error ? error.message : String(error) });
      emit(this.host, 'presence-error', { kind: 'consent', message: this.error, scopes });
    } finally {
      this.set({ granting: false });
    }
  }

  private set(
    changes: Partial<Pick<MembersLoader, 'members' | 'status' | 'error' | 'consentScopes' | 'granting'>>,
  ): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
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
      this.reload();
    });
    this.set({ members: [], status: 'loading', consentScopes: null });
    this.resort = true;
    const abort = (this.abort = new AbortController());
    let first = true;
    const add = (profiles: Profile[]) => {
      if (abort.signal.aborted) return;
      for (const member of addProfiles(this.members, profiles)) this.watchMember(client, member);
      if (first) {
        // The first page shows at once; later changes are batched per frame.
        first = false;
        this.resort = true;
        this.host.requestUpdate();
      } else this.scheduleResort();
    };
    try {
      const { teamId: team, groupId: group, userIds: ids } = this.query();
      const teamId = text(team);
      const groupId = text(group);
      const userIds = text(ids);
      if (teamId) await client.members('team', teamId, add, abort.signal);
      else if (groupId) await client.members('group', groupId, add, abort.signal);
      else if (userIds) add(parseUserIds(userIds).map((id) => ({ id, displayName: null })));
      if (!abort.signal.aborted) this.set({ status: 'ready' });
    } catch (error) {
      if (abort.signal.aborted) return;
      const scopes = client.consentNeededFor(error);
      this.set({
        status: 'error',
        error: error instanceof Error ? error.message : String(error),
        consentScopes: scopes ?? null,
      });
      emit(
        this.host,
        'presence-error',
        scopes ? { kind: 'consent', message: this.error, scopes } : { kind: 'members', message: this.error },
      );
    }
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
            emit(this.host, 'presence-available', memberDetail(member, previous.availability));
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
      this.host.requestUpdate();
    });
  }
}
