// Clients made in code with `msalTokenProvider` share one poller per app and tenant across tabs, as providers do,
// without naming a key; a token provider that cannot say which app it serves polls in every tab unless given one.
import { expect, waitUntil } from '@open-wc/testing';
import type { IPublicClientApplication } from '@azure/msal-browser';
import {
  bringYourOwnToken,
  createPresenceClient,
  msalTokenProvider,
  type PresenceClient,
  type TokenProvider,
} from '../../../src/index.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function pollers(clientId: string) {
  const { held = [], pending = [] } = await navigator.locks.query();
  const mine = (locks: LockInfo[]) =>
    locks
      .map((l) => l.name ?? '')
      .filter((name) => name.startsWith('presence-elements-poller:') && name.includes(clientId));
  return { held: mine(held), pending: mine(pending) };
}

/** The application's own MSAL instance, as far as the provider looks at it before anyone signs in. */
const appOf = (clientId: string, authority: string) =>
  ({ getConfiguration: () => ({ auth: { clientId, authority } }) }) as unknown as IPublicClientApplication;

describe('createPresenceClient across tabs', () => {
  const clients: PresenceClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.dispose();
  });
  const make = (auth: TokenProvider, n: number) => {
    const client = createPresenceClient({ auth, pollingIntervalMs: 60_000 });
    clients.push(client);
    client.watch(id(n), () => {}, { profile: false, photo: false });
    return client;
  };

  it("one poller per app and tenant, whether the provider makes MSAL or is given the app's", async () => {
    const clientId = crypto.randomUUID();
    const contoso = 'https://login.microsoftonline.com/contoso.example';
    expect(msalTokenProvider({ clientId, authority: `${contoso}/` }).tabKey).to.equal(`${clientId} ${contoso}`);
    make(msalTokenProvider({ clientId, authority: contoso }), 1);
    make(msalTokenProvider({ app: appOf(clientId, contoso) }), 2);
    make(msalTokenProvider({ clientId, tenantId: 'fabrikam.example' }), 3);
    await waitUntil(async () => (await pollers(clientId)).held.length === 2, 'two tenants, two pollers', {
      timeout: 3000,
    });
    const { held, pending } = await pollers(clientId);
    expect(pending.length).to.equal(1, 'the second client of the same app and tenant listens to the first');
    expect(held).to.include(pending[0]);
  });

  it("a token function of the app's own names no app; given a tabKey, its clients share too", async () => {
    expect(bringYourOwnToken(() => 'token').tabKey).to.equal(undefined);
    const key = crypto.randomUUID();
    const auth = { ...bringYourOwnToken(() => 'token'), tabKey: key };
    make(auth, 4);
    make(auth, 5);
    await waitUntil(
      async () => (await pollers(key)).held.length === 1 && (await pollers(key)).pending.length === 1,
      'one poller, one listener',
      { timeout: 3000 },
    );
  });
});
