import { expect, waitUntil } from '@open-wc/testing';
import {
  PresenceClient,
  type GraphPresence,
  type PersonSnapshot,
  type PresenceSource,
  type PresenceTransport,
  type TransportSink,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A source that records every call and answers from a table. */
class FakeSource implements PresenceSource {
  calls: Array<{ kind: string; ids: string[] }> = [];
  table = new Map<string, GraphPresence>();
  fail: Error | undefined;
  async presences(ids: string[]) {
    this.calls.push({ kind: 'presence', ids });
    if (this.fail) throw this.fail;
    return ids.filter((i) => this.table.get(i) !== undefined).map((i) => this.table.get(i)!);
  }
  async profiles(keys: string[]) {
    this.calls.push({ kind: 'profiles', ids: keys });
    return keys.map((key) => ({ key, id: /@/.test(key) ? id(9000) : key, displayName: `Person ${key.slice(-3)}` }));
  }
  async photos(ids: string[]) {
    this.calls.push({ kind: 'photos', ids });
    return new Map(ids.map((i) => [i, i.endsWith('1') ? null : new Blob(['x'], { type: 'image/png' })]));
  }
  count(kind: string) {
    return this.calls.filter((c) => c.kind === kind).length;
  }
}

class FakeTransport implements PresenceTransport {
  sink: TransportSink | undefined;
  watched: string[] = [];
  start(sink: TransportSink) {
    this.sink = sink;
  }
  watch(ids: ReadonlySet<string>) {
    this.watched = [...ids].sort();
  }
  stop() {}
}

function fixture() {
  const source = new FakeSource();
  for (let n = 0; n < 2000; n++)
    source.table.set(id(n), { id: id(n), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
  const transport = new FakeTransport();
  const urls = { created: 0, revoked: 0 };
  const client = new PresenceClient({
    source,
    transport,
    keepMs: 50,
    objectUrls: { create: () => `blob:fake/${++urls.created}`, revoke: () => void urls.revoked++ },
  });
  return { source, transport, client, urls };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PresenceClient', () => {
  it('coalesces 1,000 watches made in one task into 2 presence requests and 1 photo and profile call', async () => {
    const { source, client } = fixture();
    const seen = new Map<string, PersonSnapshot>();
    for (let n = 0; n < 1000; n++) client.watch(id(n), (s) => seen.set(s.key, s));
    await settle();
    await settle();
    expect(source.count('presence')).to.equal(2);
    expect(source.calls.filter((c) => c.kind === 'presence').map((c) => c.ids.length)).to.deep.equal([650, 350]);
    expect(source.count('photos')).to.equal(1);
    expect(source.count('profiles')).to.equal(1);
    await waitUntil(() => [...seen.values()].filter((s) => s.presence).length === 1000);
  });

  it('asks nothing again for people already known, and shares one fetch among watchers', async () => {
    const { source, client } = fixture();
    client.watch(id(1), () => {});
    client.watch(id(1), () => {});
    await settle();
    await settle();
    expect(source.count('presence')).to.equal(1);
    client.watch(id(1), () => {});
    await settle();
    expect(source.count('presence')).to.equal(1);
  });

  it('applies updates in sequenceNumber order: older and duplicate ones are dropped', async () => {
    const { client, transport } = fixture();
    const seen: string[] = [];
    client.watch(id(5), (s) => {
      const shown = s.presence && `${s.presence.availability}@${s.presence.sequenceNumber}`;
      if (shown && shown !== seen.at(-1)) seen.push(shown);
    });
    await waitUntil(() => seen.length === 1);
    transport.sink!.update([{ id: id(5), availability: 'Busy', activity: 'InACall', sequenceNumber: '0003' }]);
    transport.sink!.update([{ id: id(5), availability: 'Away', activity: 'Away', sequenceNumber: '0002' }]);
    transport.sink!.update([{ id: id(5), availability: 'Busy', activity: 'InACall', sequenceNumber: '0003' }]);
    transport.sink!.update([
      { id: id(5), availability: 'DoNotDisturb', activity: 'Presenting', sequenceNumber: '0004' },
    ]);
    expect(seen).to.deep.equal(['Available@0001', 'Busy@0003', 'DoNotDisturb@0004']);
  });

  it('tells the transport which ids are watched, and forgets the ones nobody watches', async () => {
    const { client, transport } = fixture();
    const stopA = client.watch(id(1), () => {});
    const stopB = client.watch(id(2), () => {});
    expect(transport.watched).to.deep.equal([id(1), id(2)]);
    stopA();
    expect(transport.watched).to.deep.equal([id(2)]);
    stopB();
    expect(transport.watched).to.deep.equal([]);
  });

  it('makes photo object URLs while shown and revokes them when nobody shows the photo', async () => {
    const { client, urls } = fixture();
    let snapshot: PersonSnapshot | undefined;
    const stop = client.watch(id(2), (s) => (snapshot = s));
    await waitUntil(() => snapshot?.photoUrl);
    expect(snapshot!.photoUrl).to.match(/^blob:fake\//);
    stop();
    expect(urls.revoked).to.equal(1);
    let none: PersonSnapshot | undefined;
    client.watch(id(11), (s) => (none = s));
    await waitUntil(() => none?.photoUrl === null, 'a person without a photo has photoUrl null');
  });

  it('resolves userPrincipalNames in one batch', async () => {
    const { client, source } = fixture();
    let a: PersonSnapshot | undefined;
    let b: PersonSnapshot | undefined;
    client.watch('adele@contoso.example', (s) => (a = s));
    client.watch('ADELE@contoso.example', (s) => (b = s));
    await waitUntil(() => a?.id && b?.id);
    expect(a!.id).to.equal(id(9000));
    expect(source.count('profiles')).to.be.at.most(2);
  });

  it('a userPrincipalName whose lookup fails is told so, and found once the client reloads', async () => {
    const { client, source } = fixture();
    const real = source.profiles.bind(source);
    let down = true;
    source.profiles = async (keys: string[]) => {
      if (down) throw new Error('Directory unreachable');
      return real(keys);
    };
    const seen: PersonSnapshot[] = [];
    client.watch('megan@contoso.example', (s) => seen.push(s));
    expect(seen[0]).to.deep.equal({ key: 'megan@contoso.example', stale: false, profilePending: true });
    await waitUntil(() => seen.some((s) => s.error), 'the failure is told');
    expect(seen.at(-1)).to.deep.include({ error: 'Directory unreachable', errorKind: 'profile' });
    expect(seen.at(-1)!.profilePending).to.equal(undefined);
    down = false;
    client.reload();
    await waitUntil(() => seen.at(-1)?.profile, 'found after reload');
    expect(seen.at(-1)!.id).to.equal(id(9000));
    expect(seen.at(-1)!.error).to.equal(undefined);
  });

  it('says a name is pending until the directory answered, found or not', async () => {
    const { client, source } = fixture();
    source.profiles = async (keys: string[]) => {
      source.calls.push({ kind: 'profiles', ids: keys });
      return keys.filter((k) => k !== id(31)).map((key) => ({ key, id: key, displayName: 'Known' }));
    };
    const known: PersonSnapshot[] = [];
    const unknown: PersonSnapshot[] = [];
    client.watch(id(30), (s) => known.push(s));
    client.watch(id(31), (s) => unknown.push(s));
    expect(known[0]!.profilePending).to.equal(true);
    await waitUntil(() => known.at(-1)?.profile && unknown.at(-1)?.profilePending === undefined, 'answered');
    expect(unknown.at(-1)!.profile).to.equal(undefined);
    let quiet: PersonSnapshot | undefined;
    client.watch(id(32), (s) => (quiet = s), { profile: false });
    expect(quiet!.profilePending).to.equal(undefined);
  });

  it('shows a failure as an error on the snapshot and an error event, never as offline', async () => {
    const { client, source } = fixture();
    source.fail = new Error('Graph is down');
    const errors: string[] = [];
    client.onError((e) => errors.push(e.message));
    let snapshot: PersonSnapshot | undefined;
    client.watch(id(7), (s) => (snapshot = s));
    await waitUntil(() => snapshot?.error);
    expect(snapshot!.error).to.equal('Graph is down');
    expect(snapshot!.presence).to.equal(undefined);
    expect(errors).to.include('Graph is down');
  });

  it('shows an id Graph says nothing about as unknown', async () => {
    const { client } = fixture();
    let snapshot: PersonSnapshot | undefined;
    client.watch(id(5000), (s) => (snapshot = s));
    await waitUntil(() => snapshot?.presence);
    expect(snapshot!.presence!.availability).to.equal('PresenceUnknown');
  });

  it('knows how old each presence is', async () => {
    const source = new FakeSource();
    source.table.set(id(1), { id: id(1), availability: 'Busy', activity: 'Busy' });
    const clock = new FakeClock();
    const client = new PresenceClient({ source, staleAfterMs: 30, scheduler: clock });
    let snapshot: PersonSnapshot | undefined;
    client.watch(id(1), (s) => (snapshot = s));
    await waitUntil(() => snapshot?.presence);
    expect(snapshot!.stale).to.equal(false);
    expect(clock.now() - snapshot!.receivedAt!).to.be.below(1000);
    await clock.advance(30);
    expect(client.peek(id(1)).stale, 'as old as staleAfterMs: not stale yet').to.equal(false);
    await clock.advance(30);
    expect(client.peek(id(1)).stale).to.equal(true);
  });

  it('a poll that reads the same presence again keeps it fresh, telling listeners only before they would mark it stale', async () => {
    const source = new FakeSource();
    const transport = new FakeTransport();
    source.table.set(id(1), { id: id(1), availability: 'Busy', activity: 'InACall', sequenceNumber: '0007' });
    const clock = new FakeClock();
    const client = new PresenceClient({ source, transport, staleAfterMs: 400, scheduler: clock });
    const told: PersonSnapshot[] = [];
    client.watch(id(1), (s) => told.push(s), { profile: false, photo: false });
    await waitUntil(() => told.at(-1)?.presence);
    const same = () =>
      transport.sink!.update([{ id: id(1), availability: 'Busy', activity: 'InACall', sequenceNumber: '0007' }]);
    const count = told.length;
    // Confirmations every 100 ms for a second, more than twice staleAfterMs.
    for (let n = 0; n < 10; n++) {
      await clock.advance(100);
      same();
      expect(client.peek(id(1)).stale, `fresh after confirmation ${n + 1}`).to.equal(false);
      // What a listener was last told must not look stale yet: elements mark staleness from it.
      expect(
        clock.now() - told.at(-1)!.receivedAt!,
        `the listener's receivedAt after confirmation ${n + 1}`,
      ).to.be.below(400);
    }
    expect(told.length - count, 'told about some confirmations, not every one').to.be.within(2, 6);
    expect(told.at(-1)!.presence!.sequenceNumber).to.equal('0007');

    // A failed refresh marks the presence stale; the next confirmation clears it and says so at once.
    transport.sink!.error(new Error('Graph is down'), [id(1)]);
    expect(told.at(-1)!.stale).to.equal(true);
    same();
    expect(told.at(-1)!.stale).to.equal(false);
    expect(told.at(-1)!.error).to.equal(undefined);
    client.dispose();
  });

  it('pushes vouched for keep a presence fresh whose name could not be read', async () => {
    const source = new FakeSource();
    source.profiles = async () => {
      throw new Error('profiles unavailable');
    };
    const transport = new FakeTransport();
    source.table.set(id(3), { id: id(3), availability: 'Busy', activity: 'InACall' });
    const clock = new FakeClock();
    const client = new PresenceClient({ source, transport, staleAfterMs: 400, scheduler: clock });
    client.watch(id(3), () => undefined, { photo: false });
    await waitUntil(() => client.peek(id(3)).presence && client.peek(id(3)).error, 'presence, and the name failed');
    for (let n = 0; n < 10; n++) {
      await clock.advance(100);
      transport.sink!.current!([id(3)]);
    }
    expect(client.peek(id(3)).stale, 'a failed name is no reason to doubt the presence').to.equal(false);
    client.dispose();
  });

  it('pushes vouched for (`current`) keep a presence fresh, but never clear one whose refresh failed', async () => {
    const source = new FakeSource();
    const transport = new FakeTransport();
    source.table.set(id(1), { id: id(1), availability: 'Busy', activity: 'InACall' });
    source.table.set(id(2), { id: id(2), availability: 'Away', activity: 'Away' });
    const clock = new FakeClock();
    const client = new PresenceClient({ source, transport, staleAfterMs: 400, scheduler: clock });
    const told: PersonSnapshot[] = [];
    client.watch(id(1), (s) => told.push(s), { profile: false, photo: false });
    client.watch(id(2), () => undefined, { profile: false, photo: false });
    await waitUntil(() => told.at(-1)?.presence && client.peek(id(2)).presence);
    // Nothing changes for two seconds, five times staleAfterMs; the transport says so every 100 ms.
    for (let n = 0; n < 20; n++) {
      await clock.advance(100);
      transport.sink!.current!([id(1), id(2)]);
      expect(client.peek(id(1)).stale, `fresh after ${(n + 1) * 100} ms`).to.equal(false);
      expect(clock.now() - told.at(-1)!.receivedAt!, "the listener's receivedAt").to.be.below(400);
    }
    expect(told.length, 'told now and then, not every time').to.be.within(3, 12);
    // A presence whose refresh failed stays marked until it is read: pushes do not bring what was missed.
    transport.sink!.error(new Error('Graph is down'), [id(2)]);
    transport.sink!.current!([id(1), id(2)]);
    expect(client.peek(id(2)).stale).to.equal(true);
    // Not vouched for: it ages as before.
    await clock.advance(401);
    expect(client.peek(id(1)).stale).to.equal(true);
    client.dispose();
  });
});
