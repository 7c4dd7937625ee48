import { ContextProvider } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { getDefaultClient, presenceClientContext, setDefaultClient } from '../../client/context.js';
import { createPresenceClient } from '../../client/create.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { msalTokenProvider } from '../../auth/msal.js';
import { dispatch } from '../events.js';
import { oneOf, positive, text } from '../shared/coerce.js';

/** A client made in code, or undefined for anything else given as `client`. */
function usable(client: unknown): PresenceClient | undefined {
  const c = client as Partial<PresenceClient> | null | undefined;
  return typeof c === 'object' && c !== null && typeof c.watch === 'function' ? (c as PresenceClient) : undefined;
}

/**
 * @summary Gives a presence client to every element inside it: a demo tenant, or Microsoft Graph signed in with MSAL.
 *
 * @tag presence-provider
 *
 * @slot - The elements that use this provider's client.
 *
 * @event {CustomEvent<{ message: string }>} presence-error - The provider could not make its client: the message says
 *   what is missing (a `client-id`, or the `negotiate-url` of `transport="signalr"`). Sent once per configuration.
 *   Bubbles and is composed.
 */
export class PresenceProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** A client made in code (`createPresenceClient`); wins over the attributes. */
  @property({ attribute: false }) client: PresenceClient | undefined;

  /** Runs on a simulated tenant in the browser: no account, no sign-in. */
  @property({ type: Boolean, reflect: true }) demo = false;

  /** The app registration's client id (Microsoft Entra ID). */
  @property({ attribute: 'client-id' }) clientId: string | null = null;

  /** The tenant id or domain; `organizations` by default. */
  @property() tenant: string | null = null;

  /** The full authority URL, for clouds or emulators; wins over `tenant`. */
  @property() authority: string | null = null;

  /** The redirect-bridge page; default `/redirect.html` on this origin. */
  @property({ attribute: 'redirect-uri' }) redirectUri: string | null = null;

  /** `polling` (default), `signalr` (pushed by the relay; needs `negotiate-url`) or `demo`. */
  @property() transport: 'polling' | 'signalr' | 'demo' = 'polling';

  /** For `signalr`: the relay's API root, where `/negotiate` and `/watch` are. */
  @property({ attribute: 'negotiate-url' }) negotiateUrl: string | null = null;

  /** For `signalr`: the relay API's scope, e.g. `api://<relay client id>/access_as_user`. */
  @property({ attribute: 'relay-scope' }) relayScope: string | null = null;

  /** Seconds between polls. Default 30. */
  @property({ type: Number }) interval = 30;

  /** Microsoft Graph's root, for sovereign clouds or the local emulator. */
  @property({ attribute: 'graph-base-url' }) graphBaseUrl: string | null = null;

  private readonly provider = new ContextProvider(this, { context: presenceClientContext });
  private owned: PresenceClient | undefined;
  /** The client must be made (again): first render, another configuration, or reconnected after disposing it. */
  private outdated = true;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const keys = ['client', 'demo', 'clientId', 'tenant', 'authority', 'redirectUri', 'transport', 'interval', 'graphBaseUrl', 'negotiateUrl', 'relayScope'] as const;
    // Only when something changed: a configuration that makes no client reports it once, not on every render.
    if (keys.some((k) => changed.has(k)) || this.outdated) {
      this.outdated = false;
      this.makeClient();
    }
  }

  /** The client this provider gives to its elements. */
  get current(): PresenceClient | undefined {
    return this.provider.value;
  }

  private makeClient(): void {
    const given = usable(this.client);
    let next = given;
    const clientId = text(this.clientId);
    const authority = text(this.authority);
    const tenant = text(this.tenant);
    const redirectUri = text(this.redirectUri);
    const negotiateUrl = text(this.negotiateUrl);
    const relayScope = text(this.relayScope);
    const graphBaseUrl = text(this.graphBaseUrl);
    const transport = oneOf(this.transport, ['polling', 'signalr', 'demo'] as const, 'polling');
    if (!next) {
      try {
        if (this.demo || transport === 'demo') next = createPresenceClient({ transport: 'demo' });
        else if (!clientId) {
          throw new Error('<presence-provider> has no client: set its `client-id` attribute to the app registration\'s client id, add `demo` for the simulated tenant, or give it a client made in code (`.client`).');
        } else if (transport === 'signalr' && !negotiateUrl) {
          throw new Error('<presence-provider transport="signalr"> needs a `negotiate-url` attribute: the relay\'s API root.');
        } else {
          const auth = msalTokenProvider({
            clientId,
            ...(authority ? { authority } : {}),
            ...(tenant ? { tenantId: tenant } : {}),
            ...(redirectUri ? { redirectUri } : {}),
          });
          // Tabs of this app, signed in to this tenant, reading this Graph share one poller (the token provider's
          // `tabKey` with Graph's root); another app or tenant on the same origin has a poller of its own.
          next = createPresenceClient({
            auth,
            transport: transport === 'signalr' ? 'signalr' : 'polling',
            pollingIntervalMs: positive(this.interval, 30) * 1000,
            ...(graphBaseUrl ? { graphBaseUrl } : {}),
            ...(negotiateUrl ? { relayUrl: negotiateUrl } : {}),
            ...(relayScope ? { relayScopes: [relayScope] } : {}),
          });
        }
      } catch (error) {
        dispatch(this, 'presence-error', { message: (error as Error).message });
      }
    }
    const previous = this.provider.value;
    if (previous === next) return;
    if (this.owned && this.owned !== next) {
      if (getDefaultClient() === this.owned) setDefaultClient(undefined);
      this.owned.dispose();
      this.owned = undefined;
    }
    if (next && next !== given) this.owned = next;
    this.provider.setValue(next);
    if (next && this.isConnected && !getDefaultClient()) setDefaultClient(next);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const value = this.provider.value;
    if (value && !getDefaultClient()) setDefaultClient(value);
    if (this.outdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (getDefaultClient() === this.provider.value) setDefaultClient(undefined);
    // A removed provider stops the client it made (its poller, its lock, its requests). After a microtask, so that
    // moving the provider elsewhere in the page keeps the client.
    queueMicrotask(() => {
      if (this.isConnected || !this.owned) return;
      const owned = this.owned;
      this.owned = undefined;
      this.provider.setValue(undefined);
      owned.dispose();
      this.outdated = true;
    });
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-provider': PresenceProvider;
  }
}
