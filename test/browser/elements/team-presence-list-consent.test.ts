// <team-presence-list> when reading members needs the user's consent: a clear message and a "Grant access" button
// whose click asks the token provider (inside the click, so its popup may open), then the members load.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  ConsentRequiredError,
  PresenceClient,
  type PresenceSource,
  type Profile,
  type TeamPresenceList,
  type TokenProvider,
} from '../../../src/index.js';
import '../../../src/define.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NAMES = ['Adele Vance', 'Lee Gu', 'Megan Bowen'];

/** A source whose members need `TeamMember.Read.All`, which the token provider grants only through `signIn`. */
function consentingSetup(
  options: { withSignIn?: boolean; failSignIn?: boolean; error?: (scopes: string[]) => unknown } = {},
) {
  const granted = new Set<string>();
  const signIns: Array<{ scopes: string[] | undefined; active: boolean | undefined }> = [];
  const auth: TokenProvider = {
    async getToken(scopes) {
      if (scopes.every((s) => granted.has(s))) return 'token';
      throw options.error ? options.error(scopes) : new ConsentRequiredError(scopes);
    },
    ...(options.withSignIn === false
      ? {}
      : {
          async signIn(scopes?: string[]) {
            // Whether the click's user activation was still there when the provider was asked (the popup's condition).
            signIns.push({
              scopes,
              active: (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation?.isActive,
            });
            if (options.failSignIn) throw new Error('The popup was closed.');
            for (const s of scopes ?? []) granted.add(s);
          },
        }),
  };
  const source: PresenceSource = {
    async presences(ids) {
      return ids.map((i) => ({ id: i, availability: 'Available', activity: 'Available' }));
    },
    async members(_kind, _id, onPage: (p: Profile[]) => void) {
      await auth.getToken(['TeamMember.Read.All']);
      onPage(NAMES.map((displayName, n) => ({ id: id(n), displayName })));
    },
  };
  const client = new PresenceClient({ source, auth });
  return { client, signIns, granted };
}

const rows = (el: TeamPresenceList) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const alert = (el: TeamPresenceList) => el.shadowRoot!.querySelector<HTMLElement>('[role="alert"]');
const grantButton = (el: TeamPresenceList) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part="grant"]');

async function mount(client: PresenceClient, lang = 'en') {
  const root = await fixture(
    html`<div lang=${lang}><presence-provider .client=${client}><team-presence-list team-id="t1"></team-presence-list></presence-provider></div>`,
  );
  return root.querySelector('team-presence-list')!;
}

describe('<team-presence-list> needing consent', () => {
  it('shows a message and a Grant access button, and reports the scopes in presence-error', async () => {
    const { client, signIns } = consentingSetup();
    const errors: Array<{ message: string; scopes?: string[] }> = [];
    document.addEventListener('presence-error', (e) => errors.push((e as CustomEvent).detail), { once: true });
    const el = await mount(client);
    await waitUntil(() => grantButton(el), 'the Grant access button');
    expect(alert(el)!.textContent).to.contain('Showing these members needs your permission.');
    const button = grantButton(el)!;
    expect(button.textContent!.trim()).to.equal('Grant access');
    expect(button.type).to.equal('button');
    expect(button.disabled).to.equal(false);
    expect(errors).to.deep.equal([
      {
        kind: 'consent',
        message: 'Access to TeamMember.Read.All needs your consent: call signIn(scopes) from a click.',
        scopes: ['TeamMember.Read.All'],
      },
    ]);
    expect(signIns).to.deep.equal([], 'nothing asked the user by itself');
    await expect(el).to.be.accessible();
  });

  it('a real click asks the token provider during the click, then the members load', async () => {
    const { client, signIns } = consentingSetup();
    const el = await mount(client);
    await waitUntil(() => grantButton(el));
    const box = grantButton(el)!.getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)],
    });
    await waitUntil(() => rows(el).length === 3, 'the members after consent');
    expect(signIns).to.deep.equal([{ scopes: ['TeamMember.Read.All'], active: true }]);
    expect(alert(el)).to.equal(null);
    expect(grantButton(el)).to.equal(null);
  });

  it('is reachable with the keyboard: Tab to it, Enter grants', async () => {
    const { client, signIns } = consentingSetup();
    const el = await mount(client);
    await waitUntil(() => grantButton(el));
    el.shadowRoot!.querySelector<HTMLInputElement>('input[part="filter"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(grantButton(el));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => rows(el).length === 3, 'the members after consent');
    expect(signIns.map((s) => s.scopes)).to.deep.equal([['TeamMember.Read.All']]);
  });

  it("speaks the page's language", async () => {
    const { client } = consentingSetup();
    const el = await mount(client, 'de');
    await waitUntil(() => grantButton(el));
    expect(grantButton(el)!.textContent!.trim()).to.equal('Zugriff erlauben');
    expect(alert(el)!.textContent).to.contain('Um diese Mitglieder anzuzeigen, ist Ihre Zustimmung nötig.');
  });

  it('a refused grant is reported and the button stays', async () => {
    const { client } = consentingSetup({ failSignIn: true });
    const el = await mount(client);
    await waitUntil(() => grantButton(el));
    const failed = oneEvent(el, 'presence-error');
    grantButton(el)!.click();
    expect((await failed).detail).to.deep.equal({
      kind: 'consent',
      message: 'The popup was closed.',
      scopes: ['TeamMember.Read.All'],
    });
    await el.updateComplete;
    expect(grantButton(el)!.disabled).to.equal(false);
    expect(rows(el).length).to.equal(0);
  });

  it("a token provider of the app's own: its error is recognised by code and scopes; without signIn, no button; hostile text stays text", async () => {
    const hostile = '<img src=x onerror="window.__pwned = true">';
    const { client } = consentingSetup({
      withSignIn: false,
      error: (scopes) =>
        Object.assign(new Error(`${hostile} needs consent`), {
          code: 'interaction_required',
          scopes: [...scopes, hostile],
        }),
    });
    const errors: Array<{ message: string; scopes?: string[] }> = [];
    const el = await mount(client);
    el.addEventListener('presence-error', (e) => errors.push(e.detail as never));
    el.reload();
    await waitUntil(() => errors.length === 1 && alert(el), 'the error state');
    expect(errors[0]).to.deep.equal({
      kind: 'consent',
      message: `${hostile} needs consent`,
      scopes: ['TeamMember.Read.All', hostile],
    });
    expect(grantButton(el)).to.equal(null);
    expect(alert(el)!.textContent).to.contain('Showing these members needs your permission.');
    expect(alert(el)!.textContent).to.contain(`${hostile} needs consent`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });
});
