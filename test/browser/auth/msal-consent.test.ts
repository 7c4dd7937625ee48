// The MSAL token provider, with a stand-in for MSAL's application: when a silent token needs the user, a popup is
// tried only during a click (browsers block the others); in the background the provider says which scopes need
// consent instead.
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { InteractionRequiredAuthError, type AccountInfo, type IPublicClientApplication } from '@azure/msal-browser';
import {
  ConsentRequiredError,
  msalTokenProvider,
  SignInRequiredError,
  scopesNeedingConsent,
  bringYourOwnToken,
} from '../../../src/index.js';

const account = {
  homeAccountId: 'a.t',
  environment: 'login',
  tenantId: 't',
  username: 'adele@contoso.test',
  localAccountId: 'a',
  name: 'Adele',
} as AccountInfo;

function fakeApp(options: { consented?: string[] } = {}) {
  const consented = new Set(options.consented ?? ['User.Read', 'Presence.Read.All']);
  const calls = {
    popup: [] as string[][],
    redirect: [] as string[][],
    login: [] as Array<{ scopes: string[]; account?: AccountInfo }>,
  };
  const grant = (scopes: string[]) => {
    for (const s of scopes) consented.add(s);
    return { accessToken: `token-for-${scopes.join('+')}`, account } as never;
  };
  const app = {
    handleRedirectPromise: async () => null,
    setActiveAccount: () => undefined,
    getActiveAccount: () => account,
    getAllAccounts: () => [account],
    acquireTokenSilent: async ({ scopes }: { scopes: string[] }) => {
      if (scopes.every((s) => consented.has(s))) return { accessToken: `token-for-${scopes.join('+')}`, account };
      throw new InteractionRequiredAuthError(
        'invalid_grant',
        'correlation',
        'AADSTS65001: The user or administrator has not consented',
        'consent_required',
      );
    },
    acquireTokenPopup: async ({ scopes }: { scopes: string[] }) => {
      calls.popup.push(scopes);
      return grant(scopes);
    },
    acquireTokenRedirect: async ({ scopes }: { scopes: string[] }) => {
      calls.redirect.push(scopes);
    },
    loginPopup: async (request: { scopes: string[]; account?: AccountInfo }) => {
      calls.login.push(request);
      return grant(request.scopes);
    },
  };
  return { app: app as unknown as IPublicClientApplication, calls };
}

/** Runs `action` inside a real click (a trusted mouse event from the test driver), so the page has user activation. */
async function duringClick<T>(action: () => Promise<T>): Promise<T> {
  const button = document.createElement('button');
  button.textContent = 'go';
  button.style.cssText = 'position:fixed;left:0;top:0;width:100px;height:40px';
  document.body.append(button);
  try {
    const result = new Promise<T>((resolve, reject) =>
      button.addEventListener('click', () => action().then(resolve, reject), { once: true }),
    );
    await sendMouse({ type: 'click', position: [20, 20] });
    return await result;
  } finally {
    button.remove();
  }
}

describe('msalTokenProvider and consent', () => {
  it('in the background: no popup, a ConsentRequiredError naming the scopes', async () => {
    expect((navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation?.isActive).to.equal(
      false,
    );
    const { app, calls } = fakeApp();
    const auth = msalTokenProvider({ app });
    expect(await auth.getToken(['Presence.Read.All'])).to.equal('token-for-Presence.Read.All');
    const error = await auth.getToken(['TeamMember.Read.All']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(error).to.be.instanceOf(SignInRequiredError);
    expect((error as ConsentRequiredError).name).to.equal('ConsentRequiredError');
    expect((error as ConsentRequiredError).code).to.equal('consent_required');
    expect((error as ConsentRequiredError).scopes).to.deep.equal(['TeamMember.Read.All']);
    expect((error as Error).message).to.equal(
      'Access to TeamMember.Read.All needs your consent: call signIn(scopes) from a click.',
    );
    expect(scopesNeedingConsent(error)).to.deep.equal(['TeamMember.Read.All']);
    expect(calls.popup).to.deep.equal([]);
  });

  it('a redirect is not started in the background either', async () => {
    const { app, calls } = fakeApp();
    const auth = msalTokenProvider({ app, interaction: 'redirect' });
    const error = await auth.getToken(['TeamMember.Read.All']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(calls.redirect).to.deep.equal([]);
  });

  it('during a click: the popup opens as before and the token comes back', async () => {
    const { app, calls } = fakeApp();
    const auth = msalTokenProvider({ app });
    const token = await duringClick(() => auth.getToken(['TeamMember.Read.All']));
    expect(token).to.equal('token-for-TeamMember.Read.All');
    expect(calls.popup).to.deep.equal([['TeamMember.Read.All']]);
    // Granted: silent from now on, even in the background.
    expect(await auth.getToken(['TeamMember.Read.All'])).to.equal('token-for-TeamMember.Read.All');
  });

  it('signIn(scopes) asks as the signed-in account, then silent tokens work', async () => {
    const { app, calls } = fakeApp();
    const auth = msalTokenProvider({ app });
    await duringClick(() => auth.signIn(['TeamMember.Read.All']));
    expect(calls.login.map((r) => [r.scopes, r.account?.username])).to.deep.equal([
      [['TeamMember.Read.All'], 'adele@contoso.test'],
    ]);
    expect(await auth.getToken(['TeamMember.Read.All'])).to.equal('token-for-TeamMember.Read.All');
  });

  it('interaction "none" never asks, and says which scopes need consent', async () => {
    const { app, calls } = fakeApp();
    const auth = msalTokenProvider({ app, interaction: 'none' });
    const error = await duringClick(() =>
      auth.getToken(['GroupMember.Read.All']).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect((error as ConsentRequiredError).scopes).to.deep.equal(['GroupMember.Read.All']);
    expect(calls.popup).to.deep.equal([]);
  });

  it('scopesNeedingConsent reads errors of other token providers by their code and scopes', () => {
    expect(
      scopesNeedingConsent(Object.assign(new Error('x'), { code: 'interaction_required', scopes: ['A'] })),
    ).to.deep.equal(['A']);
    expect(scopesNeedingConsent(Object.assign(new Error('x'), { code: 'consent_required', scopes: 'A' }))).to.equal(
      undefined,
    );
    expect(scopesNeedingConsent(new SignInRequiredError())).to.equal(undefined);
    expect(scopesNeedingConsent(new Error('no'))).to.equal(undefined);
    expect(scopesNeedingConsent(null)).to.equal(undefined);
  });

  it("bringYourOwnToken: signIn runs the app's own step, then asks the token function again", async () => {
    let granted = false;
    const steps: string[][] = [];
    const auth = bringYourOwnToken(
      (scopes) => {
        if (!granted) throw new ConsentRequiredError(scopes);
        return `t-${scopes.join('+')}`;
      },
      { signIn: (scopes) => void (steps.push(scopes), (granted = true)) },
    );
    const error = await auth.getToken(['TeamMember.Read.All']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(scopesNeedingConsent(error)).to.deep.equal(['TeamMember.Read.All']);
    await auth.signIn!(['TeamMember.Read.All']);
    expect(steps).to.deep.equal([['TeamMember.Read.All']]);
    expect(await auth.getToken(['TeamMember.Read.All'])).to.equal('t-TeamMember.Read.All');
    expect(bringYourOwnToken(() => 't').signIn).to.equal(undefined);
  });
});
