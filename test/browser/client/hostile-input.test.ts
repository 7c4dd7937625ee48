// What hostile or broken input does to the presence client: a bad sequence number, a user id that is not valid
// text, a photo or profile that fails to load, a refresh that fails after the first read.
import { expect, waitUntil } from '@open-wc/testing';
import {
  PresenceClient,
  type ClientErrorDetail,
  type GraphPresence,
  type PersonSnapshot,
  type PresenceSource,
  type PresenceTransport,
  type TransportSink,
} from '../../../src/index.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

class Table implements PresenceSource {
  table = new Map<string, GraphPresence>();
  profileKeys: string[][] = [];
  failPhotos: Error | undefined;
  failProfiles: Error | undefined;
  failPresence: Error | undefined;
  async presences(ids: string[]) {
    if (this.failPresence) throw this.failPresence;
    return ids.map((i) => this.table.get(i)).filter((p): p is GraphPresence => !!p);
  }
  async profiles(keys: string[]) {
    this.profileKeys.push(keys);
    if (this.failProfiles) throw this.failProfiles;
    // What the Graph source does with each key: it goes into a URL.
    for (const key of keys) encodeURIComponent(key);
    return keys.map((key, n) => ({ key, id: /@/.test(key) ? id(100 + n) : key, displayName: `Person ${key}` }));
  }
  async photos(ids: string[]) {
    if (this.failPhotos) throw this.failPhotos;
    return new Map(ids.map((i) => [i, null]));
  }
}

class Pushes implements PresenceTransport {
  sink: TransportSink | undefined;
  start(sink: TransportSink) {
    this.sink = sink;
  }
  watch() {}
  stop() {}
}

function setup() {
  const source = new Table();
  const transport = new Pushes();
  const client = new PresenceClient({ source, transport, objectUrls: { create: () => 'blob:x', revoke: () => {} } });
  const errors: ClientErrorDetail[] = [];
  client.onError((e) => errors.push(e));
  return { source, transport, client, errors };
}

async function watching(client: PresenceClient, key: string) {
  let last: PersonSnapshot | undefined;
  client.watch(key, (s) => (last = s));
  return { now: () => last };
}

describe('a malformed sequenceNumber', () => {
  for (const bad of ['z', 'NaN', '\uffff', '~~~~~~~~', '-1', '0'.repeat(200)]) {
    it(`(${JSON.stringify(bad).slice(0, 20)}) does not freeze the person: later pushes and re-reads still apply`, async () => {
      const { source, transport, client } = setup();
      source.table.set(id(1), { id: id(1), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
      const { now } = await watching(client, id(1));
      await waitUntil(() => now()?.presence);
      transport.sink!.update([{ id: id(1), availability: 'Busy', activity: 'InACall', sequenceNumber: bad }]);
      expect(now()!.presence!.availability, 'applied as unordered').to.equal('Busy');
      transport.sink!.update([{ id: id(1), availability: 'Away', activity: 'Away', sequenceNumber: '0002' }]);
      expect(now()!.presence!.availability).to.equal('Away');
      // A reconnection re-reads Graph: its answer is the truth at read time.
      source.table.set(id(1), {
        id: id(1),
        availability: 'DoNotDisturb',
        activity: 'Presenting',
        sequenceNumber: '0003',
      });
      await client.refresh();
      expect(now()!.presence!.availability).to.equal('DoNotDisturb');
      client.dispose();
    });
  }

  it('pushed with a valid but far-away number, cannot hide what a fresh read from Graph says', async () => {
    const { source, transport, client } = setup();
    source.table.set(id(2), { id: id(2), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
    const { now } = await watching(client, id(2));
    await waitUntil(() => now()?.presence);
    transport.sink!.update([
      { id: id(2), availability: 'Busy', activity: 'InACall', sequenceNumber: 'FFFFFFFFFFFFFFFF' },
    ]);
    expect(now()!.presence!.availability).to.equal('Busy');
    source.table.set(id(2), { id: id(2), availability: 'Offline', activity: 'Offline', sequenceNumber: '0002' });
    await client.refresh();
    expect(now()!.presence!.availability).to.equal('Offline');
    client.dispose();
  });
});

describe('a poll (a read from Graph through the transport)', () => {
  it('corrects what was pushed before it was sent, and loses to what was pushed after', async () => {
    const { source, transport, client } = setup();
    source.table.set(id(5), { id: id(5), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
    const { now } = await watching(client, id(5));
    await waitUntil(() => now()?.presence);
    transport.sink!.update([
      { id: id(5), availability: 'Busy', activity: 'InACall', sequenceNumber: 'FFFFFFFFFFFFFFFF' },
    ]);
    const sentAfterThePush = Date.now();
    transport.sink!.update(
      [{ id: id(5), availability: 'Away', activity: 'Away', sequenceNumber: '0002' }],
      sentAfterThePush,
    );
    expect(now()!.presence!.availability).to.equal('Away');
    // A push that overtakes a poll in flight (the poll was sent before it) keeps its place.
    const sentBefore = Date.now() - 60_000;
    transport.sink!.update([{ id: id(5), availability: 'Busy', activity: 'InACall', sequenceNumber: '0004' }]);
    transport.sink!.update(
      [{ id: id(5), availability: 'Offline', activity: 'Offline', sequenceNumber: '0003' }],
      sentBefore,
    );
    expect(now()!.presence!.availability).to.equal('Busy');
    client.dispose();
  });
});

describe('a user id that is not valid text', () => {
  it('is refused on its own, with an error, and the other sign-in names in its batch load', async () => {
    const { source, client, errors } = setup();
    const good = ['adele@contoso.com', 'lee@contoso.com'];
    const snapshots = new Map<string, PersonSnapshot>();
    for (const key of [...good, 'bad\ud800@contoso.com']) client.watch(key, (s) => snapshots.set(key, s));
    await waitUntil(() => good.every((k) => snapshots.get(k)?.id), 'the good names resolved');
    expect(snapshots.get('bad\ud800@contoso.com')!.error).to.match(/not valid/);
    expect(errors.some((e) => e.kind === 'profile' && e.ids?.includes('bad\ud800@contoso.com'))).to.equal(true);
    expect(source.profileKeys.flat()).not.to.include('bad\ud800@contoso.com');
    client.dispose();
  });
});

describe('a photo or profile that fails to load', () => {
  it('reports kind photo and leaves a good presence as it is, fresh', async () => {
    const { source, client, errors } = setup();
    source.table.set(id(3), { id: id(3), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
    source.failPhotos = new Error('photo service down');
    const { now } = await watching(client, id(3));
    await waitUntil(() => now()?.presence && errors.length > 0);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors.map((e) => e.kind)).to.deep.equal(['photo']);
    expect(now()!.stale).to.equal(false);
    expect(now()!.presence!.availability).to.equal('Available');
    expect(now()!.errorKind).to.equal('photo');
    client.dispose();
  });

  it('reports kind profile and leaves a good presence as it is, fresh', async () => {
    const { source, client, errors } = setup();
    source.table.set(id(4), { id: id(4), availability: 'Busy', activity: 'Busy', sequenceNumber: '0001' });
    source.failProfiles = new Error('directory down');
    const { now } = await watching(client, id(4));
    await waitUntil(() => now()?.presence && errors.length > 0);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors.map((e) => e.kind)).to.deep.equal(['profile']);
    expect(now()!.stale).to.equal(false);
    expect(now()!.errorKind).to.equal('profile');
    client.dispose();
  });
});

describe("presence JSON with keys named like every object's own members", () => {
  for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`(${key}) is applied, with the rest of its batch, and carries nothing it did not send`, async () => {
      const { source, transport, client, errors } = setup();
      for (const n of [6, 7]) source.table.set(id(n), { id: id(n), availability: 'Available', activity: 'Available' });
      const first = await watching(client, id(6));
      const second = await watching(client, id(7));
      await waitUntil(() => first.now()?.presence && second.now()?.presence);
      // As a push arrives: JSON, where `__proto__` is a key like any other.
      const pushed = JSON.parse(
        `[{"id":"${id(6)}","availability":"Away","activity":"Away","${key}":{"statusMessage":"Not sent","isOutOfOffice":true}},` +
          `{"id":"${id(7)}","availability":"Busy","activity":"InACall"}]`,
      ) as GraphPresence[];
      expect(() => transport.sink!.update(pushed)).not.to.throw();
      expect(first.now()!.presence).to.deep.include({ availability: 'Away', isOutOfOffice: false });
      expect(first.now()!.presence!.statusMessage).to.equal(undefined);
      expect(second.now()!.presence!.availability).to.equal('Busy');
      // And the next push for the same person merges into what is known as usual.
      transport.sink!.update([{ id: id(6), availability: 'Busy', activity: 'Presenting' }]);
      expect(first.now()!.presence).to.deep.include({
        availability: 'Busy',
        activity: 'Presenting',
        isOutOfOffice: false,
      });
      expect(errors).to.deep.equal([]);
      client.dispose();
    });
  }
});

/** Runs `body`, collecting what the page reports as uncaught meanwhile (kept from the test framework). */
async function uncaughtDuring(body: () => Promise<void>): Promise<string[]> {
  const reported: string[] = [];
  const onError = (event: ErrorEvent) => {
    reported.push(`error: ${String(event.error?.message ?? event.message)}`);
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    reported.push(`unhandled rejection: ${String(event.reason)}`);
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  // The test framework hears uncaught errors through `window.onerror`: it is set aside meanwhile.
  const frameworks = window.onerror;
  window.onerror = null;
  window.addEventListener('error', onError, true);
  window.addEventListener('unhandledrejection', onRejection, true);
  try {
    await body();
    await new Promise((r) => setTimeout(r, 0));
  } finally {
    window.onerror = frameworks;
    window.removeEventListener('error', onError, true);
    window.removeEventListener('unhandledrejection', onRejection, true);
  }
  return reported;
}

describe("a page's own watcher that throws", () => {
  it("is reported as the page's error, and every other watcher, of this person and of others, is still told", async () => {
    const { source, transport, client, errors } = setup();
    for (const n of [10, 11]) source.table.set(id(n), { id: id(n), availability: 'Available', activity: 'Available' });
    const shown = new Map<string, string>();
    const reported = await uncaughtDuring(async () => {
      client.watch(id(10), (s) => {
        if (s.presence) throw new Error('a bug in the page');
      });
      client.watch(id(10), (s) => s.presence && shown.set('10', s.presence.availability));
      client.watch(id(11), (s) => s.presence && shown.set('11', s.presence.availability));
      await waitUntil(() => shown.size === 2, 'both people shown');
      transport.sink!.update([
        { id: id(10), availability: 'Busy', activity: 'InACall' },
        { id: id(11), availability: 'Away', activity: 'Away' },
      ]);
    });
    expect([...shown].sort()).to.deep.equal([
      ['10', 'Busy'],
      ['11', 'Away'],
    ]);
    expect(reported.length).to.be.above(0);
    expect(new Set(reported)).to.deep.equal(new Set(['error: a bug in the page']));
    expect(errors, 'not a failure of the presence service').to.deep.equal([]);
    expect(client.peek(id(10)).error).to.equal(undefined);
    client.dispose();
  });

  it('as an error listener, does not keep the other error listeners from being told', async () => {
    const { source, client, errors } = setup();
    source.failPresence = new Error('Graph is down');
    const reported = await uncaughtDuring(async () => {
      client.onError(() => {
        throw new Error('a bug in the page');
      });
      const { now } = await watching(client, id(12));
      await waitUntil(() => now()?.error, 'the failure shown');
    });
    expect(errors.map((e) => e.message)).to.deep.equal(['Graph is down']);
    expect(reported).to.deep.equal(['error: a bug in the page']);
    client.dispose();
  });
});

describe('watch given arguments of the wrong type', () => {
  for (const [name, key, listener, says] of [
    ['a listener that is not a function', id(13), 'not a function', /watch needs a string key and a function listener/],
    ['no listener', id(13), undefined, /watch needs a string key and a function listener/],
    ['a key that is a number', 42, () => {}, /watch needs a string key and a function listener/],
    ['a key that is null', null, () => {}, /watch needs a string key and a function listener/],
    ['a key that is an object', { id: id(13) }, () => {}, /watch needs a string key and a function listener/],
  ] as Array<[string, unknown, unknown, RegExp]>) {
    it(`(${name}) throws a TypeError that says so, and watches nobody`, async () => {
      const { source, transport, client } = setup();
      source.table.set(id(13), { id: id(13), availability: 'Available', activity: 'Available' });
      source.table.set(id(14), { id: id(14), availability: 'Available', activity: 'Available' });
      const reported = await uncaughtDuring(async () => {
        expect(() => client.watch(key as string, listener as never)).to.throw(TypeError, says);
        const other = await watching(client, id(14));
        await waitUntil(() => other.now()?.presence, 'the other person shown');
        expect([...client.watchedIds()]).to.deep.equal([id(14)]);
        transport.sink!.update([
          { id: id(13), availability: 'Busy', activity: 'Busy' },
          { id: id(14), availability: 'Away', activity: 'Away' },
        ]);
        expect(other.now()!.presence!.availability).to.equal('Away');
      });
      expect(reported).to.deep.equal([]);
      client.dispose();
    });
  }
});

describe("a source of the page's own that answers a sign-in name lookup with something of another shape", () => {
  for (const [name, answer] of [
    ['nothing', undefined],
    ['null', null],
    ['an object', { value: [] }],
    ['profiles without keys', [{ id: id(15), displayName: 'Adele Vance' }]],
    ['a list holding null', [null]],
  ] as Array<[string, unknown]>) {
    it(`(${name}) fails the lookup with an error, and a later good answer resolves it`, async () => {
      const { source, client, errors } = setup();
      source.table.set(id(15), { id: id(15), availability: 'Busy', activity: 'InACall' });
      const good = source.profiles.bind(source);
      source.profiles = async () => answer as never;
      let last: PersonSnapshot | undefined;
      const reported = await uncaughtDuring(async () => {
        client.watch('adele@contoso.com', (s) => (last = s));
        await waitUntil(() => last?.error, 'the lookup failed');
      });
      expect(reported).to.deep.equal([]);
      expect(last!.profilePending).to.equal(undefined);
      expect(errors.map((e) => e.kind)).to.deep.equal(['profile']);
      source.profiles = async (keys) => (await good(keys)).map((p) => ({ ...p, id: id(15) }));
      client.reload();
      await waitUntil(() => last?.presence, 'the person found on the next lookup');
      expect(last!.presence!.availability).to.equal('Busy');
      client.dispose();
    });
  }
});

describe("a source of the page's own that answers photos with something that is not a Blob", () => {
  it('shows no photo for those, the photos that are Blobs, and watching again works', async () => {
    const source = new Table();
    const people = [16, 17, 18, 19].map(id);
    for (const person of people) source.table.set(person, { id: person, availability: 'Away', activity: 'Away' });
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    const answers: unknown[] = ['data:image/png;base64,AAAA', { size: 3 }, 42, blob];
    source.photos = (async (ids: string[]) => new Map(ids.map((i) => [i, answers[people.indexOf(i)]]))) as never;
    // The browser's own object URLs: they refuse anything that is not a Blob.
    const client = new PresenceClient({ source });
    const shown = new Map<string, PersonSnapshot>();
    const reported = await uncaughtDuring(async () => {
      const stops = people.map((person) => client.watch(person, (s) => shown.set(person, s)));
      await waitUntil(
        () => people.every((p) => shown.get(p)?.photoUrl !== undefined && shown.get(p)?.presence),
        'every photo answered',
      );
      for (const stop of stops) stop();
      for (const person of people) client.watch(person, (s) => shown.set(person, s));
    });
    expect(reported).to.deep.equal([]);
    expect(people.map((p) => shown.get(p)!.photoUrl?.slice(0, 5) ?? null)).to.deep.equal([null, null, null, 'blob:']);
    expect(people.map((p) => shown.get(p)!.error)).to.deep.equal([undefined, undefined, undefined, undefined]);
    client.dispose();
  });
});

describe('an object id written in capitals', () => {
  it('is the same person: read, pushed to and watched once, as the lower-case id Graph writes', async () => {
    const { source, transport, client } = setup();
    const lower = 'abcdef00-0000-4000-8000-0000000000ab';
    // Graph and the relay write object ids in lower case; the Graph emulator knows no other spelling.
    source.table.set(lower, { id: lower, availability: 'Busy', activity: 'InACall' });
    const capitals = lower.toUpperCase();
    let shouted: PersonSnapshot | undefined;
    let plain: PersonSnapshot | undefined;
    client.watch(` ${capitals} `, (s) => (shouted = s));
    client.watch(lower, (s) => (plain = s));
    await waitUntil(() => shouted?.presence && plain?.presence, 'both shown');
    expect(shouted!.presence!.availability).to.equal('Busy');
    expect(shouted!.key, 'the key as given, trimmed').to.equal(capitals);
    expect([...client.watchedIds()]).to.deep.equal([lower]);
    transport.sink!.update([{ id: lower, availability: 'Away', activity: 'Away' }]);
    expect(shouted!.presence!.availability).to.equal('Away');
    expect(client.peek(capitals).presence!.availability).to.equal('Away');
    client.dispose();
  });
});

describe('a pushed presence whose availability or activity is not text', () => {
  for (const [field, bad] of [
    ['availability', { nested: 'Busy' }],
    ['availability', 42],
    ['availability', ['Busy']],
    ['activity', { value: 'InACall' }],
    ['activity', true],
  ] as const) {
    it(`(${field}: ${JSON.stringify(bad)}) keeps what was known, marked possibly out of date, with an error`, async () => {
      const { source, transport, client, errors } = setup();
      source.table.set(id(3), { id: id(3), availability: 'Busy', activity: 'InACall', sequenceNumber: '0001' });
      source.table.set(id(4), { id: id(4), availability: 'Available', activity: 'Available', sequenceNumber: '0001' });
      const three = await watching(client, id(3));
      const four = await watching(client, id(4));
      await waitUntil(() => three.now()?.presence && four.now()?.presence);
      transport.sink!.update([
        { id: id(3), availability: 'Away', activity: 'Away', sequenceNumber: '0002', [field]: bad } as GraphPresence,
        { id: id(4), availability: 'Away', activity: 'Away', sequenceNumber: '0002' },
      ]);
      expect(three.now()!.presence!.availability, 'the last known presence, not unknown').to.equal('Busy');
      expect(three.now()!.stale, 'marked possibly out of date').to.equal(true);
      expect(four.now()!.presence!.availability, 'the good update of the same batch applies').to.equal('Away');
      expect(four.now()!.stale).to.equal(false);
      const error = errors.find((e) => e.ids?.includes(id(3)));
      expect(error?.kind).to.equal('presence');
      expect(error?.message).to.match(new RegExp(field));
      // A good update afterwards applies and is fresh again.
      transport.sink!.update([
        { id: id(3), availability: 'DoNotDisturb', activity: 'Presenting', sequenceNumber: '0003' },
      ]);
      expect(three.now()!.presence!.availability).to.equal('DoNotDisturb');
      expect(three.now()!.stale).to.equal(false);
      client.dispose();
    });
  }

  it('for a person not read yet, shows unknown with an error, never Offline', async () => {
    const { transport, client, errors } = setup();
    const { now } = await watching(client, id(5));
    await waitUntil(() => now()?.presence);
    transport.sink!.update([{ id: id(5), availability: 7, activity: 'Offline' } as unknown as GraphPresence]);
    expect(now()!.presence!.availability).to.not.equal('Offline');
    expect(errors.some((e) => e.ids?.includes(id(5)))).to.equal(true);
    client.dispose();
  });
});
