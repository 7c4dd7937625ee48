import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  PresenceClient,
  type GraphPresence,
  type PresenceSource,
  type Profile,
  type TeamPresenceList,
} from '../../../src/index.js';
import '../../../src/define.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NAMES = ['Zoë Adams', 'adele vance', 'Émile Bernard', 'Lee Gu', 'Megan Bowen', 'Alex Wilber'];
const STATES = ['Busy', 'Available', 'Offline', 'Available', 'DoNotDisturb', 'Away'];

function teamSource(size: number, pageSize = 999): PresenceSource & { table: Map<string, GraphPresence> } {
  const table = new Map<string, GraphPresence>();
  for (let n = 0; n < size; n++)
    table.set(id(n), {
      id: id(n),
      availability: STATES[n % STATES.length],
      activity: STATES[n % STATES.length],
      sequenceNumber: '0001',
    });
  return {
    table,
    async presences(ids: string[]) {
      return ids.map((i) => table.get(i)!).filter(Boolean);
    },
    async members(_kind: 'team' | 'group', _id: string, onPage: (p: Profile[]) => void) {
      for (let start = 0; start < size; start += pageSize) {
        onPage(
          Array.from({ length: Math.min(pageSize, size - start) }, (_, k) => ({
            id: id(start + k),
            displayName: size <= NAMES.length ? NAMES[start + k]! : `Person ${String(start + k).padStart(5, '0')}`,
          })),
        );
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

async function inProvider(size: number, pageSize?: number) {
  const source = teamSource(size, pageSize);
  const client = new PresenceClient({ source });
  const root = await fixture(
    html`<presence-provider .client=${client}><team-presence-list team-id="t1"></team-presence-list></presence-provider>`,
  );
  const el = root.querySelector('team-presence-list')!;
  return { source, client, el };
}

const rows = (el: TeamPresenceList) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
/** A row's accessible name: its avatar's ("Lee Gu, Available"). */
const nameOf = (row: HTMLElement) =>
  row.querySelector('presence-avatar')?.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label') ?? '';
const headers = (el: TeamPresenceList) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="header"]')].map((h) =>
    h.textContent!.replace(/\s+/g, ' ').trim(),
  );

/** The names down the list, in its order. */
const order = (el: TeamPresenceList) =>
  rows(el)
    .map((r) => nameOf(r).split(',')[0])
    .join(' / ');
const SORTED = ['adele vance', 'Lee Gu', 'Zoë Adams', 'Megan Bowen', 'Alex Wilber', 'Émile Bernard'].join(' / ');

describe('<team-presence-list>', () => {
  it('pages members in, sorts by availability then name, and groups them with counts', async () => {
    const { el } = await inProvider(6, 2);
    await waitUntil(
      () => rows(el).length === 6 && rows(el).every((r) => !/Status unknown/.test(nameOf(r))),
      'all members with presence',
    );
    // Avatars show presence at once; the list re-sorts at the next frame.
    await waitUntil(() => order(el) === SORTED, `sorted by availability then name, not ${order(el)}`);
    expect(headers(el)).to.deep.equal(['Available · 2', 'Busy · 1', 'Do not disturb · 1', 'Away · 1', 'Offline · 1']);
    await expect(el).to.be.accessible();
  });

  it('a list of ids: names that arrive after presence put each member in its place', async () => {
    const source = teamSource(6);
    let release!: () => void;
    const namesLater = new Promise<void>((r) => (release = r));
    const client = new PresenceClient({
      source: {
        presences: (ids) => source.presences(ids),
        profiles: async (keys) => {
          await namesLater;
          return keys.map((key) => ({ key, id: key, displayName: NAMES[Number(key.slice(-12))]! }));
        },
      },
    });
    const ids = [5, 4, 3, 2, 1, 0].map(id).join(',');
    const root = await fixture(
      html`<presence-provider .client=${client}><team-presence-list user-ids=${ids}></team-presence-list></presence-provider>`,
    );
    const el = root.querySelector('team-presence-list')!;
    await waitUntil(
      () => rows(el).length === 6 && rows(el).every((r) => !/Status unknown/.test(nameOf(r))),
      'presence first',
    );
    release();
    await waitUntil(
      () => rows(el).every((r) => !/^(Unknown person|Loading name…)/.test(nameOf(r))),
      'every name shown',
    );
    await waitUntil(() => order(el) === SORTED, `each name in its place, not ${order(el)}`);
  });

  it('filters by name, ignoring case and accents', async () => {
    const { el } = await inProvider(6);
    await waitUntil(() => rows(el).length === 6);
    el.filter = 'emile';
    await el.updateComplete;
    expect(rows(el).map((r) => nameOf(r).split(',')[0])).to.deep.equal(['Émile Bernard']);
    el.filter = 'nobody here';
    await el.updateComplete;
    expect(rows(el).length).to.equal(0);
    expect(el.shadowRoot!.querySelector('.empty')!.textContent).to.contain('No one matches');
  });

  it('keeps 10,000 members in a small DOM, and scrolls to any of them', async () => {
    const { el } = await inProvider(10_000);
    await waitUntil(
      () => el.shadowRoot!.querySelector('.summary')?.textContent === '10000 people',
      'all members loaded',
      { timeout: 8000 },
    );
    expect(rows(el).length).to.be.below(40);
    const scroller = el.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    scroller.scrollTop = scroller.scrollHeight;
    scroller.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    expect(rows(el).length).to.be.below(40);
    expect(rows(el).at(-1)!.getAttribute('aria-posinset')).to.equal('10000');
  });

  it('is a listbox driven by the keyboard; Enter selects with presence-select', async () => {
    const { el } = await inProvider(6);
    // Every row's presence in and the list re-ordered by it (avatars show presence a frame before the list sorts),
    // so the order the keys walk is the final one.
    await waitUntil(
      () =>
        rows(el).length === 6 &&
        rows(el).every((row) => !/Status unknown/.test(nameOf(row))) &&
        headers(el)[0] === 'Available · 2',
    );
    const selected = new Promise<CustomEvent>((r) =>
      el.addEventListener('presence-select', (e) => r(e as CustomEvent), { once: true }),
    );
    el.shadowRoot!.querySelector<HTMLElement>('.scroller')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    const { detail, composed } = await selected;
    expect(composed).to.equal(true);
    expect(detail).to.deep.equal({
      userId: id(3),
      displayName: 'Lee Gu',
      availability: 'Available',
      activity: 'Available',
    });
    const listbox = el.shadowRoot!.querySelector('[role="listbox"]')!;
    expect(listbox.getAttribute('aria-activedescendant')).to.equal(`member-${id(3)}`);
  });

  it('re-orders live, keeping the active member, and says who just became available', async () => {
    const { el, client } = await inProvider(6);
    await waitUntil(() => rows(el).length === 6 && headers(el)[0] === 'Available · 2', 'sorted by presence');
    el.shadowRoot!.querySelector<HTMLElement>('.scroller')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    const available = new Promise<CustomEvent>((r) =>
      el.addEventListener('presence-available', (e) => r(e as CustomEvent), { once: true }),
    );
    client.applyPresences([{ id: id(2), availability: 'Available', activity: 'Available', sequenceNumber: '0002' }]);
    const { detail } = await available;
    expect(detail).to.include({
      userId: id(2),
      displayName: 'Émile Bernard',
      previousAvailability: 'Offline',
      availability: 'Available',
    });
    await waitUntil(() => headers(el)[0] === 'Available · 3');
    expect(el.shadowRoot!.querySelector('[role="listbox"]')!.getAttribute('aria-activedescendant')).to.equal(
      `member-${id(3)}`,
    );
  });

  it('moved in the page while a re-order is pending, it still re-orders live', async () => {
    const { el, client, source } = await inProvider(6);
    await waitUntil(
      () => rows(el).length === 6 && rows(el).every((r) => !/Status unknown/.test(nameOf(r))),
      'every presence',
    );
    const parent = el.parentElement!;
    // The client tells the list at once and the list re-orders at the next frame; before that frame, it moves.
    const change = { id: id(2), availability: 'Available', activity: 'Available', sequenceNumber: '0002' };
    source.table.set(id(2), change);
    client.applyPresences([change]);
    el.remove();
    parent.append(el);
    await waitUntil(() => headers(el)[0] === 'Available · 3', 'the list as it is after the move');
    client.applyPresences([{ id: id(0), availability: 'Available', activity: 'Available', sequenceNumber: '0002' }]);
    await waitUntil(() => headers(el)[0] === 'Available · 4', 'a later change re-orders the list');
  });

  it('keeps the scroll position when members re-order', async () => {
    const { el, client } = await inProvider(600);
    await waitUntil(() => el.shadowRoot!.querySelector('.summary')?.textContent === '600 people');
    const scroller = el.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    scroller.scrollTop = 2400;
    scroller.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    client.applyPresences(
      Array.from({ length: 50 }, (_, n) => ({
        id: id(n * 6 + 2),
        availability: 'Available',
        activity: 'Available',
        sequenceNumber: '0009',
      })),
    );
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    await el.updateComplete;
    expect(scroller.scrollTop).to.equal(2400);
    expect(rows(el).length).to.be.greaterThan(5);
    expect(Number(rows(el)[0]!.getAttribute('aria-posinset'))).to.be.greaterThan(30);
  });

  it('shows an error when members cannot be loaded', async () => {
    const client = new PresenceClient({
      source: {
        presences: async () => [],
        members: async () => Promise.reject(new Error('Forbidden: TeamMember.Read.All needed')),
      },
    });
    const root = await fixture(
      html`<presence-provider .client=${client}><team-presence-list team-id="x"></team-presence-list></presence-provider>`,
    );
    const el = root.querySelector('team-presence-list')!;
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('TeamMember.Read.All');
  });
});
