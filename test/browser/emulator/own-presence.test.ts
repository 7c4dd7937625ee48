// The signed-in user's own presence written through the real Microsoft Graph client, in Chromium, against the Graph
// emulator: setUserPreferredPresence, clearUserPreferredPresence and setStatusMessage, then read back on `me`.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import {
  bringYourOwnToken,
  createPresenceClient,
  PresenceWriteError,
  type PersonSnapshot,
  type PresenceClient,
} from '../../../src/index.js';
import { until } from '../support/until.js';
import { holdEmulator, releaseEmulator } from '../support/emulator-lock.js';
import { control, type Cloud } from '../support/emulator.js';

let cloud: Cloud;
let client: PresenceClient;
let userId: string;
let asked: string[][];

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('It did not reject.');
}

holdEmulator();

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  // The tenant's last demo user: no other test writes their presence.
  userId = cloud.tenant.demoUsers[cloud.tenant.demoUsers.length - 1]!.id;
});

beforeEach(() => {
  asked = [];
  const auth = bringYourOwnToken(async (scopes) => {
    asked.push(scopes);
    return (await control('POST', '/tokens', { userId, clientId: crypto.randomUUID(), scopes })).accessToken;
  });
  client = createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' });
});
afterEach(async () => {
  await client.myPresence.clearPreferredPresence().catch(() => undefined);
  client.dispose();
});

releaseEmulator();

describe('own presence against the Graph emulator, with the real Graph client', () => {
  it("sets a preferred presence with Presence.ReadWrite alone, and `me` shows it; clearing it brings the sessions' presence back", async () => {
    let shown: PersonSnapshot | undefined;
    client.watch('me', (s) => (shown = s), { photo: false });
    await until(() => shown?.presence, 'me shown');
    await client.myPresence.setPreferredPresence({
      availability: 'DoNotDisturb',
      activity: 'DoNotDisturb',
      expiresInMs: 2 * 60 * 60_000,
    });
    expect(asked).to.deep.include(['Presence.ReadWrite']);
    expect(shown!.presence!.availability).to.equal('DoNotDisturb');
    await client.myPresence.clearPreferredPresence();
    // Graph shows the user's sessions again (here the Teams client's state): what the emulator says it shows now.
    const view = await control('GET', `/presence/${userId}/sessions`);
    expect(view.preferred ?? null, JSON.stringify(view)).to.equal(null);
    expect(shown!.presence!.availability).to.equal(view.presence.availability);
  });

  it('sets and clears a status message with an expiry, read back from Graph', async () => {
    await client.myPresence.setStatusMessage({
      message: 'Heads down on the release',
      expiresAt: Date.now() + 60 * 60_000,
    });
    expect((await client.myPresence.read()).statusMessage).to.equal('Heads down on the release');
    await client.myPresence.clearStatusMessage();
    expect((await client.myPresence.read()).statusMessage ?? '').to.equal('');
  });

  it("shows Graph's 400 as a PresenceWriteError with Graph's own message", async () => {
    const error = await rejection(client.myPresence.setStatusMessage({ message: 'x'.repeat(300) }));
    expect(error).to.be.instanceOf(PresenceWriteError);
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('280 characters');
  });
});
