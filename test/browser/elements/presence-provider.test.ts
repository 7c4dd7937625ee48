import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  setDefaultClient,
  type PollingTransport,
  type PresenceErrorDetail,
  type PresenceProvider,
} from '../../../src/index.js';
import '../../../src/define.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The pollers' locks of one app (by client id), held or waited for, in this browser. */
async function pollers(clientId: string) {
  const { held = [], pending = [] } = await navigator.locks.query();
  const mine = (locks: LockInfo[]) =>
    locks
      .map((l) => l.name ?? '')
      .filter((name) => name.startsWith('presence-elements-poller:') && name.includes(clientId));
  return { held: mine(held), pending: mine(pending) };
}

/** Starts a provider's client polling, as its first element would (nobody is signed in: the polls fail, quietly). */
const start = (provider: PresenceProvider, n: number) =>
  provider.current!.watch(id(n), () => {}, { profile: false, photo: false });

/** A provider made from `markup` in the page and first rendered, with every presence-error sent from it. */
async function mounted(markup: string) {
  const errors: PresenceErrorDetail[] = [];
  const root = document.createElement('div');
  root.addEventListener('presence-error', (e) => errors.push((e as CustomEvent<PresenceErrorDetail>).detail));
  document.body.append(root);
  root.innerHTML = markup;
  const provider = root.querySelector('presence-provider')!;
  await provider.updateComplete;
  return { errors, provider, remove: () => root.remove() };
}

describe('<presence-provider>', () => {
  afterEach(() => setDefaultClient(undefined));

  it('gives each tenant of an app its own poller, and one app in one tenant a single one', async () => {
    const clientId = crypto.randomUUID();
    const root = await fixture(html`<div>
      <presence-provider class="a" client-id=${clientId} tenant="contoso.example"></presence-provider>
      <presence-provider class="b" client-id=${clientId} tenant="fabrikam.example"></presence-provider>
      <presence-provider class="c" client-id=${clientId} tenant="contoso.example"></presence-provider>
    </div>`);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => root.querySelector<PresenceProvider>(`.${name}`)!);
    start(a!, 1);
    start(b!, 2);
    start(c!, 3);
    await waitUntil(async () => (await pollers(clientId)).held.length === 2, 'two tenants, two pollers', {
      timeout: 3000,
    });
    const { held, pending } = await pollers(clientId);
    expect(new Set(held).size).to.equal(2);
    expect(pending.length).to.equal(1, 'the second provider of the same tenant listens to the first');
    expect(held).to.include(pending[0]);
  });

  it('a removed provider stops its client and lets go of its poller; put back, it makes a new one', async () => {
    const clientId = crypto.randomUUID();
    const root = await fixture(
      html`<div><presence-provider client-id=${clientId} tenant="contoso.example"></presence-provider></div>`,
    );
    const provider = root.querySelector('presence-provider')!;
    const first = provider.current!;
    start(provider, 1);
    await waitUntil(async () => (await pollers(clientId)).held.length === 1, 'polling', { timeout: 3000 });

    provider.remove();
    await waitUntil(
      async () => {
        const { held, pending } = await pollers(clientId);
        return held.length === 0 && pending.length === 0;
      },
      'the lock is released',
      { timeout: 3000 },
    );
    expect((first.transport as PollingTransport).leader).to.equal(false);
    expect(provider.current).to.equal(undefined);

    root.append(provider);
    await waitUntil(() => provider.current, 'a new client', { timeout: 3000 });
    expect(provider.current).to.not.equal(first);
    start(provider, 1);
    await waitUntil(async () => (await pollers(clientId)).held.length === 1, 'polling again', { timeout: 3000 });
    provider.remove();
  });

  it('moved within the page, a provider keeps its client', async () => {
    const root = await fixture(html`<div><presence-provider demo></presence-provider><section></section></div>`);
    const provider = root.querySelector('presence-provider')!;
    const client = provider.current;
    root.querySelector('section')!.append(provider);
    await new Promise((r) => setTimeout(r, 0));
    expect(provider.current).to.equal(client);
  });

  it('says what is missing with presence-error, once per configuration', async () => {
    const messages: string[] = [];
    const root = document.createElement('div');
    root.addEventListener('presence-error', (e) =>
      messages.push((e as CustomEvent<{ message: string }>).detail.message),
    );
    document.body.append(root);
    try {
      root.innerHTML = '<presence-provider tenant="contoso.example"></presence-provider>';
      const provider = root.querySelector('presence-provider')!;
      await provider.updateComplete;
      expect(provider.current).to.equal(undefined);
      expect(messages.length).to.equal(1);
      expect(messages[0]).to.match(/`client-id`/);

      provider.requestUpdate();
      await provider.updateComplete;
      expect(messages.length).to.equal(1, 'not again on another render');

      provider.setAttribute('client-id', crypto.randomUUID());
      provider.setAttribute('transport', 'signalr');
      await provider.updateComplete;
      expect(messages.length).to.equal(2);
      expect(messages[1]).to.match(/`negotiate-url`/);

      provider.setAttribute('demo', '');
      await provider.updateComplete;
      expect(provider.current).to.not.equal(undefined);
      expect(messages.length).to.equal(2);
    } finally {
      root.remove();
    }
  });

  it('every presence-error it sends is of kind config', async () => {
    const { errors, provider, remove } = await mounted(
      '<presence-provider tenant="contoso.example"></presence-provider>',
    );
    try {
      provider.setAttribute('client-id', crypto.randomUUID());
      provider.setAttribute('transport', 'signalr');
      await provider.updateComplete;
      expect(errors.map((e) => e.kind)).to.deep.equal(['config', 'config']);
    } finally {
      remove();
    }
  });

  // A server-rendered React wrapper (Next.js) sends the bare tag: its `demo` or `client`, a boolean or an object, is
  // set as a property only once the page hydrates, after the tag was defined and first rendered.
  it('a bare tag given its configuration later, as React hydrates it, reports no error', async () => {
    const { errors, provider, remove } = await mounted(
      '<presence-provider><presence-avatar user-id="adele.vance"></presence-avatar></presence-provider>',
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      provider.demo = true;
      await provider.updateComplete;
      expect(provider.current, 'the demo client').to.not.equal(undefined);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(errors).to.deep.equal([]);
    } finally {
      remove();
    }
  });

  it('a bare tag still given nothing 1 s after it was defined says it has no client, once', async () => {
    const { errors, provider, remove } = await mounted('<presence-provider></presence-provider>');
    try {
      expect(errors, 'not yet: a framework may still configure it').to.deep.equal([]);
      await waitUntil(() => errors.length > 0, 'the error, 1 s later', { timeout: 3_000 });
      await new Promise((r) => setTimeout(r, 300));
      expect(errors.map((e) => e.message)).to.have.length(1);
      expect(errors[0]!.message).to.match(/`client-id`/);
      expect(provider.current).to.equal(undefined);
    } finally {
      remove();
    }
  });
});
