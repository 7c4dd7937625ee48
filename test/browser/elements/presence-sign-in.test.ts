import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { PresenceClient, type PresenceSignIn, type PresenceSource } from '../../../src/index.js';
import '../../../src/define.js';

const ME = '00000000-0000-4000-8000-000000000042';
const source: PresenceSource = {
  async presences(ids) {
    return ids.map((id) => ({ id, availability: 'Available', activity: 'Available', sequenceNumber: '1' }));
  },
  async profiles(keys) {
    return keys.map((key) => ({ key, id: ME, displayName: 'Adele Vance' }));
  },
};

/** A token provider with interactive sign-in, as msalTokenProvider has (a fake: this tests the element alone). */
function fakeAuth() {
  let account: { username: string; name: string } | null = null;
  return {
    calls: [] as string[],
    async getToken() {
      return 'token';
    },
    async account() {
      return account as never;
    },
    async signIn() {
      this.calls.push('signIn');
      account = { username: 'adele@contoso.example', name: 'Adele Vance' };
      return account as never;
    },
    async signOut() {
      this.calls.push('signOut');
      account = null;
    },
  };
}

const button = (el: PresenceSignIn) => el.shadowRoot!.querySelector<HTMLButtonElement>('button');

describe('<presence-sign-in>', () => {
  it("signed out: a sign-in button; signed in: the user's live avatar and sign-out", async () => {
    const auth = fakeAuth();
    const client = new PresenceClient({ source, auth });
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-sign-in></presence-sign-in></presence-provider>`,
    );
    const el = root.querySelector('presence-sign-in')!;
    await waitUntil(() => button(el)?.textContent === 'Sign in');
    const signedIn = new Promise<CustomEvent>((r) =>
      el.addEventListener('presence-signed-in', (e) => r(e as CustomEvent), { once: true }),
    );
    button(el)!.click();
    expect((await signedIn).detail).to.deep.equal({ username: 'adele@contoso.example' });
    await el.updateComplete;
    const avatar = el.shadowRoot!.querySelector('presence-avatar')!;
    await waitUntil(
      () => avatar.shadowRoot?.querySelector('[part~="name"]')?.textContent === 'Adele Vance',
      'the signed-in user, live',
    );
    expect(button(el)!.textContent).to.equal('Sign out');
    await expect(el).to.be.accessible();
    button(el)!.click();
    await waitUntil(() => button(el)?.textContent === 'Sign in');
    expect(auth.calls).to.deep.equal(['signIn', 'signOut']);
  });

  it("speaks the page's language", async () => {
    const client = new PresenceClient({ source, auth: fakeAuth() });
    const root = await fixture(
      html`<div lang="fr"><presence-provider .client=${client}><presence-sign-in></presence-sign-in></presence-provider></div>`,
    );
    const el = root.querySelector('presence-sign-in')!;
    await waitUntil(() => button(el)?.textContent === 'Se connecter');
  });

  it('every presence-error it sends says its kind: sign-in, then sign-out', async () => {
    const auth = {
      ...fakeAuth(),
      async signIn(): Promise<never> {
        throw new Error('The popup was closed.');
      },
      async signOut(): Promise<never> {
        throw new Error('The sign-out popup was closed.');
      },
    };
    let account: { username: string } | null = null;
    auth.account = async () => account as never;
    const client = new PresenceClient({ source, auth });
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-sign-in></presence-sign-in></presence-provider>`,
    );
    const el = root.querySelector('presence-sign-in')!;
    const errors: Array<{ kind: string; message: string }> = [];
    el.addEventListener('presence-error', (e) => errors.push(e.detail));
    await waitUntil(() => button(el)?.textContent === 'Sign in');
    button(el)!.click();
    await waitUntil(() => errors.length === 1, 'sign-in failed');
    expect(errors[0]).to.deep.equal({ kind: 'sign-in', message: 'The popup was closed.' });

    // Signed in by the app itself: the sign-out button, which fails too.
    account = { username: 'adele@contoso.example' };
    client.reload();
    await waitUntil(() => button(el)?.textContent === 'Sign out', 'signed in');
    button(el)!.click();
    await waitUntil(() => errors.length === 2, 'sign-out failed');
    expect(errors[1]).to.deep.equal({ kind: 'sign-out', message: 'The sign-out popup was closed.' });
  });
});
