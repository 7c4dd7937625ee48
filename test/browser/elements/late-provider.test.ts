// A page whose <presence-provider> is defined after its avatars (the autoloader may load the avatar's chunk first):
// each avatar, asked for before any provider could answer, still gets its own provider's client when the provider
// is upgraded, not the page's default one. This file defines the tags itself, the provider last.
import { ContextRoot, consume } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { PresenceClient, presenceClientContext, type PresenceAvatar } from '../../../src/index.js';
import '../../../src/define/presence-avatar.js';
import { clientOf } from '../support/named-client.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Who the avatar says it shows (its accessible name starts with the person's name). */
const shown = (avatar: PresenceAvatar) =>
  avatar.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label') ?? '';

/** A user's element reading the client with Lit's `@consume`. */
class ClientReader extends LitElement {
  @consume({ context: presenceClientContext, subscribe: true })
  @property({ attribute: false })
  client: PresenceClient | undefined;
}
customElements.define('test-late-reader', ClientReader);

describe('providers defined after the elements inside them', () => {
  it("each element gets its own provider's client once the provider is upgraded", async () => {
    const [a, b, c] = [clientOf('Tenant A'), clientOf('Tenant B'), clientOf('Tenant C')];
    const root = await fixture(html`<div>
      <presence-provider .client=${a}><presence-avatar class="a" user-id=${id(1)}></presence-avatar></presence-provider>
      <presence-provider .client=${b}><presence-avatar class="b" user-id=${id(1)}></presence-avatar></presence-provider>
    </div>`);
    // A Lit app buffers its own elements' requests with a ContextRoot, which asks again when a provider says so.
    const litApp = document.createElement('div');
    new ContextRoot().attach(litApp);
    litApp.innerHTML = '<presence-provider><test-late-reader></test-late-reader></presence-provider>';
    Object.assign(litApp.querySelector('presence-provider')!, { client: c });
    root.append(litApp);
    const reader = litApp.querySelector<ClientReader>('test-late-reader')!;
    const [first, second] = ['.a', '.b'].map((s) => root.querySelector<PresenceAvatar>(s)!);
    expect(customElements.get('presence-provider')).to.equal(undefined);
    expect(reader.client).to.equal(undefined);

    await import('../../../src/define/presence-provider.js');
    await waitUntil(
      () => shown(first!).startsWith('Tenant A,') && shown(second!).startsWith('Tenant B,'),
      "each avatar shows its provider's client, not the page's default",
    );
    // Compared as a boolean: chai would print the whole client on a failure.
    expect(reader.client === c).to.equal(true, 'the Lit element gets the client of the provider around it');
  });
});
