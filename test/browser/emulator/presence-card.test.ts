// Contact cards signed in with the real MSAL against the Entra ID emulator, reading with the real Microsoft Graph
// client from the Graph emulator: job title and mail come from the emulator's directory (the job title only with
// User.Read.All: User.ReadBasic.All shows Graph's basic profile), and cards cost no request storm. Microsoft Graph
// Toolkit's person card made about five calls per person (user, photo, presence, manager, people); here a card
// reads what an avatar of the same person read already, and 50 cards opened at once cost one presence read and a
// few $batches of 20.
import { executeServerCommand, sendMouse } from '@web/test-runner-commands';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  bringYourOwnToken,
  createPresenceClient,
  GraphSource,
  msalTokenProvider,
  type MsalTokenProvider,
  type PresenceAvatar,
  type PresenceCard,
  type PresenceClient,
} from '../../../src/index.js';
import '../../../src/define.js';
import { holdEmulator, releaseEmulator } from '../support/emulator-lock.js';
import { control, type Cloud } from '../support/emulator.js';

interface Logged {
  method: string;
  path: string;
  status: number;
  batchItem: boolean;
}
interface DirectoryEntry {
  id: string;
  displayName: string;
  jobTitle: string | null;
  mail: string | null;
  userPrincipalName: string;
}

let cloud: Cloud;
let auth: MsalTokenProvider;
let appId: string;

const token = async (clientId: string, scopes: string[]) =>
  (await control('POST', '/tokens', { userId: cloud.tenant.demoUsers[0]!.id, clientId, scopes })).accessToken as string;

/** What the directory says about a person, read whole (User.Read.All) under another app id (not counted). */
async function directory(id: string): Promise<DirectoryEntry> {
  const bearer = await token(crypto.randomUUID(), ['User.Read.All']);
  const res = await fetch(
    `${cloud.graph.url}/v1.0/users/${id}?$select=id,displayName,userPrincipalName,mail,jobTitle`,
    { headers: { authorization: `Bearer ${bearer}` } },
  );
  return res.json();
}

/** The requests one app made, outside `$batch` items: what went over the wire. */
const requests = async (appId: string) =>
  (await executeServerCommand<Logged[], { appId: string }>('emulator-requests', { appId }))
    .filter((r) => !r.batchItem)
    .map((r) => r.path);

/**
 * A client on the signed-in MSAL account, as a page would make it: reading other people's profiles with
 * User.Read.All (job titles included), or with the default User.ReadBasic.All (Graph's basic profile: no job title).
 */
function appClient(profileScopes?: string[]): { appId: string; client: PresenceClient } {
  const options = { auth, graphBaseUrl: cloud.graph.url, transport: 'none' as const };
  return { appId, client: createPresenceClient(profileScopes ? { ...options, profileScopes } : options) };
}

const WITH_TITLES = ['User.Read.All'];

/** A person other than the signed-in one whose directory entry has a job title. */
async function firstWithTitle(): Promise<string> {
  for (const p of cloud.tenant.demoUsers.slice(1)) if ((await directory(p.id)).jobTitle) return p.id;
  throw new Error('Nobody in the demo directory has a job title.');
}

/** Signs in with the real MSAL: a popup to the Entra ID emulator, opened by a real click, through the redirect bridge. */
async function signIn(): Promise<void> {
  appId = cloud.entra.clients.find((c) => c.type === 'spa')!.clientId;
  auth = msalTokenProvider({
    clientId: appId,
    authority: cloud.entra.authority,
    redirectUri: `${location.origin}/test/browser/support/redirect.html`,
  });
  const button = document.createElement('button');
  button.textContent = 'Sign in';
  document.body.append(button);
  try {
    const signedIn = new Promise((resolve, reject) =>
      button.addEventListener('click', () =>
        auth
          .signIn(['User.Read', 'Presence.Read.All', 'User.ReadBasic.All', 'User.Read.All', 'TeamMember.Read.All'])
          .then(resolve, reject),
      ),
    );
    const box = button.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.x + 4), Math.round(box.y + 4)] });
    await signedIn;
  } finally {
    button.remove();
  }
}

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

holdEmulator();

before(async function () {
  this.timeout(20_000);
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  await signIn();
});

releaseEmulator();

describe('<presence-card> against the Graph emulator, with the real Graph client', () => {
  it("opened from avatars, shows each person's job title and mail, and costs no request of its own", async function () {
    this.timeout(20_000);
    const people = cloud.tenant.demoUsers.slice(0, 6);
    const { appId, client } = appClient(WITH_TITLES);
    try {
      const root = await fixture(
        html`<presence-provider .client=${client}>
          ${people.map((p) => html`<presence-avatar card user-id=${p.id}></presence-avatar>`)}
        </presence-provider>`,
      );
      const avatars = [...root.querySelectorAll<PresenceAvatar>('presence-avatar')];
      await waitUntil(
        () =>
          people.every(
            (p) => client.peek(p.id).presence && client.peek(p.id).profile && client.peek(p.id).photoUrl !== undefined,
          ),
        'the avatars loaded',
        { timeout: 10_000 },
      );
      const before = await requests(appId);
      let titles = 0;
      for (const [i, avatar] of avatars.entries()) {
        avatar.click();
        const card = avatar.shadowRoot!.querySelector<PresenceCard>('presence-card')!;
        await waitUntil(() => part(card, 'action-chat'), 'the actions');
        const entry = await directory(people[i]!.id);
        expect(part(card, 'name')!.textContent).to.equal(entry.displayName);
        // Some people have no job title: then the card shows none.
        expect(part(card, 'title')?.textContent ?? null).to.equal(entry.jobTitle);
        titles += entry.jobTitle ? 1 : 0;
        expect(part(card, 'action-email')!.getAttribute('href')).to.equal(`mailto:${entry.mail}`);
        expect(part(card, 'action-chat')!.getAttribute('href')).to.equal(
          `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(entry.userPrincipalName)}`,
        );
        avatar.click();
      }
      expect(titles, 'job titles were shown').to.be.greaterThan(0);
      expect(await requests(appId), 'no request for the cards').to.deep.equal(before);
    } finally {
      client.dispose();
    }
  });

  it('50 cards opened at once cost one presence read and $batches of 20 for profiles and photos', async function () {
    this.timeout(30_000);
    const team = cloud.tenant.teams.find((t) => t.members === 50)!;
    const ids: string[] = [];
    await new GraphSource({
      auth: bringYourOwnToken((scopes) => token(crypto.randomUUID(), scopes)),
      baseUrl: cloud.graph.url,
    }).members('team', team.id, (page) => ids.push(...page.map((p) => p.id)));
    expect(ids.length).to.equal(50);
    const { appId, client } = appClient();
    const before = (await requests(appId)).length;
    try {
      const root = await fixture(
        html`<presence-provider .client=${client}>
          ${ids.map((id) => html`<presence-card user-id=${id}></presence-card>`)}
        </presence-provider>`,
      );
      const cards = [...root.querySelectorAll<PresenceCard>('presence-card')];
      await waitUntil(
        () =>
          cards.every((c) => part(c, 'presence') && part(c, 'action-chat')) &&
          ids.every((id) => client.peek(id).photoUrl !== undefined),
        'every card filled, photos included',
        { timeout: 20_000 },
      );
      const sent = (await requests(appId)).slice(before);
      const count = (path: string) => sent.filter((p) => p === path).length;
      // One presence read for 50 ids (650 a request), profiles and photos in $batches of 20: 3 + 3.
      expect(count('/v1.0/communications/getPresencesByUserId')).to.equal(1);
      expect(count('/v1.0/$batch')).to.equal(6);
      expect(sent.length, `${sent.length} requests for 50 cards (Graph Toolkit: about 250)`).to.equal(7);
      const entry = await directory(ids[7]!);
      expect(part(cards[7]!, 'action-email')!.getAttribute('href')).to.equal(`mailto:${entry.mail}`);
    } finally {
      client.dispose();
    }
  });

  it("opened from a team list's row, costs one $batch for the member's directory entry", async function () {
    this.timeout(20_000);
    const team = cloud.tenant.teams.find((t) => t.members === 5)!;
    const { appId, client } = appClient(WITH_TITLES);
    try {
      const root = await fixture(
        html`<presence-provider .client=${client}><team-presence-list card team-id=${team.id}></team-presence-list></presence-provider>`,
      );
      const list = root.querySelector('team-presence-list')!;
      const rows = () => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
      await waitUntil(
        () =>
          rows().length === 5 &&
          [...client.watchedIds()].every((id) => client.peek(id).presence && client.peek(id).photoUrl !== undefined),
        'the list loaded',
        { timeout: 10_000 },
      );
      const before = (await requests(appId)).length;
      const row = rows()[2]!;
      const userId = row.id.replace(/^member-/, '');
      row.click();
      const card = list.shadowRoot!.querySelector<PresenceCard>('presence-card')!;
      await waitUntil(() => part(card, 'action-chat'), 'the card filled');
      const entry = await directory(userId);
      expect(part(card, 'name')!.textContent).to.equal(entry.displayName);
      expect(part(card, 'title')?.textContent ?? null).to.equal(entry.jobTitle);
      expect((await requests(appId)).slice(before)).to.deep.equal(['/v1.0/$batch']);
    } finally {
      client.dispose();
    }
  });
  it("reads Graph's basic profile (no job title) with User.ReadBasic.All, the job title with profileScopes", async function () {
    this.timeout(20_000);
    // Tokens carrying exactly the scopes asked for, as for an app granted no more than User.ReadBasic.All.
    const appOf = (profileScopes?: string[]) => {
      const id = crypto.randomUUID();
      const auth = bringYourOwnToken((scopes) => token(id, scopes), { clientId: id });
      const options = { auth, graphBaseUrl: cloud.graph.url, transport: 'none' as const };
      return createPresenceClient(profileScopes ? { ...options, profileScopes } : options);
    };
    const person = await firstWithTitle();
    const entry = await directory(person);
    for (const [client, title] of [
      [appOf(), null],
      [appOf(WITH_TITLES), entry.jobTitle],
    ] as const) {
      try {
        const card = await fixture<PresenceCard>(
          html`<presence-provider .client=${client}><presence-card user-id=${person}></presence-card></presence-provider>`,
        ).then((root) => root.querySelector('presence-card')!);
        await waitUntil(() => part(card, 'action-email'), 'the card filled');
        expect(part(card, 'title')?.textContent ?? null).to.equal(title);
        expect(part(card, 'action-email')!.getAttribute('href')).to.equal(`mailto:${entry.mail}`);
      } finally {
        client.dispose();
      }
    }
  });
});
