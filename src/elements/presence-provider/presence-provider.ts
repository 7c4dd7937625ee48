import type { PropertyValues, TemplateResult } from 'lit';
import { css } from '../shared/css.js';
import { getDefaultClient, presenceClientContext, setDefaultClient } from '../../client/context.js';
import { clientFromAttributes } from '../../client/from-attributes.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { provideContext } from '../../context/provide.js';
import { emit } from '../../events/emit.js';
import { oneOf, positive, text } from '../shared/coerce.js';
import { ElementBase } from '../shared/element-base.js';
import { noteServerRender } from '../shared/server-rendered.js';
import { html } from '../shared/template.js';

/** The client made in code given as `client`: undefined for none, why not for anything that is not a client. */
function givenClient(client: unknown): PresenceClient | undefined | string {
  if (client == null) return undefined;
  try {
    if (typeof (client as Partial<PresenceClient>).watch == 'function') return client as PresenceClient;
  } catch {
    // A proxy that throws when read (or a revoked one) is no client either.
  }
  return 'client is not a PresenceClient; the attributes make the client.';
}

/**
 * @summary Gives a presence client to every element inside it: a demo tenant, or Microsoft Graph signed in with MSAL.
 *
 * @tag presence-provider
 *
 * @slot - The elements that use this provider's client.
 *
 * @event {PresenceErrorEvent} presence-error - The provider could not make its client (`kind: 'config'`): the message
 *   says what is missing (a `client-id`, or the `negotiate-url` of `transport="signalr"`), or that what was given as
 *   `client` is not a presence client (the attributes make one instead). Sent once per configuration. A bare tag
 *   (no attribute) says it has no client only if it is still given none 1 s later: a framework may set its
 *   properties after the tag is defined (React's wrappers, when a server-rendered page hydrates). Bubbles and is
 *   composed.
 */
export class PresenceProvider extends ElementBase {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  // The reactive properties, declared here rather than with decorators: the helper TypeScript emits for decorators
  // and Lit's decorator code would weigh on every live page.
  static override properties = {
    client: { attribute: false },
    demo: { type: Boolean, reflect: true },
    clientId: { attribute: 'client-id' },
    tenant: {},
    authority: {},
    redirectUri: { attribute: 'redirect-uri' },
    transport: {},
    negotiateUrl: { attribute: 'negotiate-url' },
    relayScope: { attribute: 'relay-scope' },
    interval: { type: Number },
    graphBaseUrl: { attribute: 'graph-base-url' },
  };

  /**
   * A client made in code (`createPresenceClient`); wins over the attributes. Anything else (a number, an object
   * without `watch`, a proxy that throws) is refused with a `presence-error` of kind `config`, and the attributes make
   * the client.
   */
  client: PresenceClient | undefined;

  /** Runs on a simulated tenant in the browser: no account, no sign-in. */
  demo = false;

  /** The app registration's client id (Microsoft Entra ID). */
  clientId: string | null = null;

  /** The tenant id or domain; `organizations` by default. */
  tenant: string | null = null;

  /** The full authority URL, for clouds or emulators; wins over `tenant`. */
  authority: string | null = null;

  /** The redirect-bridge page; default `/redirect.html` on this origin. */
  redirectUri: string | null = null;

  /** `polling` (default), `signalr` (pushed by the relay; needs `negotiate-url`) or `demo`. */
  transport: 'polling' | 'signalr' | 'demo' = 'polling';

  /** For `signalr`: the relay's API root, where `/negotiate` and `/watch` are. */
  negotiateUrl: string | null = null;

  /** For `signalr`: the relay API's scope, e.g. `api://<relay client id>/access_as_user`. */
  relayScope: string | null = null;

  /** Seconds between polls. Default 30. */
  interval = 30;

  /** Microsoft Graph's root, for sovereign clouds or the local emulator. */
  graphBaseUrl: string | null = null;

  private readonly provider = provideContext(this, presenceClientContext, undefined);

  constructor() {
    super();
    noteServerRender(this);
  }
  private owned: PresenceClient | undefined;
  /** The client must be made (again): first render, another configuration, or reconnected after disposing it. */
  private outdated = true;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Only when something changed: a configuration that makes no client reports it once, not on every render. Every
    // property declared here is part of the configuration (those of a subclass are not).
    if (
      Object.keys(PresenceProvider.properties).some((k) => changed.has(k as keyof PresenceProvider)) ||
      this.outdated
    ) {
      this.outdated = false;
      this.makeClient();
    }
  }

  /** The client this provider gives to its elements. */
  get current(): PresenceClient | undefined {
    return this.provider.value;
  }

  private makeClient(): void {
    const given = givenClient(this.client);
    let next = typeof given == 'string' ? undefined : given;
    if (typeof given == 'string') emit(this, 'presence-error', { kind: 'config', message: given });
    if (!next) {
      const made = clientFromAttributes({
        demo: Boolean(this.demo),
        clientId: text(this.clientId),
        tenant: text(this.tenant),
        authority: text(this.authority),
        redirectUri: text(this.redirectUri),
        transport: oneOf(this.transport, ['polling', 'signalr', 'demo'] as const, 'polling'),
        negotiateUrl: text(this.negotiateUrl),
        relayScope: text(this.relayScope),
        intervalSeconds: positive(this.interval, 30),
        graphBaseUrl: text(this.graphBaseUrl),
      });
      if ('client' in made) next = made.client;
      else if (this.attributes.length) emit(this, 'presence-error', made.error);
      // A bare tag given nothing yet may be waiting for its framework: React's wrappers set a server-rendered
      // provider's properties (`demo`, `client`) only once the page hydrates, after the tag was defined. Said if
      // it is still a bare tag without a client 1 s later.
      else
        setTimeout(
          () => this.attributes.length || this.provider.value || emit(this, 'presence-error', made.error),
          1000,
        );
    }
    const previous = this.provider.value;
    if (previous === next) return;
    if (this.owned && this.owned !== next) {
      if (getDefaultClient() === this.owned) setDefaultClient(undefined);
      this.owned.dispose();
      this.owned = undefined;
    }
    if (next && next !== given) this.owned = next;
    this.provider.set(next);
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
      this.provider.set(undefined);
      owned.dispose();
      this.outdated = true;
    });
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-provider': PresenceProvider;
  }
}
