// "Notify me when available" in the elements: the avatar's attribute, the team list's row action (pointer and
// keyboard), and <presence-alerts> (toast, slot, cancel, dismiss, the list of people waited for, desktop
// notifications only once the user allowed them).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  PresenceClient,
  type GraphPresence,
  type MemberEventDetail,
  type PresenceAlerts,
  type PresenceAvatar,
  type PresenceSource,
  type PresenceTransport,
  type TeamPresenceList,
  type TransportSink,
} from '../../../src/index.js';
import '../../../src/define.js';
import { maybePart, part, shadow } from '../support/fixtures.js';
import { until } from '../support/until.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NAMES = ['Adele Vance', 'Alex Wilber', 'Lee Gu'];
const STORE_PREFIX = 'presence-elements:notify-when-available:';

class FakeSource implements PresenceSource {
  table = new Map<string, GraphPresence>();
  constructor() {
    NAMES.forEach((_, n) => this.set(id(n), 'Away', '0001'));
  }
  set(userId: string, availability: string, sequenceNumber: string) {
    this.table.set(userId, { id: userId, availability, activity: availability, sequenceNumber });
  }
  async presences(ids: string[]) {
    return ids.filter((i) => this.table.has(i)).map((i) => this.table.get(i)!);
  }
  async profiles(keys: string[]) {
    return keys.map((key) => ({ key, id: key, displayName: NAMES[Number(key.slice(-3))] ?? 'Someone' }));
  }
}

class FakeTransport implements PresenceTransport {
  sink: TransportSink | undefined;
  start(sink: TransportSink) {
    this.sink = sink;
  }
  watch() {}
  stop() {}
  push(userId: string, availability: string, sequenceNumber: string) {
    this.sink!.update([{ id: userId, availability, activity: availability, sequenceNumber }]);
  }
}

function makeClient() {
  const source = new FakeSource();
  const transport = new FakeTransport();
  const client = new PresenceClient({ source, transport });
  return { source, transport, client };
}

const label = (avatar: PresenceAvatar) => part(avatar, 'base').getAttribute('aria-label') ?? '';

beforeEach(() => {
  for (const key of Object.keys(localStorage)) if (key.startsWith(STORE_PREFIX)) localStorage.removeItem(key);
});

describe('<presence-avatar notify-when-available>', () => {
  it('arms its person, shows a bell and says so, fires presence-available once, and disarms when removed', async () => {
    const { client, transport } = makeClient();
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-avatar user-id=${id(0)} notify-when-available></presence-avatar></presence-provider>`,
    );
    const avatar = root.querySelector('presence-avatar')!;
    await until(() => client.waitingFor().includes(id(0)) && maybePart(avatar, 'bell'), 'armed, with a bell');
    // The bell is drawn as the avatar's styles say: a small disc at the top corner, opposite the badge.
    const bell = getComputedStyle(part(avatar, 'bell'));
    expect([bell.position, bell.borderRadius, bell.display]).to.deep.equal(['absolute', '50%', 'grid']);
    await until(() => label(avatar).includes('Away'), 'presence shown');
    expect(label(avatar)).to.contain('you will be notified when available');
    await expect(avatar).to.be.accessible();

    const heard: MemberEventDetail[] = [];
    root.addEventListener('presence-available', (e) => heard.push((e as CustomEvent<MemberEventDetail>).detail));
    transport.push(id(0), 'Available', '0002');
    await until(() => heard.length === 1, 'presence-available');
    expect(heard[0]).to.deep.include({ userId: id(0), availability: 'Available', notified: true });
    expect(heard[0]!.previousAvailability).to.equal('Away');
    await until(() => !maybePart(avatar, 'bell'), 'the bell goes once fired');
    expect(label(avatar)).not.to.contain('notified');
    // Still set, but the wait is over: Available again later fires nothing more.
    transport.push(id(0), 'Away', '0003');
    transport.push(id(0), 'Available', '0004');
    await avatar.updateComplete;
    expect(heard).to.have.length(1);

    // Set again: armed again; removed: disarmed.
    avatar.notifyWhenAvailable = false;
    await avatar.updateComplete;
    transport.push(id(0), 'Busy', '0005');
    avatar.notifyWhenAvailable = true;
    await until(() => client.waitingFor().includes(id(0)), 'armed again');
    avatar.removeAttribute('notify-when-available');
    await avatar.updateComplete;
    expect(client.waitingFor()).to.deep.equal([]);
  });

  it('takes a value of any type without throwing', async () => {
    const { client } = makeClient();
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-avatar user-id=${id(1)}></presence-avatar></presence-provider>`,
    );
    const avatar = root.querySelector('presence-avatar')!;
    for (const value of ['yes', 0, null, {}, Symbol('x')]) {
      (avatar as unknown as Record<string, unknown>).notifyWhenAvailable = value;
      await avatar.updateComplete;
    }
    // Its waits (loaded on first use) must not save into the next test's list.
    client.dispose();
  });
});

describe('<team-presence-list> notify row action', () => {
  async function list() {
    const { client, transport } = makeClient();
    const root = await fixture(
      html`<presence-provider .client=${client}><team-presence-list user-ids=${NAMES.map((_, n) => id(n)).join(',')}></team-presence-list></presence-provider>`,
    );
    const el = root.querySelector<TeamPresenceList>('team-presence-list')!;
    const rows = () => [...shadow(el).querySelectorAll<HTMLElement>('[role="option"]')];
    await until(() => rows().length === 3 && rows().every((r) => !/unknown/i.test(r.textContent ?? '')), 'rows');
    return { client, transport, el, rows };
  }

  it("the row's bell arms and disarms its member with the pointer, without choosing the row", async () => {
    const { client, el, rows } = await list();
    const selected: string[] = [];
    el.addEventListener('presence-select', (e) => selected.push(e.detail.userId));
    const row = rows()[0]!;
    const memberId = row.id.replace('member-', '');
    const bell = row.querySelector<HTMLElement>('[part="notify"]')!;
    const box = bell.getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
    });
    await until(() => client.waitingFor().includes(memberId), 'armed by the bell');
    await el.updateComplete;
    expect(bell.classList.contains('on')).to.equal(true);
    expect(row.textContent).to.contain('you will be notified when available');
    expect(selected).to.deep.equal([]);
    await expect(el).to.be.accessible();
    await sendMouse({
      type: 'click',
      position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
    });
    await until(() => client.waitingFor().length === 0, 'disarmed by the bell');
  });

  it('N on the active row arms it; the listbox says so; N again disarms', async () => {
    const { client, el, rows } = await list();
    const scroller = part(el, 'list');
    expect(scroller.getAttribute('aria-keyshortcuts')).to.equal('N');
    const hint = shadow(el).getElementById(scroller.getAttribute('aria-describedby')!)!;
    expect(hint.textContent).to.contain('Press N');
    scroller.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const active = shadow(el).querySelector('[role="option"][aria-selected="true"]')!;
    const memberId = active.id.replace('member-', '');
    await sendKeys({ press: 'n' });
    await until(() => client.waitingFor().includes(memberId), 'armed by N');
    // N typed in the filter box is text, not the shortcut.
    const filter = part<HTMLInputElement>(el, 'filter');
    filter.focus();
    await sendKeys({ type: 'n' });
    expect(client.waitingFor()).to.deep.equal([memberId]);
    scroller.focus();
    await sendKeys({ press: 'N' });
    await until(() => client.waitingFor().length === 0, 'disarmed by N');
    expect(rows().length).to.be.greaterThan(0);
  });
});

describe('<presence-alerts>', () => {
  let realNotification: typeof Notification | undefined;
  let shown: Array<{ title: string; options?: NotificationOptions }>;
  let asked: number;
  let permission: NotificationPermission;

  beforeEach(() => {
    realNotification = window.Notification;
    shown = [];
    asked = 0;
    permission = 'default';
    class StubNotification {
      static get permission() {
        return permission;
      }
      static async requestPermission() {
        asked++;
        permission = 'granted';
        return permission;
      }
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, options });
      }
    }
    (window as unknown as { Notification: unknown }).Notification = StubNotification;
  });
  afterEach(() => {
    (window as unknown as { Notification: unknown }).Notification = realNotification;
  });

  async function alerts(template = html``) {
    const { client, transport, source } = makeClient();
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-alerts duration="0">${template}</presence-alerts></presence-provider>`,
    );
    const el = root.querySelector<PresenceAlerts>('presence-alerts')!;
    await el.updateComplete;
    return { client, transport, source, el };
  }

  it('shows a toast in a polite status region when an alert fires; dismissed, it goes', async () => {
    const { client, transport, el } = await alerts();
    const region = part(el, 'region');
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.getAttribute('aria-live')).to.equal('polite');
    client.notifyWhenAvailable(id(0));
    await until(() => client.peek(id(0)).presence && client.peek(id(0)).profile, 'known');
    transport.push(id(0), 'Available', '0002');
    await until(() => maybePart(el, 'toast'), 'toast');
    expect(part(el, 'message').textContent).to.contain('Adele Vance is now available');
    expect(el.current?.userId).to.equal(id(0));
    await expect(el).to.be.accessible();
    // No permission asked, no system notification: the user did not click for it.
    expect(asked).to.equal(0);
    expect(shown).to.deep.equal([]);
    part<HTMLButtonElement>(el, 'dismiss').click();
    await el.updateComplete;
    expect(maybePart(el, 'toast')).to.equal(null);
  });

  it("a toast shown before the person's name was read shows the name once it is", async () => {
    const { client, transport, source, el } = await alerts();
    let answer: (() => void) | undefined;
    const profiles = source.profiles.bind(source);
    source.profiles = (keys: string[]) =>
      new Promise<Awaited<ReturnType<typeof profiles>>>(
        (resolve) => (answer = () => void profiles(keys).then(resolve)),
      );
    client.notifyWhenAvailable(id(0));
    await until(() => client.peek(id(0)).presence && answer, 'presence known, the name asked for');
    transport.push(id(0), 'Available', '0002');
    await until(() => maybePart(el, 'toast'), 'toast');
    expect(part(el, 'message').textContent).to.contain('Unknown person is now available');
    answer!();
    await until(() => part(el, 'message').textContent?.includes('Adele Vance is now available'), 'the name, once read');
  });

  it("removed while its toast shows, it stops following the toast's person", async () => {
    const { client, transport, el } = await alerts();
    client.notifyWhenAvailable(id(0));
    await until(() => client.peek(id(0)).presence && client.peek(id(0)).profile, 'known');
    transport.push(id(0), 'Available', '0002');
    await until(() => maybePart(el, 'toast'), 'toast');
    expect(client.waitingFor()).to.not.include(id(0));
    expect(client.watchedIds().has(id(0)), 'followed for the toast').to.equal(true);
    el.remove();
    expect(client.watchedIds().has(id(0)), 'let go once removed').to.equal(false);
  });

  it('hides by itself after its duration, but not while focus is inside it', async () => {
    const { client, source, el } = await alerts();
    source.set(id(1), 'Available', '0001');
    client.notifyWhenAvailable(id(1));
    await until(() => maybePart(el, 'toast'), 'toast');
    // Focus inside: paused, whatever the duration.
    part<HTMLButtonElement>(el, 'dismiss').focus();
    el.duration = 1;
    await el.updateComplete;
    expect(part(el, 'toast').dataset.paused).to.equal('true');
    // Focus leaves: the toast hides after its duration.
    part<HTMLButtonElement>(el, 'dismiss').blur();
    await until(() => !maybePart(el, 'toast'), 'hidden after its duration');
  });

  it('Escape inside the toast dismisses it', async () => {
    const { client, source, el } = await alerts();
    source.set(id(2), 'Available', '0001');
    client.notifyWhenAvailable(id(2));
    await until(() => maybePart(el, 'toast'), 'toast');
    part<HTMLButtonElement>(el, 'dismiss').focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !maybePart(el, 'toast'), 'dismissed');
  });

  it('renders slotted actions and message; a canceled presence-alert shows nothing', async () => {
    const { client, transport, el } = await alerts(
      html`<button slot="actions">Invite</button><span slot="message">Time to talk</span>`,
    );
    let cancel = true;
    const heard: MemberEventDetail[] = [];
    el.addEventListener('presence-alert', (e) => {
      heard.push(e.detail);
      if (cancel) e.preventDefault();
    });
    client.notifyWhenAvailable(id(0));
    client.notifyWhenAvailable(id(1));
    await until(() => client.peek(id(1)).presence, 'known');
    transport.push(id(0), 'Available', '0002');
    await until(() => heard.length === 1, 'presence-alert');
    expect(heard[0]).to.deep.include({ userId: id(0), notified: true });
    await el.updateComplete;
    expect(maybePart(el, 'toast')).to.equal(null);
    cancel = false;
    transport.push(id(1), 'Available', '0002');
    await until(() => maybePart(el, 'toast'), 'toast');
    const slots = [...shadow(el).querySelectorAll('slot')];
    const assigned = slots.flatMap((s) => s.assignedElements().map((e) => e.textContent));
    expect(assigned).to.deep.equal(['Time to talk', 'Invite']);
  });

  it('lists the people waited for: one removed, then all cleared', async () => {
    const { client, el } = await alerts();
    for (const n of [0, 1, 2]) client.notifyWhenAvailable(id(n));
    await until(() => shadow(el).querySelectorAll('[part="item"]').length === 3, 'three listed');
    expect(part(el, 'heading').textContent).to.contain('(3)');
    await until(() => part(el, 'remove').getAttribute('aria-label') === 'Remove Adele Vance', 'named');
    await expect(el).to.be.accessible();
    part<HTMLButtonElement>(el, 'remove').click();
    await until(() => client.waitingFor().length === 2, 'one removed');
    part<HTMLButtonElement>(el, 'clear').click();
    await until(() => client.waitingFor().length === 0, 'cleared');
    await until(() => shadow(el).querySelectorAll('[part="item"]').length === 0, 'list empty');
  });

  it('signing out with <presence-sign-in> stops the alerts and empties the list; signing in brings it back', async () => {
    let account: { username: string } | null = { username: 'adele@contoso.example' };
    const auth = {
      getToken: async () => 'token',
      account: async () => account,
      signIn: async () => (account = { username: 'adele@contoso.example' }),
      signOut: async () => void (account = null),
    };
    const client = new PresenceClient({ source: new FakeSource(), transport: new FakeTransport(), auth });
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-sign-in></presence-sign-in><presence-alerts></presence-alerts></presence-provider>`,
    );
    const el = root.querySelector<PresenceAlerts>('presence-alerts')!;
    const button = () => root.querySelector('presence-sign-in')!.shadowRoot!.querySelector('button')!;
    client.notifyWhenAvailable(id(1));
    await until(() => shadow(el).querySelectorAll('[part="item"]').length === 1, 'listed');
    await until(() => button()?.textContent === 'Sign out', 'signed in');
    button().click();
    await until(() => shadow(el).querySelectorAll('[part="item"]').length === 0, 'nobody listed once signed out');
    expect(client.waitingFor()).to.deep.equal([]);
    expect(localStorage.getItem(`${STORE_PREFIX}adele@contoso.example`)).to.contain(id(1));
    await until(() => button()?.textContent === 'Sign in', 'signed out');
    button().click();
    await until(() => client.waitingFor().includes(id(1)), 'back after signing in');
  });

  it('asks for desktop notifications only from the click, then shows one per alert, tagged per person', async () => {
    const { client, transport, el } = await alerts();
    client.notifyWhenAvailable(id(2));
    await until(() => client.peek(id(2)).presence && client.peek(id(2)).profile, 'known');
    expect(asked).to.equal(0);
    part<HTMLButtonElement>(el, 'desktop').click();
    await until(() => maybePart(el, 'desktop-status'), 'granted');
    expect(asked).to.equal(1);
    transport.push(id(2), 'Available', '0002');
    await until(() => shown.length === 1, 'a system notification');
    expect(shown[0]!.title).to.equal('Lee Gu is now available');
    expect(shown[0]!.options?.tag).to.equal(`presence-available:${id(2)}`);
  });
});
