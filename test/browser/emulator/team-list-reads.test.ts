// How many presence reads a team list costs, with the real Graph client against the Graph emulator: members arrive
// page by page (999 at most), presence is read 650 ids at a time, and a load of N members costs ceil(N / 650) reads.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { bringYourOwnToken, createPresenceClient, GraphSource } from '../../../src/index.js';
import '../../../src/define.js';
import { control, type Cloud } from '../support/emulator.js';

interface Logged {
  method: string;
  path: string;
  status: number;
  batchItem: boolean;
}

let cloud: Cloud;

function appAuth() {
  const appId = crypto.randomUUID();
  const auth = bringYourOwnToken(
    async (scopes) =>
      (await control('POST', '/tokens', { userId: cloud.tenant.demoUsers[0]!.id, clientId: appId, scopes }))
        .accessToken,
  );
  return { appId, auth };
}

const presenceReads = async (appId: string) =>
  (await executeServerCommand<Logged[], { appId: string }>('emulator-requests', { appId }))
    .filter((r) => r.path === '/v1.0/communications/getPresencesByUserId')
    .map((r) => r.status);

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
});

describe('<team-presence-list> against the Graph emulator', () => {
  for (const size of [50, 2000]) {
    it(`loads a team of ${size} with ${Math.ceil(size / 650)} presence read(s)`, async function () {
      this.timeout(30_000);
      const team = cloud.tenant.teams.find((t) => t.members === size)!;
      const members: string[] = [];
      await new GraphSource({ auth: appAuth().auth, baseUrl: cloud.graph.url }).members('team', team.id, (page) =>
        members.push(...page.map((p) => p.id)),
      );
      const { appId, auth } = appAuth();
      // As a page signed in with MSAL runs it: polling shared across tabs, the interval far away.
      const client = createPresenceClient({
        auth,
        graphBaseUrl: cloud.graph.url,
        pollingIntervalMs: 60_000,
        shareAcrossTabs: `team-${appId}`,
      });
      try {
        await fixture(
          html`<presence-provider .client=${client}><team-presence-list team-id=${team.id}></team-presence-list></presence-provider>`,
        );
        await waitUntil(() => members.every((id) => client.peek(id).presence), 'every member has a presence', {
          timeout: 20_000,
        });
        expect(await presenceReads(appId)).to.deep.equal(Array(Math.ceil(size / 650)).fill(200));
      } finally {
        client.dispose();
      }
    });
  }
});
