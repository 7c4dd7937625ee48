// An app's presence session: sent again before Graph's 5-minute timeout while the page is shown, paused while it is
// hidden, cleared on stop and as the page goes away, with no timer left behind.
import { expect } from '@open-wc/testing';
import {
  APP_PRESENCE_KEEP_ALIVE_MS,
  ConsentRequiredError,
  PresenceClient,
  PresenceWriteError,
  type AppPresenceState,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakePage, ME, WritableSource, rejection } from './own-presence-fakes.js';

const BUSY: AppPresenceState = { availability: 'Busy', activity: 'InACall' };

function setup() {
  const source = new WritableSource();
  const clock = new FakeClock();
  const page = new FakePage();
  const client = new PresenceClient({ source, scheduler: clock });
  const start = (state = BUSY, onError?: (e: unknown) => void) =>
    client.myPresence.appSession(state, { sessionId: 'app-1', page, ...(onError ? { onError } : {}) });
  return { source, clock, page, start };
}

describe('client.myPresence.appSession', () => {
  it('sets the session at once and again every 4 minutes, before Graph ends it at 5', async () => {
    const { source, clock, start } = setup();
    const session = start();
    await session.ready;
    expect(source.named('setPresence')).to.have.length(1);
    expect(source.named('setPresence')[0]).to.deep.include({
      userId: ME,
      body: { sessionId: 'app-1', ...BUSY },
    });
    await clock.advance(APP_PRESENCE_KEEP_ALIVE_MS - 1);
    expect(source.named('setPresence')).to.have.length(1);
    await clock.advance(1);
    expect(source.named('setPresence')).to.have.length(2);
    await clock.advance(3 * APP_PRESENCE_KEEP_ALIVE_MS);
    expect(source.named('setPresence')).to.have.length(5);
    await session.stop();
  });

  it('stopped as soon as it is started (before its code has loaded): sends nothing, and nothing is left to run', async () => {
    const { source, clock, start } = setup();
    const session = start();
    await session.stop();
    await session.ready;
    expect(session.stopped).to.equal(true);
    await clock.advance(2 * APP_PRESENCE_KEEP_ALIVE_MS);
    expect(source.named('setPresence')).to.have.length(0);
    expect(source.named('clearPresence')).to.have.length(0);
    expect(clock.pending).to.equal(0);
  });

  it('pauses while the page is hidden and sends again as soon as it is shown', async () => {
    const { source, clock, page, start } = setup();
    const session = start();
    await session.ready;
    page.setHidden(true);
    await clock.advance(20 * 60_000);
    expect(source.named('setPresence')).to.have.length(1);
    expect(clock.pending).to.equal(0);
    page.setHidden(false);
    await clock.advance(0);
    expect(source.named('setPresence')).to.have.length(2);
    await clock.advance(APP_PRESENCE_KEEP_ALIVE_MS);
    expect(source.named('setPresence')).to.have.length(3);
    await session.stop();
  });

  it('clears the session on stop, and leaves no timer or listener behind', async () => {
    const { source, clock, page, start } = setup();
    const session = start();
    await session.ready;
    await session.stop();
    expect(source.named('clearPresence')).to.deep.equal([
      { name: 'clearPresence', userId: ME, body: { sessionId: 'app-1' }, options: { keepalive: false } },
    ]);
    expect(clock.pending).to.equal(0);
    expect(page.listeners).to.equal(0);
    await clock.advance(30 * 60_000);
    expect(source.named('setPresence')).to.have.length(1);
    expect(session.stopped).to.equal(true);
  });

  it('sends nothing when stopped before the first write went out, and clears after a write still under way', async () => {
    const { source, clock, start } = setup();
    const early = start();
    await early.stop();
    await early.ready;
    expect(source.writes).to.have.length(0);
    const late = start();
    await clock.advance(0);
    await late.stop();
    expect(source.writes.map((w) => w.name)).to.deep.equal(['setPresence', 'clearPresence']);
    expect(clock.pending).to.equal(0);
  });

  it('clears the session with a keepalive request as the page goes away, and sets it again if the page comes back', async () => {
    const { source, clock, page, start } = setup();
    const session = start();
    await session.ready;
    page.pagehide();
    await clock.advance(0);
    expect(source.named('clearPresence')).to.have.length(1);
    expect(source.named('clearPresence')[0]!.options).to.deep.equal({ keepalive: true });
    expect(clock.pending).to.equal(0);
    // Back from the back/forward cache.
    page.setHidden(false);
    await clock.advance(0);
    expect(source.named('setPresence')).to.have.length(2);
    await session.stop();
    expect(source.named('clearPresence')).to.have.length(2);
  });

  it('sends an update at once and keeps that state alive from then on', async () => {
    const { source, clock, start } = setup();
    const session = start();
    await session.ready;
    await clock.advance(2 * 60_000);
    await session.update({ availability: 'Available', activity: 'Available', expiresInMs: 60 * 60_000 });
    await clock.advance(APP_PRESENCE_KEEP_ALIVE_MS);
    expect(source.named('setPresence').map((w) => w.body)).to.deep.equal([
      { sessionId: 'app-1', ...BUSY },
      { sessionId: 'app-1', availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' },
      { sessionId: 'app-1', availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' },
    ]);
    await session.stop();
  });

  it("refuses the preferred presence's pairs and expiries beyond 4 hours before calling Graph", async () => {
    const { source, clock, page, start } = setup();
    const dnd = start({ availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    const error = await rejection(dnd.ready);
    expect(error).to.be.instanceOf(PresenceWriteError);
    expect(error.message).to.contain('Busy/InACall');
    expect(dnd.stopped).to.equal(true);
    const long = await rejection(start({ ...BUSY, expirationDuration: 'PT5H' }).ready);
    expect(long.message).to.contain('from 5 minutes to 240 minutes');
    expect(source.writes).to.have.length(0);
    expect(clock.pending).to.equal(0);
    expect(page.listeners).to.equal(0);
  });

  it('rejects `ready` with the ConsentRequiredError and stops, so a click can grant and start again', async () => {
    const { source, clock, start } = setup();
    source.fail = new ConsentRequiredError(['Presence.ReadWrite']);
    const session = start();
    expect(await rejection(session.ready)).to.be.instanceOf(ConsentRequiredError);
    expect(session.stopped).to.equal(true);
    expect(clock.pending).to.equal(0);
  });

  it('tells onError of a failed keep-alive and tries again at the next one', async () => {
    const { source, clock, start } = setup();
    const errors: unknown[] = [];
    const session = start(BUSY, (e) => errors.push(e));
    await session.ready;
    source.fail = new Error('offline');
    await clock.advance(APP_PRESENCE_KEEP_ALIVE_MS);
    expect(errors).to.have.length(1);
    source.fail = undefined;
    await clock.advance(APP_PRESENCE_KEEP_ALIVE_MS);
    expect(source.named('setPresence')).to.have.length(3);
    expect(errors).to.have.length(1);
    await session.stop();
  });

  it('says the session needs the app id when neither sessionId nor a clientId is known', async () => {
    const source = new WritableSource();
    const client = new PresenceClient({ source, scheduler: new FakeClock() });
    const error = await rejection(client.myPresence.appSession(BUSY, { page: new FakePage() }).ready);
    expect(error.message).to.contain("app's client id");
  });
});
