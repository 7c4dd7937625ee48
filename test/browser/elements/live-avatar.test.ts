import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  DemoTransport,
  PresenceClient,
  setDefaultClient,
  type GraphPresence,
  type PresenceAvatar,
  type PresenceProvider,
  type PresenceSource,
} from '../../../src/index.js';
import '../../../src/define.js';
import { drawnStatus, part } from '../support/fixtures.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function sourceWith(availability: string, name = 'Live Person'): PresenceSource & { presenceCalls: number } {
  return {
    presenceCalls: 0,
    async presences(ids: string[]) {
      this.presenceCalls++;
      return ids.map((i) => ({ id: i, availability, activity: availability, sequenceNumber: '0001' }));
    },
    async profiles(keys: string[]) {
      return keys.map((key) => ({ key, id: key, displayName: name }));
    },
  };
}

const label = (el: PresenceAvatar) => part(el, 'base').getAttribute('aria-label');

describe('live avatars', () => {
  afterEach(() => setDefaultClient(undefined));

  it('inside a demo provider, show a name and a presence by themselves', async () => {
    const root = await fixture<PresenceProvider>(
      html`<presence-provider demo><presence-avatar user-id=${id(1)} show-name></presence-avatar></presence-provider>`,
    );
    const avatar = root.querySelector('presence-avatar')!;
    await waitUntil(
      () => drawnStatus(avatar) !== null && part(avatar, 'name').textContent !== 'Unknown person',
      'live data arrived',
    );
    expect(label(avatar)).to.match(/^[A-ZÉØ][\p{L}]+ [\p{L}]+, /u);
  });

  it('with the demo transport, a person the simulation leaves alone is never marked out of date', async () => {
    // The simulation makes no change; it says every 50 ms that whoever it did not change is still as shown.
    const client = new PresenceClient({
      source: sourceWith('Busy', 'Calm Person'),
      transport: new DemoTransport(0, 50),
      staleAfterMs: 200,
    });
    setDefaultClient(client);
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar user-id=${id(7)}></presence-avatar>`);
    await waitUntil(() => label(avatar) === 'Calm Person, Busy', 'seeded');
    for (let n = 0; n < 8; n++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(label(avatar), `after ${(n + 1) * 100} ms`).to.equal('Calm Person, Busy');
    }
    client.dispose();
  });

  it('follow presence changes and say so with presence-change', async () => {
    const transport = new DemoTransport(0);
    const client = new PresenceClient({ source: sourceWith('Available'), transport });
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar .userId=${id(2)}></presence-avatar>`);
    const events: Array<CustomEvent> = [];
    avatar.addEventListener('presence-change', (e) => events.push(e as CustomEvent));
    setDefaultClient(client);
    await waitUntil(() => drawnStatus(avatar) === 'available', 'seeded from the default client');
    client.applyPresences([
      { id: id(2), availability: 'Busy', activity: 'InACall', sequenceNumber: '0002' } as GraphPresence,
    ]);
    await waitUntil(() => drawnStatus(avatar) === 'busy');
    expect(label(avatar)).to.equal('Live Person, Busy, In a call');
    expect(events.map((e) => e.detail)).to.deep.equal([
      { userId: id(2), id: id(2), availability: 'Busy', activity: 'InACall', previousAvailability: 'Available' },
    ]);
  });

  it('presence-change names the person as the page did (user-id), with the object id beside it', async () => {
    const upn = 'Adele.Vance@contoso.example';
    const source: PresenceSource = {
      async presences(ids: string[]) {
        return ids.map((i) => ({ id: i, availability: 'Available', activity: 'Available', sequenceNumber: '0001' }));
      },
      async profiles(keys: string[]) {
        return keys.map((key) => ({ key, id: id(20), displayName: 'Adele Vance' }));
      },
    };
    const client = new PresenceClient({ source, transport: new DemoTransport(0) });
    setDefaultClient(client);
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar user-id=${upn}></presence-avatar>`);
    const events: Array<CustomEvent> = [];
    avatar.addEventListener('presence-change', (e) => events.push(e as CustomEvent));
    await waitUntil(() => drawnStatus(avatar) === 'available', 'seeded');
    client.applyPresences([{ id: id(20), availability: 'Away', activity: 'Away', sequenceNumber: '0002' }]);
    await waitUntil(() => events.length === 1, 'one change');
    expect(events[0]!.detail).to.deep.equal({
      userId: upn,
      id: id(20),
      availability: 'Away',
      activity: 'Away',
      previousAvailability: 'Available',
    });
  });

  it('while the name is being read, says so rather than "Unknown person"; a person without one is unknown', async () => {
    let answer: (profiles: Array<{ key: string; id: string; displayName: string | null }>) => void = () => {};
    const source: PresenceSource = {
      async presences(ids: string[]) {
        return ids.map((i) => ({ id: i, availability: 'Busy', activity: 'Busy', sequenceNumber: '0001' }));
      },
      profiles: () => new Promise((resolve) => (answer = resolve)),
    };
    setDefaultClient(new PresenceClient({ source }));
    const root = await fixture(html`<div>
      <presence-avatar class="named" user-id=${id(21)} show-name></presence-avatar>
      <presence-avatar class="nameless" user-id=${id(22)} show-name></presence-avatar>
    </div>`);
    const named = root.querySelector<PresenceAvatar>('.named')!;
    const nameless = root.querySelector<PresenceAvatar>('.nameless')!;
    await waitUntil(() => drawnStatus(named) === 'busy' && drawnStatus(nameless) === 'busy', 'presence first');
    for (const avatar of [named, nameless]) {
      expect(label(avatar)).to.equal('Loading name…, Busy');
      expect(part(avatar, 'base').getAttribute('aria-busy')).to.equal('true');
      expect(part(avatar, 'name').textContent).to.equal('Loading name…');
    }
    // The directory knows the first person only.
    answer([{ key: id(21), id: id(21), displayName: 'Megan Bowen' }]);
    await waitUntil(() => label(named) === 'Megan Bowen, Busy', 'the name arrived');
    await waitUntil(() => label(nameless) === 'Unknown person, Busy', 'no name: unknown, not loading forever');
    expect(part(named, 'base').hasAttribute('aria-busy')).to.equal(false);
    expect(part(nameless, 'base').hasAttribute('aria-busy')).to.equal(false);
    expect(part(nameless, 'name').textContent).to.equal('Unknown person');
  });

  it('two providers on one page work side by side', async () => {
    const a = new PresenceClient({ source: sourceWith('Available', 'Tenant A') });
    const b = new PresenceClient({ source: sourceWith('DoNotDisturb', 'Tenant B') });
    const root = await fixture(html`<div>
      <presence-provider .client=${a}><presence-avatar class="a" user-id=${id(3)}></presence-avatar></presence-provider>
      <presence-provider .client=${b}><presence-avatar class="b" user-id=${id(3)}></presence-avatar></presence-provider>
    </div>`);
    const first = root.querySelector<PresenceAvatar>('.a')!;
    const second = root.querySelector<PresenceAvatar>('.b')!;
    await waitUntil(() => drawnStatus(first) === 'available' && drawnStatus(second) === 'do-not-disturb');
    expect(label(first)).to.match(/^Tenant A/);
    expect(label(second)).to.match(/^Tenant B/);
  });

  it("follow their provider's client when it is replaced; moved to another provider, use that one", async () => {
    const [a, b, c] = ['Tenant A', 'Tenant B', 'Tenant C'].map(
      (name) => new PresenceClient({ source: sourceWith('Available', name) }),
    );
    const root = await fixture(html`<div>
      <presence-provider class="first" .client=${a}><presence-avatar user-id=${id(7)}></presence-avatar></presence-provider>
      <presence-provider class="second" .client=${c}></presence-provider>
    </div>`);
    const avatar = root.querySelector<PresenceAvatar>('presence-avatar')!;
    await waitUntil(() => drawnStatus(avatar) && label(avatar)?.startsWith('Tenant A,'), 'the first client');
    root.querySelector<PresenceProvider>('.first')!.client = b;
    await waitUntil(() => label(avatar)?.startsWith('Tenant B,'), 'the client that replaced it');
    root.querySelector('.second')!.append(avatar);
    await waitUntil(() => label(avatar)?.startsWith('Tenant C,'), "the other provider's client");
  });

  it('an explicit presence wins over the live one', async () => {
    const client = new PresenceClient({ source: sourceWith('Available') });
    setDefaultClient(client);
    const avatar = await fixture<PresenceAvatar>(
      html`<presence-avatar user-id=${id(4)} presence="Offline"></presence-avatar>`,
    );
    // A live presence for the same person reaches the client; the avatar still draws the one it was given.
    client.applyPresences([{ id: id(4), availability: 'Available', activity: 'Available', sequenceNumber: '9' }]);
    await avatar.updateComplete;
    expect(drawnStatus(avatar)).to.equal('offline');
  });

  it('a client that comes after the avatars reaches them; an avatar whose presence is taken away goes live', async () => {
    const root = await fixture(html`<div>
      <presence-avatar class="waiting" user-id=${id(5)}></presence-avatar>
      <presence-avatar class="given" user-id=${id(6)} presence="Offline"></presence-avatar>
    </div>`);
    const waiting = root.querySelector<PresenceAvatar>('.waiting')!;
    const given = root.querySelector<PresenceAvatar>('.given')!;
    expect(drawnStatus(waiting)).to.equal(null);
    expect(drawnStatus(given)).to.equal('offline');
    setDefaultClient(new PresenceClient({ source: sourceWith('Busy', 'Late Client') }));
    await waitUntil(() => drawnStatus(waiting) === 'busy', 'the waiting avatar is live');
    expect(label(waiting)).to.match(/^Late Client, Busy/);
    expect(drawnStatus(given)).to.equal('offline');
    given.presence = null;
    await waitUntil(() => drawnStatus(given) === 'busy', 'the other avatar is live once its presence is gone');
  });

  it('when the client cannot get the presence: an unknown badge and presence-error, never offline', async () => {
    const failing: PresenceSource = {
      async presences() {
        throw new Error('Graph unreachable');
      },
    };
    setDefaultClient(new PresenceClient({ source: failing }));
    const avatar = document.createElement('presence-avatar');
    avatar.userId = id(5);
    avatar.displayName = 'Alex Wilber';
    const error = new Promise<CustomEvent>((r) =>
      avatar.addEventListener('presence-error', (e) => r(e as CustomEvent), { once: true }),
    );
    document.body.append(avatar);
    try {
      const { detail } = await error;
      expect(detail).to.include({ kind: 'unavailable', userId: id(5) });
      await waitUntil(() => drawnStatus(avatar) === 'unknown');
    } finally {
      avatar.remove();
    }
  });

  it('marks a presence that is too old as possibly out of date', async () => {
    setDefaultClient(new PresenceClient({ source: sourceWith('Busy', 'Old News'), staleAfterMs: 40 }));
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar user-id=${id(6)}></presence-avatar>`);
    await waitUntil(() => label(avatar) === 'Old News, Busy');
    await waitUntil(() => label(avatar) === 'Old News, Busy, may be out of date', 'marked stale by itself');
    expect(part(avatar, 'badge').classList.contains('stale')).to.equal(true);
  });

  it('1,000 live avatars cost 2 presence requests', async () => {
    const source = sourceWith('Busy');
    setDefaultClient(new PresenceClient({ source }));
    const root = await fixture(
      html`<div>${Array.from({ length: 1000 }, (_, n) => html`<presence-avatar size="small" user-id=${id(10_000 + n)}></presence-avatar>`)}</div>`,
    );
    const avatars = [...root.querySelectorAll<PresenceAvatar>('presence-avatar')];
    await waitUntil(() => avatars.every((a) => drawnStatus(a) === 'busy'), 'every badge painted', { timeout: 5000 });
    expect(source.presenceCalls).to.equal(2);
  });
});
