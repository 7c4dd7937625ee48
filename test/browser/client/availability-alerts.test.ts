// "Notify me when available" in the client: when it fires (once, from a fresh Available), what it never fires on,
// and the list saved per account, followed across tabs, safe against whatever is found in storage.
import { expect } from '@open-wc/testing';
import {
  PresenceClient,
  type AlertsHost,
  type AvailabilityAlert,
  type GraphPresence,
  type PresenceSource,
  type PresenceTransport,
  type TokenProvider,
  type TransportSink,
} from '../../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { settle, until } from '../support/until.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ADELE = id(1);
const ALEX = id(2);
const STORE_PREFIX = 'presence-elements:notify-when-available:';

class FakeSource implements PresenceSource {
  table = new Map<string, GraphPresence>();
  fail: Error | undefined;
  reads = 0;
  async presences(ids: string[]) {
    this.reads++;
    if (this.fail) throw this.fail;
    return ids.filter((i) => this.table.has(i)).map((i) => this.table.get(i)!);
  }
  async profiles(keys: string[]) {
    return keys.map((key) => ({ key, id: key.startsWith('adele@') ? ADELE : key, displayName: `Person ${key}` }));
  }
  set(userId: string, availability: string, sequenceNumber: string, activity = availability) {
    this.table.set(userId, { id: userId, availability, activity, sequenceNumber });
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
  push(userId: string, availability: string, sequenceNumber: string) {
    this.sink!.update([{ id: userId, availability, activity: availability, sequenceNumber }]);
  }
}

/** A token provider whose signed-in account a test changes (as msalTokenProvider's `account()` tells it). */
function accountAuth(username: string | null): TokenProvider & { username: string | null } {
  return {
    username,
    async getToken() {
      return 'token';
    },
    async account() {
      return this.username ? { username: this.username } : null;
    },
  };
}

function setup(options: { auth?: TokenProvider; clock?: FakeClock } = {}) {
  const source = new FakeSource();
  const transport = new FakeTransport();
  const clock = options.clock ?? new FakeClock(Date.UTC(2026, 10, 30, 12));
  const client = new PresenceClient({ source, transport, scheduler: clock, auth: options.auth, keepMs: 10 });
  // The client is the host of its alerts (checked here, where the types meet).
  const host: AlertsHost = client;
  expect(host).to.equal(client);
  const alerts: AvailabilityAlert[] = [];
  client.onAvailabilityAlert((a) => alerts.push(a));
  return { source, transport, clock, client, alerts };
}

beforeEach(() => {
  for (const key of Object.keys(localStorage)) if (key.startsWith(STORE_PREFIX)) localStorage.removeItem(key);
});

describe('client.notifyWhenAvailable', () => {
  for (const before of ['Away', 'Busy', 'Offline', 'PresenceUnknown', 'SomethingNew']) {
    it(`fires once when someone ${before} becomes Available, then they are no longer waited for`, async () => {
      const { source, transport, client, alerts } = setup();
      source.set(ADELE, before, '0001');
      client.notifyWhenAvailable(ADELE);
      await until(() => client.peek(ADELE).presence, 'presence read');
      expect(client.waitingFor()).to.deep.equal([ADELE]);
      expect(transport.watched).to.include(ADELE, 'kept live while armed');
      expect(alerts).to.have.length(0);
      transport.push(ADELE, 'Available', '0002');
      expect(alerts).to.have.length(1);
      expect(alerts[0]).to.include({ userId: ADELE, availability: 'Available' });
      expect(alerts[0]!.previousAvailability).to.equal(before === 'SomethingNew' ? 'PresenceUnknown' : before);
      expect(client.waitingFor()).to.deep.equal([]);
      // The same push again, and a later one: nothing more.
      transport.push(ADELE, 'Available', '0002');
      transport.push(ADELE, 'Away', '0003');
      transport.push(ADELE, 'Available', '0004');
      expect(alerts).to.have.length(1);
    });
  }

  it('does not fire on AvailableIdle, nor on an out-of-order Available older than the presence shown', async () => {
    const { source, transport, client, alerts } = setup();
    source.set(ADELE, 'Away', '0005');
    client.notifyWhenAvailable(ADELE);
    await until(() => client.peek(ADELE).presence, 'presence read');
    transport.push(ADELE, 'AvailableIdle', '0006');
    transport.push(ADELE, 'Available', '0004');
    expect(alerts).to.have.length(0);
    expect(client.waitingFor()).to.deep.equal([ADELE]);
  });

  it('fires at once for someone already Available, and for a userPrincipalName once resolved', async () => {
    const { source, client, alerts } = setup();
    source.set(ADELE, 'Available', '0001');
    source.set(ALEX, 'Busy', '0001');
    client.notifyWhenAvailable('adele@contoso.example');
    client.notifyWhenAvailable(ALEX);
    await until(() => alerts.length === 1, 'alert');
    expect(alerts[0]!.userId).to.equal(ADELE);
    expect(alerts[0]!.displayName).to.equal('Person adele@contoso.example');
    expect(client.waitingFor()).to.deep.equal([ALEX]);
  });

  it('never fires from a stale presence or a failed refresh; a fresh read after reconnecting does', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 12));
    const { source, transport, client, alerts } = setup({ clock });
    source.set(ADELE, 'Away', '0001');
    client.notifyWhenAvailable(ADELE);
    await until(() => client.peek(ADELE).presence, 'presence read');
    // A refresh fails: the presence is stale, and the failure says nothing of availability.
    source.fail = new Error('offline');
    await client.refresh([ADELE]);
    expect(client.peek(ADELE).stale).to.equal(true);
    expect(alerts).to.have.length(0);
    // Back: the read after the reconnection shows Available.
    source.fail = undefined;
    source.set(ADELE, 'Available', '0002');
    transport.sink!.resync!([ADELE]);
    await until(() => alerts.length === 1, 'alert after the resync');
    expect(client.waitingFor()).to.deep.equal([]);
  });

  it('does not fire for an Available shown while it is stale, only once it is fresh', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 12));
    const { source, client, alerts } = setup({ clock });
    source.set(ADELE, 'Available', '0001');
    client.watch(ADELE, () => undefined);
    await until(() => client.peek(ADELE).presence, 'presence read');
    await clock.advance(10 * 60_000);
    expect(client.peek(ADELE).stale).to.equal(true);
    client.notifyWhenAvailable(ADELE);
    await settle();
    expect(alerts).to.have.length(0);
    await client.refresh([ADELE]);
    expect(alerts).to.have.length(1);
  });

  it('an alert nobody listens for is not spent: it waits, armed, for a listener for that person', async () => {
    const source = new FakeSource();
    const client = new PresenceClient({ source, transport: new FakeTransport() });
    source.set(ADELE, 'Available', '1');
    client.notifyWhenAvailable(ADELE);
    await until(() => client.peek(ADELE).presence, 'presence read');
    expect(client.waitingFor()).to.deep.equal([ADELE]);
    // A listener for someone else (an avatar showing Alex) hears nothing and spends nothing.
    const forAlex: AvailabilityAlert[] = [];
    client.alerts.onAlert(
      (a) => forAlex.push(a),
      () => ALEX,
    );
    expect(client.waitingFor()).to.deep.equal([ADELE]);
    const heard: AvailabilityAlert[] = [];
    client.onAvailabilityAlert((a) => heard.push(a));
    expect(heard.map((a) => a.userId)).to.deep.equal([ADELE]);
    expect(forAlex).to.deep.equal([]);
    expect(client.waitingFor()).to.deep.equal([]);
  });

  it('stops, tells list changes, and clears', async () => {
    const { source, client } = setup();
    source.set(ADELE, 'Away', '1');
    source.set(ALEX, 'Away', '1');
    const lists: string[][] = [];
    client.onWaitingChange((ids) => lists.push(ids));
    client.notifyWhenAvailable(ADELE);
    client.notifyWhenAvailable(ALEX);
    await until(() => client.waitingFor().length === 2, 'both armed');
    client.stopNotifyWhenAvailable(ADELE);
    expect(client.waitingFor()).to.deep.equal([ALEX]);
    client.alerts.clear();
    expect(client.waitingFor()).to.deep.equal([]);
    expect(lists.at(-1)).to.deep.equal([]);
    expect(lists).to.deep.include([ADELE, ALEX]);
  });
});

describe('client.alerts, before its waiting list has loaded', () => {
  it('applies what was asked in the order it was asked, and a listener stopped meanwhile hears nothing', async () => {
    const source = new FakeSource();
    const transport = new FakeTransport();
    const client = new PresenceClient({ source, transport, keepMs: 10 });
    source.set(ADELE, 'Away', '1');
    source.set(ALEX, 'Busy', '1');
    const heard: AvailabilityAlert[] = [];
    const stopHearing = client.onAvailabilityAlert((a) => heard.push(a));
    const kept: AvailabilityAlert[] = [];
    client.onAvailabilityAlert((a) => kept.push(a));
    client.notifyWhenAvailable(ADELE);
    client.notifyWhenAvailable(ALEX);
    client.stopNotifyWhenAvailable(ADELE);
    stopHearing();
    expect(client.waitingFor(), 'nothing known yet').to.deep.equal([]);
    await client.alerts.checkAccount();
    await until(() => client.waitingFor().length === 1, 'the list');
    expect(client.waitingFor()).to.deep.equal([ALEX]);
    await until(() => client.peek(ALEX).presence, 'presence read');
    transport.push(ALEX, 'Available', '2');
    expect(kept.map((a) => a.userId)).to.deep.equal([ALEX]);
    expect(heard).to.deep.equal([]);
    client.dispose();
  });
});

describe('the waiting list, saved', () => {
  it('survives a reload for the same account; another account has its own; signing out keeps it but stops', async () => {
    const auth = accountAuth('Adele@Contoso.example');
    const first = setup({ auth });
    first.source.set(ADELE, 'Away', '1');
    first.client.notifyWhenAvailable(ADELE);
    await until(() => first.client.waitingFor().length === 1, 'armed');
    first.client.dispose();

    // A reload: a new client, the same account.
    const second = setup({ auth: accountAuth('adele@contoso.example') });
    second.source.set(ADELE, 'Away', '1');
    second.client.waitingFor();
    await until(() => second.client.waitingFor().includes(ADELE), 'the list read back');

    // Another account sees none of it.
    const other = setup({ auth: accountAuth('alex@contoso.example') });
    other.client.waitingFor();
    await other.client.alerts.checkAccount();
    expect(other.client.waitingFor()).to.deep.equal([]);

    // Signing out: no alerts for that account's people; its list is still saved.
    const secondAuth = second.client.auth as ReturnType<typeof accountAuth>;
    secondAuth.username = null;
    second.client.reload();
    await until(() => second.client.waitingFor().length === 0, 'stopped on sign-out');
    second.transport.push(ADELE, 'Available', '2');
    expect(second.alerts).to.have.length(0);
    expect(JSON.parse(localStorage.getItem(`${STORE_PREFIX}adele@contoso.example`)!)).to.deep.equal([ADELE]);
    // Armed while signed out: it waits for the sign-in.
    second.source.set(ALEX, 'Busy', '1');
    second.client.notifyWhenAvailable(ALEX);
    expect(second.client.waitingFor()).to.deep.equal([]);
    // Signed in again: back, and it fires (Available now); Alex joined the list.
    secondAuth.username = 'adele@contoso.example';
    second.client.reload();
    await until(() => second.alerts.length === 1, 'fires after signing in again');
    await until(() => second.client.waitingFor().includes(ALEX), 'armed once signed in');
  });

  it('a sign-in while the first look for the account is under way opens the signed-in list', async () => {
    localStorage.setItem(`${STORE_PREFIX}adele@contoso.example`, JSON.stringify([ADELE]));
    const answers: Array<(account: { username: string } | null) => void> = [];
    const auth: TokenProvider = { getToken: async () => 'token', account: () => new Promise((r) => answers.push(r)) };
    const { source, client } = setup({ auth });
    source.set(ADELE, 'Away', '1');
    client.waitingFor();
    await until(() => answers.length === 1, 'the first look');
    // Signed in meanwhile (`<presence-sign-in>` reloads the client); then the first look answers: nobody, as before.
    client.reload();
    answers[0]!(null);
    await until(() => answers.length === 2, 'asked again');
    answers[1]!({ username: 'adele@contoso.example' });
    await until(() => client.waitingFor().includes(ADELE), 'the signed-in list');
  });

  it('a client without sign-in (the demo) keeps its list under one fixed key', async () => {
    const first = setup();
    first.source.set(ALEX, 'Busy', '1');
    first.client.notifyWhenAvailable(ALEX);
    await until(() => localStorage.getItem(`${STORE_PREFIX}*`), 'saved');
    const second = setup();
    second.client.waitingFor();
    await second.client.alerts.checkAccount();
    expect(second.client.waitingFor()).to.deep.equal([ALEX]);
  });

  it("follows another tab's changes (the storage event)", async () => {
    const { source, client, alerts } = setup();
    source.set(ADELE, 'Away', '1');
    source.set(ALEX, 'Available', '1');
    await client.alerts.checkAccount();
    const key = `${STORE_PREFIX}*`;
    const fromOtherTab = (value: string) => {
      localStorage.setItem(key, value);
      window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea: localStorage }));
    };
    fromOtherTab(JSON.stringify([ADELE]));
    expect(client.waitingFor()).to.deep.equal([ADELE]);
    fromOtherTab(JSON.stringify([ADELE, ALEX]));
    await until(() => alerts.length === 1, 'Alex, Available, fires here');
    fromOtherTab('[]');
    expect(client.waitingFor()).to.deep.equal([]);
  });

  it("a disposed client no longer follows another tab's changes, nor reads for them", async () => {
    const { source, client } = setup();
    source.set(ADELE, 'Away', '1');
    await client.alerts.checkAccount();
    client.dispose();
    const reads = source.reads;
    const key = `${STORE_PREFIX}*`;
    const value = JSON.stringify([ADELE]);
    localStorage.setItem(key, value);
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea: localStorage }));
    await settle();
    expect(client.waitingFor(), 'nobody armed after dispose').to.deep.equal([]);
    expect(source.reads, 'no read started for them').to.equal(reads);
  });

  it('ignores hostile saved data safely: wrong JSON, wrong types, huge arrays', async () => {
    const key = `${STORE_PREFIX}*`;
    const cases: string[] = [
      '{not json',
      '"a string"',
      'null',
      '{"ids": 5}',
      JSON.stringify([1, null, {}, [ADELE], 'not-an-id', '__proto__', `${ADELE}'); drop`]),
      JSON.stringify({ __proto__: { ids: [ADELE] } }),
      JSON.stringify(Array.from({ length: 100_000 }, (_, n) => id(n))),
    ];
    for (const saved of cases) {
      localStorage.setItem(key, saved);
      const { client } = setup();
      client.waitingFor();
      await client.alerts.checkAccount();
      expect(client.waitingFor(), saved.slice(0, 60)).to.deep.equal([]);
      client.dispose();
    }
    // At most 100 are kept: the newest.
    localStorage.setItem(key, JSON.stringify(Array.from({ length: 150 }, (_, n) => id(n))));
    const { client } = setup();
    client.waitingFor();
    await client.alerts.checkAccount();
    expect(client.waitingFor()).to.have.length(100);
    expect(client.waitingFor()[0]).to.equal(id(50));
  });
});
