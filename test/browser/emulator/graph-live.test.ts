// The presence client with its Graph calls (the browser's fetch), in Chromium, against the Graph emulator.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  bringYourOwnToken,
  createPresenceClient,
  GraphSource,
  PresenceClient,
  setDefaultClient,
  type PresenceAvatar,
} from '../../../src/index.js';
import '../../../src/define.js';
import { drawnStatus, part } from '../support/fixtures.js';
import { control, type Cloud } from '../support/emulator.js';

interface Logged {
  method: string;
  path: string;
  status: number;
  batchItem: boolean;
}

let cloud: Cloud;
let users: string[] = [];

/** A token provider minting Entra tokens for a fresh application id, so each test's requests can be counted alone. */
function appAuth() {
  const appId = crypto.randomUUID();
  const auth = bringYourOwnToken(
    async (scopes) =>
      (await control('POST', '/tokens', { userId: cloud.tenant.demoUsers[0]!.id, clientId: appId, scopes }))
        .accessToken,
  );
  return { appId, auth };
}

const requests = (appId: string) => executeServerCommand<Logged[], { appId: string }>('emulator-requests', { appId });

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  const members = await control('GET', '/status');
  users = [];
  // Members of the 2,000-person team, through Graph itself.
  const { auth } = appAuth();
  const source = new GraphSource({ auth, baseUrl: cloud.graph.url });
  await source.members('group', members.tenant.teams.find((t: { members: number }) => t.members === 2000).id, (page) =>
    users.push(...page.map((p) => p.id)),
  );
});
afterEach(() => setDefaultClient(undefined));

describe('the presence client against the Graph emulator, over fetch', () => {
  it('pages in the 2,000 people of a group with $top and nextLink, leaving out its nested group and device', () => {
    expect(users.length).to.equal(2000);
    expect(new Set(users).size).to.equal(2000);
  });

  it('1,000 avatars: 2 presence requests and 50 photo batches on load, nothing again for ids already known', async function () {
    this.timeout(60_000);
    const { appId, auth } = appAuth();
    const client = createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' });
    setDefaultClient(client);
    const ids = users.slice(0, 1000);
    const root = await fixture(
      html`<div>${ids.map((id, n) => html`<presence-avatar size="small" user-id=${id} display-name=${`Person ${n}`}></presence-avatar>`)}</div>`,
    );
    const avatars = [...root.querySelectorAll<PresenceAvatar>('presence-avatar')];
    await waitUntil(() => avatars.every((a) => drawnStatus(a) !== null), 'every badge painted', { timeout: 15000 });
    await waitUntil(
      async () => (await requests(appId)).filter((r) => r.path === '/v1.0/$batch' && !r.batchItem).length >= 50,
      'photo batches done',
      { timeout: 15000 },
    ).catch(async (e) => {
      const log = await requests(appId);
      console.log(
        `requests so far: ${log
          .filter((r) => !r.batchItem)
          .map((r) => `${r.path} ${r.status}`)
          .join(', ')
          .slice(0, 2000)}`,
      );
      throw e;
    });
    const log = await requests(appId);
    expect(log.filter((r) => r.path === '/v1.0/communications/getPresencesByUserId').length).to.equal(2);
    expect(log.filter((r) => r.path === '/v1.0/$batch' && !r.batchItem).length).to.equal(50);
    const before = log.length;
    // The same people again, in another part of the page: nothing more is asked.
    await fixture(
      html`<div>${ids.slice(0, 100).map((id) => html`<presence-avatar user-id=${id} display-name="Again"></presence-avatar>`)}</div>`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await requests(appId)).length).to.equal(before);
    client.dispose();
  });

  it('a 429 storm: throttled presence reads and batches are retried after Retry-After, and every badge arrives', async function () {
    this.timeout(60_000);
    const { appId, auth } = appAuth();
    await control('POST', '/throttle', { requests: 1, windowSeconds: 2 });
    await control('POST', '/faults', {
      service: 'graph',
      path: '/v1.0/$batch',
      kind: 'status',
      status: 429,
      retryAfter: 1,
      times: 2,
    });
    try {
      setDefaultClient(createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' }));
      const ids = users.slice(1000, 1700);
      const root = await fixture(
        html`<div>${ids.map((id) => html`<presence-avatar size="small" user-id=${id} display-name="Throttled"></presence-avatar>`)}</div>`,
      );
      const avatars = [...root.querySelectorAll<PresenceAvatar>('presence-avatar')];
      await waitUntil(
        () => avatars.every((a) => drawnStatus(a) !== null && drawnStatus(a) !== 'unknown'),
        'every badge painted despite 429s',
        { timeout: 20000 },
      );
      const log = await requests(appId);
      const presence = log.filter((r) => r.path === '/v1.0/communications/getPresencesByUserId');
      expect(presence.filter((r) => r.status === 429).length).to.be.at.least(1);
      expect(presence.filter((r) => r.status === 200).length).to.equal(2);
    } finally {
      await control('POST', '/throttle', { requests: 1500, windowSeconds: 30 });
      await control('DELETE', '/faults');
    }
  });

  it('an unknown availability from Graph shows unknown, and polling brings changes', async () => {
    const { auth } = appAuth();
    const person = users[1900]!;
    await control('POST', `/presence/${person}`, { availability: 'Lunch', activity: 'Eating' });
    const client = createPresenceClient({
      auth,
      graphBaseUrl: cloud.graph.url,
      pollingIntervalMs: 1000,
      shareAcrossTabs: false,
    });
    setDefaultClient(client);
    const avatar = await fixture<PresenceAvatar>(
      html`<presence-avatar user-id=${person} display-name="Pat"></presence-avatar>`,
    );
    await waitUntil(() => drawnStatus(avatar) === 'unknown', 'unknown, not offline', { timeout: 5000 });
    expect(part(avatar, 'base').getAttribute('aria-label')).to.contain('Lunch');
    await control('POST', `/presence/${person}`, { availability: 'Busy', activity: 'InACall' });
    await waitUntil(() => drawnStatus(avatar) === 'busy', 'the next poll shows the change', { timeout: 5000 });
    client.dispose();
  });

  it('a token Graph refuses is forgotten and asked for again, once, and the badge arrives', async () => {
    const appId = crypto.randomUUID();
    const asked: string[][] = [];
    // The first token looks fine (a JWT good for an hour) but Graph refuses it: it is for another audience.
    const auth = bringYourOwnToken(async (scopes) => {
      asked.push(scopes);
      const first =
        scopes.includes('Presence.Read.All') && asked.filter((s) => s.includes('Presence.Read.All')).length === 1;
      const audience = first ? 'api://someone-else' : 'https://graph.microsoft.com';
      return (
        await control('POST', '/tokens', { userId: cloud.tenant.demoUsers[0]!.id, clientId: appId, audience, scopes })
      ).accessToken;
    });
    const person = users[1901]!;
    await control('POST', `/presence/${person}`, { availability: 'DoNotDisturb', activity: 'Presenting' });
    setDefaultClient(createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' }));
    const avatar = await fixture<PresenceAvatar>(
      html`<presence-avatar user-id=${person} display-name="Sam"></presence-avatar>`,
    );
    await waitUntil(() => drawnStatus(avatar) === 'do-not-disturb', 'the presence read with the fresh token', {
      timeout: 5000,
    });
    const presenceCalls = (await requests(appId)).filter((r) => r.path === '/v1.0/communications/getPresencesByUserId');
    expect(presenceCalls.map((r) => r.status)).to.deep.equal([401, 200]);
    expect(asked.filter((s) => s.includes('Presence.Read.All')).length).to.equal(
      2,
      'the refused token was not kept; the fresh one was',
    );
  });

  it('a userPrincipalName and "me" resolve through Graph', async () => {
    const { auth } = appAuth();
    setDefaultClient(new PresenceClient({ source: new GraphSource({ auth, baseUrl: cloud.graph.url }) }));
    const status = await control('GET', '/status');
    const me = status.tenant.demoUsers[0];
    const root = await fixture(
      html`<div><presence-avatar class="me" user-id="me" show-name></presence-avatar><presence-avatar class="upn" user-id=${status.tenant.demoUsers[1].userPrincipalName} show-name></presence-avatar></div>`,
    );
    const byMe = root.querySelector<PresenceAvatar>('.me')!;
    const byUpn = root.querySelector<PresenceAvatar>('.upn')!;
    await waitUntil(
      () =>
        part(byMe, 'name').textContent === me.displayName &&
        part(byUpn, 'name').textContent === status.tenant.demoUsers[1].displayName,
      'names from Graph',
      { timeout: 5000 },
    );
    await waitUntil(() => drawnStatus(byMe) !== null && drawnStatus(byUpn) !== null);
  });
});
