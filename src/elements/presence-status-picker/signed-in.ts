// Whether someone is signed in to the host's client, asked again after the client's calls fail and after reload().
import type { ReactiveController } from 'lit';
import type { TokenProvider } from '../../auth/token-provider.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { ClientController, type Host } from '../shared/client-controller.js';

/**
 * `signedIn` is true while the client's token provider says someone is signed in (`account()`, which
 * `msalTokenProvider` has), false when it says nobody is or there is no client, and undefined until it has answered.
 * A client whose provider cannot say (demo, a token of the app's own) counts as signed in.
 */
export class SignedInController implements ReactiveController {
  signedIn: boolean | undefined;
  private readonly clients: ClientController;
  private following: PresenceClient | undefined;
  private stop: (() => void) | undefined;
  private asked = 0;

  constructor(private readonly host: Host) {
    this.clients = new ClientController(host, () => this.follow());
    host.addController(this);
  }

  get client(): PresenceClient | undefined {
    return this.clients.client;
  }

  hostConnected(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = undefined;
    this.following = undefined;
  }

  private follow(): void {
    const client = this.host.isConnected ? this.client : undefined;
    if (client === this.following) return;
    this.stop?.();
    this.stop = undefined;
    this.following = client;
    if (client) {
      const stops = [client.onError(() => void this.ask()), client.onReload(() => void this.ask())];
      this.stop = () => stops.forEach((stop) => stop());
    }
    void this.ask();
  }

  private async ask(): Promise<void> {
    const client = this.following;
    const asked = ++this.asked;
    const auth = client?.auth as TokenProvider | undefined;
    let signedIn = !!client;
    if (client && typeof auth?.account === 'function') {
      signedIn = !!(await auth.account().catch(() => null));
    }
    // An older answer arriving late is dropped.
    if (asked !== this.asked || signedIn === this.signedIn) return;
    this.signedIn = signedIn;
    this.host.requestUpdate();
  }
}
