import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onDefaultClient, presenceClientContext } from '../../client/context.js';
import type { PresenceClient } from '../../client/presence-client.js';

export type Host = ReactiveControllerHost & HTMLElement;

/**
 * Finds an element's client: the nearest `<presence-provider>`'s, else the page's default. Calls `onChange` when
 * it changes (a provider appears, the default is set).
 */
export class ClientController implements ReactiveController {
  private provided: PresenceClient | undefined;
  private fallback: PresenceClient | undefined;
  private stopDefault: (() => void) | undefined;

  constructor(
    host: Host,
    private readonly onChange: () => void,
  ) {
    host.addController(this);
    new ContextConsumer(host, {
      context: presenceClientContext,
      subscribe: true,
      callback: (client) => {
        this.provided = client;
        this.onChange();
      },
    });
  }

  get client(): PresenceClient | undefined {
    return this.provided ?? this.fallback;
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
