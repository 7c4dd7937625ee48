// The app's own presence session through the real Microsoft Graph client, in Chromium, against the Graph emulator's
// presence sessions: setPresence with the app's id as session id, the fade of an Available session left without a
// keep-alive (moved on the emulator's clock), the user's preferred presence overriding it, and clearPresence on stop.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { bringYourOwnToken, createPresenceClient, type PresenceClient } from '../../../src/index.js';
import { holdEmulator, releaseEmulator } from '../support/emulator-lock.js';
import { control, type Cloud } from '../support/emulator.js';

interface SessionView {
  presence: { availability: string; activity: string };
  sessions: Array<{ sessionId: string; availability: string; now: { availability: string; activity: string } }>;
  preferred: unknown;
}

let cloud: Cloud;
let client: PresenceClient;
let userId: string;
const appId = crypto.randomUUID();

const view = (): Promise<SessionView> => control('GET', `/presence/${userId}/sessions`);
const ours = async () => (await view()).sessions.find((s) => s.sessionId === appId);

holdEmulator();

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  // The tenant's second-to-last demo user: the other own-presence tests write the last one's.
  userId = cloud.tenant.demoUsers[cloud.tenant.demoUsers.length - 2]!.id;
});

beforeEach(() => {
  // Tokens of the app whose id is the session's: Graph takes only the calling app's own id as sessionId.
  const auth = bringYourOwnToken(
    async (scopes) => (await control('POST', '/tokens', { userId, clientId: appId, scopes })).accessToken,
    { clientId: appId },
  );
  client = createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' });
});
afterEach(() => client.dispose());

releaseEmulator();

describe("the app's presence session against the Graph emulator, with the real Graph client", () => {
  it('holds a session under the app id; left without a keep-alive it fades, a keep-alive brings it back', async () => {
    const session = client.myPresence.appSession({
      availability: 'Available',
      activity: 'Available',
      expiresInMs: 60 * 60_000,
    });
    await session.ready;
    expect((await ours())?.now).to.deep.equal({ availability: 'Available', activity: 'Available' });
    // Graph: an Available session with no keep-alive is AvailableInactive after 5 minutes, Away after 5 more.
    await control('POST', '/clock/advance', { seconds: 5 * 60 + 1 });
    expect((await ours())?.now).to.deep.equal({ availability: 'Available', activity: 'AvailableInactive' });
    await control('POST', '/clock/advance', { seconds: 5 * 60 });
    expect((await ours())?.now).to.deep.equal({ availability: 'Away', activity: 'Away' });
    await session.update({ availability: 'Available', activity: 'Available', expiresInMs: 60 * 60_000 });
    expect((await ours())?.now).to.deep.equal({ availability: 'Available', activity: 'Available' });
    await session.stop();
    expect(await ours(), 'clearPresence ended the session').to.equal(undefined);
  });

  it("the user's preferred presence overrides the app's session; clearing it shows the session again", async () => {
    const session = client.myPresence.appSession({ availability: 'Busy', activity: 'InACall' });
    await session.ready;
    expect((await view()).presence).to.deep.equal({ availability: 'Busy', activity: 'InACall' });
    await client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away', expiresInMs: 60 * 60_000 });
    expect((await view()).presence).to.deep.equal({ availability: 'Away', activity: 'Away' });
    await client.myPresence.clearPreferredPresence();
    expect((await view()).presence.availability).to.equal('Busy');
    await session.stop();
  });
});
