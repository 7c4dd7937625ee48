import type { ReactiveController } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import type { PersonSnapshot, WatchOptions } from '../../client/types.js';
import { isStale } from '../../presence/stale.js';
import { ClientController, type Host } from './client-controller.js';

/**
 * Finds an element's client (the nearest `<presence-provider>`, else the page's default) and keeps one person
 * watched while the element is connected. The host re-renders on every change.
 */
export class PersonController implements ReactiveController {
  snapshot: PersonSnapshot | undefined;
  private readonly clients: ClientController | undefined;
  private unwatch: (() => void) | undefined;
  private watching: { client: PresenceClient; key: string } | undefined;
  private key: string | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: Host,
    private readonly options: () => WatchOptions = () => ({}),
  ) {
    this.clients = new ClientController(host, () => this.sync());
    host.addController(this);
  }

  get client(): PresenceClient | undefined {
    // Created on a connected host (an avatar loads this controller when it first has someone to watch), the client
    // controller finds its client while being constructed, before `clients` is set: `hostConnected` catches up.
    return this.clients?.client;
  }

  /** The person to watch (id, userPrincipalName or `me`), or null for none. */
  setKey(key: string | null): void {
    this.key = key?.trim() || null;
    this.sync();
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** True when the shown presence is older than the client allows, or its last refresh failed. */
  get stale(): boolean {
    const s = this.snapshot;
    if (!s?.presence) return false;
    return this.client
      ? isStale({ failed: s.stale, receivedAt: s.receivedAt }, this.client.staleAfterMs, Date.now())
      : s.stale;
  }

  /** Re-renders the host when its presence turns stale, so the mark appears without another update. */
  private scheduleStale(): void {
    clearTimeout(this.staleTimer);
    const receivedAt = this.snapshot?.receivedAt;
    const client = this.client;
    if (receivedAt === undefined || !client) return;
    const due = receivedAt + client.staleAfterMs - Date.now() + 1;
    if (due > 0 && due < 2 ** 31) this.staleTimer = setTimeout(() => this.host.requestUpdate(), due);
  }

  private stop(): void {
    clearTimeout(this.staleTimer);
    this.unwatch?.();
    this.unwatch = undefined;
    this.watching = undefined;
  }

  private sync(): void {
    const client = this.host.isConnected ? this.client : undefined;
    if (this.watching && this.watching.client === client && this.watching.key === this.key) return;
    this.stop();
    this.snapshot = undefined;
    if (client && this.key) {
      this.watching = { client, key: this.key };
      this.unwatch = client.watch(
        this.key,
        (snapshot) => {
          this.snapshot = snapshot;
          this.scheduleStale();
          this.host.requestUpdate();
        },
        this.options(),
      );
    }
    this.host.requestUpdate();
  }
}
