// The signed-in user's own presence through the client: checked before Graph is called, shown on `me` after.
import { expect } from '@open-wc/testing';
import {
  bringYourOwnToken,
  createPresenceClient,
  ConsentRequiredError,
  GraphCallError,
  msalTokenProvider,
  PresenceClient,
  PresenceWriteError,
  type PersonSnapshot,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/until.js';
import { FakePage, ME, WritableSource, rejection } from './own-presence-fakes.js';

function setup() {
  const source = new WritableSource();
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 12));
  const client = new PresenceClient({ source, scheduler: clock });
  return { source, clock, client };
}

describe('client.myPresence', () => {
  it('shows a preferred presence on every element watching `me` once it is set, and the default after clearing', async () => {
    const { source, client } = setup();
    let shown: PersonSnapshot | undefined;
    client.watch('me', (s) => (shown = s), { photo: false });
    await until(() => shown?.presence?.availability === 'Available', 'me shown');
    await client.myPresence.setPreferredPresence({ availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    expect(shown!.presence!.availability).to.equal('DoNotDisturb');
    expect(source.named('setUserPreferredPresence')[0]).to.deep.include({ userId: ME });
    await client.myPresence.clearPreferredPresence();
    expect(shown!.presence!.availability).to.equal('Available');
  });

  it('sends the expiry as an ISO 8601 duration, from milliseconds or as given', async () => {
    const { source, client } = setup();
    await client.myPresence.setPreferredPresence({ availability: 'Busy', activity: 'Busy', expiresInMs: 90 * 60_000 });
    await client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away', expirationDuration: 'P1D' });
    expect(source.named('setUserPreferredPresence').map((w) => w.body)).to.deep.equal([
      { availability: 'Busy', activity: 'Busy', expirationDuration: 'PT1H30M' },
      { availability: 'Away', activity: 'Away', expirationDuration: 'P1D' },
    ]);
  });

  it('refuses, without calling Graph, a pair Graph does not take or an expiry out of range, saying why', async () => {
    const { source, client } = setup();
    const pair = await rejection(client.myPresence.setPreferredPresence({ availability: 'Busy', activity: 'InACall' }));
    expect(pair).to.be.instanceOf(PresenceWriteError);
    expect(pair.reason).to.equal('invalid');
    expect(pair.message).to.contain('Busy/InACall').and.contain('Offline/OffWork');
    const short = await rejection(
      client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away', expiresInMs: 60_000 }),
    );
    expect(short.message).to.contain('from 5 minutes to 7 days');
    const long = await rejection(
      client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away', expirationDuration: 'P8D' }),
    );
    expect(long).to.be.instanceOf(PresenceWriteError);
    const garbled = await rejection(
      client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away', expirationDuration: '1 hour' }),
    );
    expect(garbled.message).to.contain('ISO 8601');
    const empty = await rejection(client.myPresence.setStatusMessage({ message: '  ' }));
    expect(empty.message).to.contain('clearStatusMessage');
    const past = await rejection(
      client.myPresence.setStatusMessage({ message: 'Hi', expiresAt: Date.UTC(2026, 0, 1) }),
    );
    expect(past.message).to.contain('in the future');
    expect(source.writes).to.have.length(0);
  });

  it('sets a status message with its expiry in UTC, shows it on `me`, and clears it with an empty message', async () => {
    const { source, client } = setup();
    let shown: PersonSnapshot | undefined;
    client.watch('me', (s) => (shown = s), { photo: false });
    await until(() => shown?.presence, 'me shown');
    await client.myPresence.setStatusMessage({
      message: 'In a workshop',
      expiresAt: new Date(Date.UTC(2026, 10, 30, 17)),
    });
    expect(source.named('setStatusMessage')[0]!.body).to.deep.equal({
      message: { content: 'In a workshop', contentType: 'text' },
      expiryDateTime: { dateTime: '2026-11-30T17:00:00.000', timeZone: 'UTC' },
    });
    expect(shown!.presence!.statusMessage).to.equal('In a workshop');
    await client.myPresence.clearStatusMessage();
    expect(source.named('setStatusMessage')[1]!.body).to.deep.equal({ message: { content: '', contentType: 'text' } });
    expect(shown!.presence!.statusMessage ?? '').to.equal('');
  });

  it('reads the presence back', async () => {
    const { client } = setup();
    await client.myPresence.setPreferredPresence({ availability: 'BeRightBack', activity: 'BeRightBack' });
    const presence = await client.myPresence.read();
    expect(presence.availability).to.equal('BeRightBack');
  });

  it('lets a ConsentRequiredError through, so that a button can grant Presence.ReadWrite from a click', async () => {
    const { source, client } = setup();
    source.fail = new ConsentRequiredError(['Presence.ReadWrite']);
    const error = await rejection(client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away' }));
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(client.consentNeededFor(error)).to.deep.equal(['Presence.ReadWrite']);
  });

  it("turns Graph's 400 into a PresenceWriteError naming the write and carrying Graph's message", async () => {
    const { source, client } = setup();
    source.fail = new GraphCallError('The status message is too long.', 400);
    const error = await rejection(client.myPresence.setStatusMessage({ message: 'x'.repeat(600) }));
    expect(error).to.be.instanceOf(PresenceWriteError);
    expect(error.reason).to.equal('refused');
    expect(error.status).to.equal(400);
    expect(error.message).to.contain('Setting the status message').and.contain('too long');
  });

  it("knows the app's client id from msalTokenProvider", () => {
    expect(msalTokenProvider({ clientId: '11111111-2222-4333-8444-555555555555' }).clientId).to.equal(
      '11111111-2222-4333-8444-555555555555',
    );
  });

  it('names an app session by the token provider clientId', async () => {
    const source = new WritableSource();
    const auth = bringYourOwnToken(() => 'token', { clientId: 'app-1' });
    const client = new PresenceClient({ source, auth, scheduler: new FakeClock() });
    const session = client.myPresence.appSession({ availability: 'Busy', activity: 'InACall' }, { page: undefined });
    await session.ready;
    expect(source.named('setPresence')[0]!.body).to.deep.equal({
      sessionId: 'app-1',
      availability: 'Busy',
      activity: 'InACall',
    });
    await session.stop();
  });
});

describe('the demo source, written to', () => {
  it("keeps the writes in memory: a preferred presence beats the app's session, and clearing it shows the session", async () => {
    const client = createPresenceClient({ transport: 'demo', demoRate: 0 });
    const session = client.myPresence.appSession(
      { availability: 'Busy', activity: 'InAConferenceCall' },
      { sessionId: 'demo-app', page: new FakePage() },
    );
    await session.ready;
    expect((await client.myPresence.read()).activity).to.equal('InAConferenceCall');
    await client.myPresence.setPreferredPresence({ availability: 'Away', activity: 'Away' });
    expect((await client.myPresence.read()).availability).to.equal('Away');
    await client.myPresence.clearPreferredPresence();
    expect((await client.myPresence.read()).activity).to.equal('InAConferenceCall');
    await client.myPresence.setStatusMessage({ message: 'Demo day' });
    expect((await client.myPresence.read()).statusMessage).to.equal('Demo day');
    await session.stop();
    client.dispose();
  });
});
