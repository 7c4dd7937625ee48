// "Notify me when available" end to end, in Chromium: the real MSAL signs in (a popup from a click on
// <presence-sign-in>) against the Entra ID emulator, the real Microsoft Graph client polls the Graph emulator.
// Someone Away is armed from an avatar, the emulator makes them Available, and the avatar's presence-available and
// the toast of <presence-alerts> follow; a new client for the same account (a reload) keeps the list.
import { executeServerCommand, sendMouse } from '@web/test-runner-commands';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  bringYourOwnToken,
  createPresenceClient,
  GraphSource,
  msalTokenProvider,
  type MemberEventDetail,
  type PresenceAlerts,
  type PresenceAvatar,
  type PresenceClient,
  type TokenProvider,
} from '../../../src/index.js';
import '../../../src/define.js';
import { maybePart, part } from '../support/fixtures.js';
import { holdEmulator, releaseEmulator } from '../support/emulator-lock.js';
import { control, type Cloud } from '../support/emulator.js';

let cloud: Cloud;
const members: Array<{ id: string; displayName: string | null }> = [];
const clients: PresenceClient[] = [];

/**
 * Tokens the Entra emulator issues for the tenant's first user, with that user as the signed-in account (what
 * `msalTokenProvider.account()` answers): the waiting list is saved under that account.
 */
function signedIn(): TokenProvider {
  const user = cloud.tenant.demoUsers[0]!;
  const appId = crypto.randomUUID();
  const tokens = bringYourOwnToken(
    async (scopes) => (await control('POST', '/tokens', { userId: user.id, clientId: appId, scopes })).accessToken,
  );
  return { ...tokens, account: async () => ({ username: user.userPrincipalName, name: user.displayName }) };
}

/**
 * A client as a page signed in with MSAL makes it (a new one is a reload): MSAL keeps its accounts in
 * localStorage, so a new client finds the account signed in before.
 */
function pollingClient(): PresenceClient {
  const spa = cloud.entra.clients.find((c) => c.type === 'spa')!;
  const auth = msalTokenProvider({
    clientId: spa.clientId,
    authority: cloud.entra.authority,
    // MSAL v5's redirect-bridge page, with this library's bridge script.
    redirectUri: `${location.origin}/test/browser/support/redirect.html`,
    interaction: 'popup',
  });
  const client = createPresenceClient({
    auth,
    graphBaseUrl: cloud.graph.url,
    pollingIntervalMs: 1000,
    shareAcrossTabs: false,
  });
  clients.push(client);
  return client;
}

holdEmulator();

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  const team = cloud.tenant.teams.find((t) => t.members === 50)!;
  await new GraphSource({ auth: signedIn(), baseUrl: cloud.graph.url }).members('team', team.id, (page) =>
    members.push(...page),
  );
  for (const key of Object.keys(localStorage))
    if (key.startsWith('presence-elements:notify-when-available:')) localStorage.removeItem(key);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});
after(() => {
  // MSAL's cache and the saved lists stay out of other test files.
  for (const key of Object.keys(localStorage))
    if (key.startsWith('msal.') || key.includes('notify-when-available') || key.includes('login.windows'))
      localStorage.removeItem(key);
});

/**
 * Clicks <presence-sign-in>'s button as a user does (a trusted click: MSAL's popup may open), unless MSAL's cache
 * has the user signed in already (an earlier test).
 */
async function signInWithMsal(client: PresenceClient, root: Element): Promise<void> {
  if (await client.auth!.account!()) return;
  const signIn = root.querySelector('presence-sign-in')!;
  await waitUntil(() => signIn.shadowRoot?.querySelector('button')?.textContent === 'Sign in', 'sign-in button', {
    timeout: 5000,
  });
  const signedIn = new Promise((resolve) => signIn.addEventListener('presence-signed-in', resolve, { once: true }));
  const box = signIn.shadowRoot!.querySelector('button')!.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
  await signedIn;
}

releaseEmulator();

describe('notify when available, against the Graph emulator', () => {
  it('someone Away becomes Available: the avatar sends presence-available once and the toast shows', async function () {
    this.timeout(20_000);
    const person = members[45]!;
    await control('POST', `/presence/${person.id}`, { availability: 'Away', activity: 'Away' });
    const client = pollingClient();
    const root = await fixture(
      html`<presence-provider .client=${client}>
        <presence-sign-in></presence-sign-in>
        <presence-avatar user-id=${person.id} show-name show-status notify-when-available></presence-avatar>
        <presence-alerts duration="0"></presence-alerts>
      </presence-provider>`,
    );
    const avatar = root.querySelector<PresenceAvatar>('presence-avatar')!;
    const alerts = root.querySelector<PresenceAlerts>('presence-alerts')!;
    const heard: MemberEventDetail[] = [];
    root.addEventListener('presence-available', (e) => heard.push((e as CustomEvent<MemberEventDetail>).detail));
    // Signed out, nobody's list is open: the avatar's wait starts once the user has signed in.
    await signInWithMsal(client, root);
    await waitUntil(() => client.waitingFor().includes(person.id), 'armed', { timeout: 5000 });
    await waitUntil(() => part(avatar, 'base').getAttribute('aria-label')?.includes('Away'), 'Away shown', {
      timeout: 5000,
    });
    expect(maybePart(avatar, 'bell')).to.not.equal(null);
    expect(heard).to.deep.equal([]);

    await control('POST', `/presence/${person.id}`, { availability: 'Available', activity: 'Available' });
    await waitUntil(() => heard.length === 1, 'presence-available from the next poll', { timeout: 8000 });
    expect(heard[0]).to.deep.include({ userId: person.id, availability: 'Available', notified: true });
    expect(heard[0]!.previousAvailability).to.equal('Away');
    await waitUntil(() => maybePart(alerts, 'toast'), 'the toast', { timeout: 5000 });
    // The name read after signing in may land just after the alert: the toast shows it once it does.
    await waitUntil(
      () => part(alerts, 'message').textContent?.includes(`${person.displayName} is now available`),
      `the toast naming ${person.displayName}`,
      { timeout: 5000 },
    );
    expect(client.waitingFor()).to.not.include(person.id);
    await expect(alerts).to.be.accessible();
  });

  it('a reload (a new client, the same account) keeps the list, and it still fires', async function () {
    this.timeout(20_000);
    const person = members[46]!;
    await control('POST', `/presence/${person.id}`, { availability: 'Busy', activity: 'InAMeeting' });
    const first = pollingClient();
    await signInWithMsal(
      first,
      await fixture(
        html`<presence-provider .client=${first}><presence-sign-in></presence-sign-in></presence-provider>`,
      ),
    );
    first.notifyWhenAvailable(person.id);
    await waitUntil(() => first.waitingFor().includes(person.id), 'armed', { timeout: 5000 });
    first.dispose();

    const second = pollingClient();
    const root = await fixture(
      html`<presence-provider .client=${second}><presence-alerts duration="0"></presence-alerts></presence-provider>`,
    );
    const alerts = root.querySelector<PresenceAlerts>('presence-alerts')!;
    await waitUntil(() => second.waitingFor().includes(person.id), 'the list read back', { timeout: 5000 });
    await waitUntil(() => alerts.shadowRoot!.querySelectorAll('[part="item"]').length === 1, 'listed', {
      timeout: 5000,
    });
    await control('POST', `/presence/${person.id}`, { availability: 'Available', activity: 'Available' });
    await waitUntil(() => alerts.current?.userId === person.id, 'the toast after the reload', { timeout: 8000 });
  });
});
