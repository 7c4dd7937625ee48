import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onDefaultClient, presenceClientContext } from '../../client/context.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { consumeContext } from '../../context/consume.js';
import { noteServerRender, rendersAsServer } from './server-rendered.js';

export type Host = ReactiveControllerHost & HTMLElement;

/** An element with controllers that renders into a root of its own (LitElement, PresenceElement). */
export type RenderingHost = Host & { readonly renderRoot: HTMLElement | DocumentFragment };

/**
 * Finds an element's client: the nearest `<presence-provider>`'s, else the page's default. Calls `onChange` when
 * it changes (a provider appears, the default is set).
 *
 * An element rendered on the server had no client there: on the client, its first render (the one that hydrates
 * the server's shadow root) sees none either, and `onChange` follows it.
 */
export class ClientController implements ReactiveController {
  private provided: PresenceClient | undefined;
  private fallback: PresenceClient | undefined;
  private stopDefault: (() => void) | undefined;
  private hydrating: boolean;

  constructor(
    host: Host,
    private readonly onChange: () => void,
  ) {
    noteServerRender(host);
    this.hydrating = rendersAsServer(host);
    host.addController(this);
    consumeContext(host, presenceClientContext, (client) => {
      this.provided = client;
      this.onChange();
    });
  }

  get client(): PresenceClient | undefined {
    if (this.hydrating) return undefined;
    return this.provided ?? this.fallback;
  }

  hostUpdated(): void {
    // The first update, the one that hydrates, has rendered (Lit calls this before it marks the host updated, so
    // `rendersAsServer` still says true here: waiting for it to say false would wait for some other update).
    if (!this.hydrating) return;
    this.hydrating = false;
    // Render again with what the server could not know (the client, and whatever the host reads from the page).
    this.onChange();
  }

  hostConnected(): void {
    this.stopDefault = onDefaultClient((client) => {
      this.fallback = client;
      this.onChange();
    });
  }

  hostDisconnected(): void {
    this.stopDefault?.();
    this.stopDefault = undefined;
  }
}
