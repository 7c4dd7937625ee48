// The context through which a provider gives its client follows the Context Community Protocol: Lit's own
// `@consume` and `ContextProvider` (@lit/context, the real one) work with our provider and our elements.
import { ContextProvider, consume } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import {
  PresenceClient,
  presenceClientContext,
  setDefaultClient,
  type PresenceAvatar,
  type PresenceProvider,
} from '../../../src/index.js';
import '../../../src/define.js';
import { maybePart } from '../support/fixtures.js';
import { clientOf } from '../support/named-client.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Clients are compared with ===: on a failure, chai would try to print a whole client.

/** Who the avatar says it shows (its accessible name starts with the person's name). */
const shown = (avatar: PresenceAvatar) => maybePart(avatar, 'base')?.getAttribute('aria-label') ?? '';

/** A user's element reading the client with Lit's `@consume`. */
class ClientReader extends LitElement {
  @consume({ context: presenceClientContext, subscribe: true })
  @property({ attribute: false })
  client: PresenceClient | undefined;
}
customElements.define('test-client-reader', ClientReader);

/** A user's element giving a client with Lit's `ContextProvider`. */
class LitClientProvider extends LitElement {
  readonly provider = new ContextProvider(this, { context: presenceClientContext });
  protected override createRenderRoot() {
    return this;
  }
}
customElements.define('test-lit-client-provider', LitClientProvider);

describe('the client context and @lit/context', () => {
  afterEach(() => setDefaultClient(undefined));

  it("a Lit element's @consume gets the provider's client, then the next one, until it is removed", async () => {
    const [a, b, c] = [clientOf('A'), clientOf('B'), clientOf('C')];
    const provider = await fixture<PresenceProvider>(
      html`<presence-provider .client=${a}><test-client-reader></test-client-reader></presence-provider>`,
    );
    const reader = provider.querySelector<ClientReader>('test-client-reader')!;
    expect(reader.client === a).to.equal(true);

    provider.client = b;
    await provider.updateComplete;
    expect(reader.client === b).to.equal(true);

    reader.remove();
    provider.client = c;
    await provider.updateComplete;
    expect(reader.client === b).to.equal(true, 'a removed element is told nothing more');
  });

  it('inside nested providers, a Lit element gets the nearest one', async () => {
    const [outer, inner] = [clientOf('Outer'), clientOf('Inner')];
    const root = await fixture<PresenceProvider>(html`<presence-provider .client=${outer}>
      <test-client-reader class="out"></test-client-reader>
      <presence-provider .client=${inner}><test-client-reader class="in"></test-client-reader></presence-provider>
    </presence-provider>`);
    expect(root.querySelector<ClientReader>('.out')!.client === outer).to.equal(true);
    expect(root.querySelector<ClientReader>('.in')!.client === inner).to.equal(true);
  });

  it("our avatar inside a @lit/context ContextProvider shows that provider's client, and follows it", async () => {
    setDefaultClient(clientOf('Default'));
    const host = await fixture<LitClientProvider>(
      html`<test-lit-client-provider><presence-avatar user-id=${id(1)}></presence-avatar></test-lit-client-provider>`,
    );
    const avatar = host.querySelector('presence-avatar')!;
    host.provider.setValue(clientOf('Given by Lit'));
    await waitUntil(() => shown(avatar).startsWith('Given by Lit,'), 'the avatar uses the Lit provider');
    host.provider.setValue(clientOf('Changed by Lit'));
    await waitUntil(() => shown(avatar).startsWith('Changed by Lit,'), 'the avatar follows the new value');
  });

  it('a presence-provider inside a @lit/context ContextProvider takes over the elements inside it', async () => {
    const [lit, ours] = [clientOf('Lit'), clientOf('Ours')];
    const host = await fixture<LitClientProvider>(html`<test-lit-client-provider>
      <presence-avatar class="lit" user-id=${id(2)}></presence-avatar>
      <presence-provider .client=${ours}><presence-avatar class="ours" user-id=${id(2)}></presence-avatar></presence-provider>
    </test-lit-client-provider>`);
    host.provider.setValue(lit);
    const [outside, inside] = ['.lit', '.ours'].map((s) => host.querySelector<PresenceAvatar>(s)!);
    await waitUntil(() => shown(outside!).startsWith('Lit,') && shown(inside!).startsWith('Ours,'));
  });

  it("a @lit/context ContextProvider added inside a presence-provider takes over its subtree's Lit elements", async () => {
    const [ours, lit] = [clientOf('Ours'), clientOf('Lit')];
    const provider = await fixture<PresenceProvider>(
      html`<presence-provider .client=${ours}><div><test-client-reader></test-client-reader></div></presence-provider>`,
    );
    const reader = provider.querySelector<ClientReader>('test-client-reader')!;
    expect(reader.client === ours).to.equal(true);
    // Made around the reader without moving it: its ContextProvider, connected, says so; ours hands the reader over.
    const wrapper = provider.querySelector('div')!;
    const litProvider = new ContextProvider(wrapper, { context: presenceClientContext, initialValue: lit });
    litProvider.hostConnected();
    expect(reader.client === lit).to.equal(true);
    provider.client = clientOf('Ours again');
    await provider.updateComplete;
    expect(reader.client === lit).to.equal(true, 'the nearer provider is the one that counts');
  });
});
