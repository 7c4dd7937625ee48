import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  PresenceClient,
  setDefaultClient,
  type GraphPresence,
  type PresenceActionEvent,
  type PresenceAvatar,
  type PresenceCard,
  type PresenceSource,
  type Profile,
  type TeamPresenceList,
  registerLocale,
} from '../../../src/index.js';
import { cardTiming } from '../../../src/elements/presence-card/card-opener.js';
import '../../../src/define.js';
import { FakeClock } from '../support/fake-clock.js';
import { PHOTO_DATA_URL, maybePart, part } from '../support/fixtures.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Person {
  profile: Omit<Profile, 'id'>;
  presence: Omit<GraphPresence, 'id'>;
  photo?: boolean;
}

const ADELE: Person = {
  profile: {
    displayName: 'Adele Vance',
    userPrincipalName: 'adele.vance@contoso.example',
    mail: 'adele.vance@contoso.example',
    jobTitle: 'Product Manager',
  },
  presence: {
    availability: 'Busy',
    activity: 'InAMeeting',
    statusMessage: { message: { content: 'Heads down until 3 pm', contentType: 'text' } },
    outOfOfficeSettings: { isOutOfOffice: true, message: 'Back on Monday' },
  },
  photo: true,
};

const photoBlob = async () => (await fetch(PHOTO_DATA_URL)).blob();

/** A directory of people and their presence, counting what is asked of it. */
function sourceOf(people: Record<string, Person>) {
  const calls = { presence: 0, profiles: 0, photos: 0 };
  const source: PresenceSource = {
    async presences(ids) {
      calls.presence++;
      return ids.filter((i) => people[i]).map((i) => ({ id: i, sequenceNumber: '0001', ...people[i]!.presence }));
    },
    async profiles(keys) {
      calls.profiles++;
      return keys.filter((k) => people[k]).map((k) => ({ key: k, id: k, ...people[k]!.profile }));
    },
    async photos(ids) {
      calls.photos++;
      const blob = await photoBlob();
      return new Map(ids.map((i) => [i, people[i]?.photo ? blob : null]));
    },
  };
  return { source, calls };
}

function clientFor(people: Record<string, Person>) {
  const { source, calls } = sourceOf(people);
  const client = new PresenceClient({ source });
  setDefaultClient(client);
  return { client, calls };
}

const shown = (card: PresenceCard) =>
  waitUntil(
    () => maybePart(card, 'presence') && maybePart(card, 'name')?.textContent !== 'Loading…',
    'the person arrived',
  );
const actionOf = (card: PresenceCard, action: string) =>
  card.shadowRoot!.querySelector<HTMLElement>(`[data-action="${action}"]`);
const hrefs = (card: PresenceCard) =>
  Object.fromEntries(
    [...card.shadowRoot!.querySelectorAll('a[data-action]')].map((a) => [
      a.getAttribute('data-action'),
      a.getAttribute('href'),
    ]),
  );
const deepActive = () => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

let opened: unknown[][];
const realOpen = window.open;
beforeEach(() => {
  opened = [];
  window.open = ((...args: unknown[]) => {
    opened.push(args);
    return null;
  }) as typeof window.open;
});
afterEach(() => {
  window.open = realOpen;
  setDefaultClient(undefined);
});

describe('<presence-card>', () => {
  it('shows photo, name, job title, presence, status message and automatic reply from the client', async () => {
    clientFor({ [id(1)]: ADELE });
    const card = await fixture<PresenceCard>(html`<presence-card user-id=${id(1)}></presence-card>`);
    await shown(card);
    await waitUntil(() => part(card, 'photo').getAttribute('photo-url')?.startsWith('blob:'), 'the photo');
    expect(part(card, 'name').textContent).to.equal('Adele Vance');
    expect(part(card, 'title').textContent).to.equal('Product Manager');
    expect(part(card, 'presence').textContent).to.equal('Busy, In a meeting, Out of office');
    expect(part(card, 'message').textContent).to.equal('Heads down until 3 pm');
    expect(part(card, 'out-of-office').textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Automatic reply Back on Monday',
    );
    expect(part(card, 'base').getAttribute('aria-label')).to.equal('Adele Vance');
    expect(hrefs(card)).to.deep.equal({
      chat: 'https://teams.microsoft.com/l/chat/0/0?users=adele.vance%40contoso.example',
      call: 'https://teams.microsoft.com/l/call/0/0?users=adele.vance%40contoso.example',
      video: 'https://teams.microsoft.com/l/call/0/0?users=adele.vance%40contoso.example&withVideo=true',
      email: 'mailto:adele.vance@contoso.example',
    });
    await expect(card).to.be.accessible();
  });

  it('shows initials when the person has no photo, and no automatic reply when in the office', async () => {
    clientFor({ [id(2)]: { ...ADELE, photo: false, presence: { availability: 'Available', activity: 'Available' } } });
    const card = await fixture<PresenceCard>(html`<presence-card user-id=${id(2)}></presence-card>`);
    await shown(card);
    const avatar = part<PresenceAvatar>(card, 'photo');
    await avatar.updateComplete;
    expect(part(avatar, 'initials').textContent).to.equal('AV');
    expect(maybePart(card, 'out-of-office')).to.equal(null);
    expect(maybePart(card, 'message')).to.equal(null);
  });

  it('keeps hostile names, job titles and messages as text, and links encoded and on their own scheme', async () => {
    const hostile = '<img src=x onerror="window.hacked=1">';
    clientFor({
      [id(3)]: {
        profile: {
          displayName: hostile,
          jobTitle: '<script>window.hacked=1</script>',
          userPrincipalName: 'javascript:alert(1)//&users=evil@x',
          mail: 'javascript:alert(1)',
        },
        presence: {
          availability: 'Away',
          activity: 'Away',
          statusMessage: { message: { content: '<b onclick="x()">bold</b> &lt;i&gt;', contentType: 'html' } },
        },
      },
    });
    const card = await fixture<PresenceCard>(html`<presence-card user-id=${id(3)}></presence-card>`);
    await shown(card);
    expect(part(card, 'name').textContent).to.equal(hostile);
    expect(part(card, 'title').textContent).to.equal('<script>window.hacked=1</script>');
    expect(part(card, 'message').textContent).to.equal('bold <i>');
    expect(card.shadowRoot!.querySelectorAll('img, script, b').length).to.equal(0);
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
    expect(hrefs(card)).to.deep.equal({
      chat: 'https://teams.microsoft.com/l/chat/0/0?users=javascript%3Aalert(1)%2F%2F%26users%3Devil%40x',
      call: 'https://teams.microsoft.com/l/call/0/0?users=javascript%3Aalert(1)%2F%2F%26users%3Devil%40x',
      video:
        'https://teams.microsoft.com/l/call/0/0?users=javascript%3Aalert(1)%2F%2F%26users%3Devil%40x&withVideo=true',
    });
    await expect(card).to.be.accessible();
  });

  it('encodes what an address carries after it, and leaves out an address with a space', async () => {
    clientFor({
      [id(4)]: {
        profile: { displayName: 'A', userPrincipalName: 'a@b.example', mail: 'a@b.example?subject=hi&body=x' },
        presence: ADELE.presence,
      },
      [id(5)]: {
        profile: { displayName: 'B', userPrincipalName: 'b@b.example', mail: 'b @b.example' },
        presence: ADELE.presence,
      },
    });
    const a = await fixture<PresenceCard>(html`<presence-card user-id=${id(4)}></presence-card>`);
    const b = await fixture<PresenceCard>(html`<presence-card user-id=${id(5)}></presence-card>`);
    await shown(a);
    await shown(b);
    expect(hrefs(a).email).to.equal('mailto:a@b.example%3Fsubject%3Dhi%26body%3Dx');
    expect(hrefs(b).email).to.equal(undefined);
  });

  it('sends each action as a cancelable presence-action before opening its link in a new tab', async () => {
    clientFor({ [id(1)]: ADELE });
    const card = await fixture<PresenceCard>(html`<presence-card user-id=${id(1)}></presence-card>`);
    await shown(card);
    const seen: PresenceActionEvent[] = [];
    let cancel = true;
    card.addEventListener('presence-action', (e) => {
      seen.push(e);
      if (cancel) e.preventDefault();
    });
    for (const action of ['chat', 'call', 'video', 'email']) actionOf(card, action)!.click();
    expect(seen.map((e) => [e.detail.action, e.cancelable, e.composed, e.bubbles])).to.deep.equal([
      ['chat', true, true, true],
      ['call', true, true, true],
      ['video', true, true, true],
      ['email', true, true, true],
    ]);
    expect(seen[2]!.detail).to.deep.equal({
      action: 'video',
      userId: id(1),
      userPrincipalName: 'adele.vance@contoso.example',
      mail: 'adele.vance@contoso.example',
      href: 'https://teams.microsoft.com/l/call/0/0?users=adele.vance%40contoso.example&withVideo=true',
    });
    expect(opened, 'cancelled: nothing opened').to.deep.equal([]);
    cancel = false;
    actionOf(card, 'chat')!.click();
    actionOf(card, 'email')!.click();
    expect(opened).to.deep.equal([
      ['https://teams.microsoft.com/l/chat/0/0?users=adele.vance%40contoso.example', '_blank', 'noopener'],
      ['mailto:adele.vance@contoso.example', '_self'],
    ]);
  });

  it('offers "Notify me when available" only when the person is not available, and asks the client', async () => {
    const { client } = clientFor({
      [id(1)]: ADELE,
      [id(2)]: { ...ADELE, presence: { availability: 'Available', activity: 'Available' } },
    });
    const asked: string[] = [];
    (client as unknown as { notifyWhenAvailable: (u: string) => Promise<void> }).notifyWhenAvailable = async (u) => {
      asked.push(u);
    };
    const busy = await fixture<PresenceCard>(html`<presence-card user-id=${id(1)}></presence-card>`);
    const free = await fixture<PresenceCard>(html`<presence-card user-id=${id(2)}></presence-card>`);
    await shown(busy);
    await shown(free);
    expect(actionOf(free, 'notify')).to.equal(null);
    const once = (e: Event) => e.preventDefault();
    busy.addEventListener('presence-action', once, { once: true });
    actionOf(busy, 'notify')!.click();
    expect(asked, 'cancelled').to.deep.equal([]);
    actionOf(busy, 'notify')!.click();
    await waitUntil(() => busy.shadowRoot!.querySelector('[role="status"]'), 'said it will notify');
    expect(asked).to.deep.equal([id(1)]);
    expect(busy.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal(
      'You will be notified when they are available',
    );
    // Becoming available takes the offer away.
    client.applyPresences([{ id: id(1), availability: 'Available', activity: 'Available', sequenceNumber: '0002' }]);
    await busy.updateComplete;
  });

  it("puts the person on the client's waiting list, and a card opened later says they are waited for", async () => {
    const { client } = clientFor({ [id(1)]: ADELE });
    const first = await fixture<PresenceCard>(html`<presence-card user-id=${id(1)}></presence-card>`);
    await shown(first);
    actionOf(first, 'notify')!.click();
    // The waiting list's code loads on first use.
    await waitUntil(() => client.waitingFor().length, 'armed');
    expect(client.waitingFor()).to.deep.equal([id(1)]);
    const later = await fixture<PresenceCard>(html`<presence-card user-id=${id(1)}></presence-card>`);
    await shown(later);
    expect(actionOf(later, 'notify')).to.equal(null);
    expect(later.shadowRoot!.querySelector('[role="status"]')?.textContent).to.equal(
      'You will be notified when they are available',
    );
    client.alerts.clear();
  });

  it('speaks the page language, right to left too', async () => {
    clientFor({ [id(1)]: ADELE });
    const root = await fixture(html`<div lang="ar" dir="rtl"><presence-card user-id=${id(1)}></presence-card></div>`);
    const card = root.querySelector('presence-card')!;
    await shown(card);
    await waitUntil(() => actionOf(card, 'chat')?.textContent === 'دردشة', 'Arabic words');
    expect(actionOf(card, 'video')!.textContent).to.equal('مكالمة فيديو');
    await expect(root).to.be.accessible();
  });

  it("takes English for the card's words a registered locale leaves out", async () => {
    registerLocale({ locale: 'ia' });
    registerLocale({ locale: 'eo', card: { chat: 'Plaudern' } as never });
    clientFor({ [id(1)]: ADELE });
    const root = await fixture(
      html`<div><presence-card lang="ia" user-id=${id(1)}></presence-card><presence-card lang="eo" user-id=${id(1)}></presence-card></div>`,
    );
    const [none, some] = [...root.querySelectorAll('presence-card')];
    await shown(none!);
    await shown(some!);
    expect(actionOf(none!, 'chat')!.textContent).to.equal('Chat');
    expect(actionOf(some!, 'chat')!.textContent).to.equal('Plaudern');
    expect(actionOf(some!, 'video')!.textContent).to.equal('Video call');
  });

  it('opens as a labelled dialog next to an anchor; Escape closes it and focus goes back', async () => {
    clientFor({ [id(1)]: ADELE });
    const root = await fixture(html`<div><button>open</button><presence-card user-id=${id(1)}></presence-card></div>`);
    const button = root.querySelector('button')!;
    const card = root.querySelector('presence-card')!;
    await shown(card);
    button.focus();
    card.show(button, { focus: true, returnFocus: button });
    await card.updateComplete;
    expect(card.matches(':popover-open')).to.equal(true);
    expect(part(card, 'base').getAttribute('role')).to.equal('dialog');
    expect(part(card, 'base').getAttribute('aria-label')).to.equal('Adele Vance');
    const below = button.getBoundingClientRect().bottom;
    expect(card.getBoundingClientRect().top).to.be.greaterThan(below - 1);
    await waitUntil(() => card.matches(':focus-within'), 'focus moved into the card');
    await expect(card).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !card.open, 'closed');
    expect(card.matches(':popover-open')).to.equal(false);
    expect(document.activeElement).to.equal(button);
  });

  it('flips above its anchor when there is no room below', async () => {
    clientFor({ [id(1)]: ADELE });
    const root = await fixture(
      html`<div><button style="position: fixed; bottom: 4px; left: 20px">open</button><presence-card user-id=${id(1)}></presence-card></div>`,
    );
    const button = root.querySelector('button')!;
    const card = root.querySelector('presence-card')!;
    await shown(card);
    card.show(button);
    await card.updateComplete;
    expect(card.dataset.side).to.equal('above');
    expect(card.getBoundingClientRect().bottom).to.be.at.most(button.getBoundingClientRect().top);
    card.hide();
  });

  it('without popover in the browser, stands above the page next to its anchor; Escape and a press outside close it', async () => {
    clientFor({ [id(1)]: ADELE });
    const root = await fixture(html`<div><button>open</button><presence-card user-id=${id(1)}></presence-card></div>`);
    const button = root.querySelector('button')!;
    const card = root.querySelector('presence-card')!;
    // As in a browser without the popover attribute.
    Object.defineProperty(card, 'showPopover', { value: undefined });
    await shown(card);
    button.focus();
    card.show(button, { focus: true, returnFocus: button });
    await card.updateComplete;
    expect(card.hasAttribute('popover')).to.equal(false);
    expect(getComputedStyle(card).position).to.equal('fixed');
    expect(card.getBoundingClientRect().top).to.be.greaterThan(button.getBoundingClientRect().bottom - 1);
    await waitUntil(() => card.matches(':focus-within'), 'focus moved into the card');
    await sendKeys({ press: 'Escape' });
    expect(card.open).to.equal(false);
    expect(getComputedStyle(card).display).to.equal('none');
    expect(document.activeElement).to.equal(button);
    card.show(button);
    await sendMouse({ type: 'click', position: [700, 580] });
    expect(card.open).to.equal(false);
  });

  it('never throws on wrong types', async () => {
    clientFor({ [id(1)]: ADELE });
    const card = await fixture<PresenceCard>(html`<presence-card></presence-card>`);
    for (const value of [42, {}, [], Symbol('x'), () => 1, null, undefined, true]) {
      (card as unknown as Record<string, unknown>).userId = value;
      await card.updateComplete;
    }
    card.show(null as unknown as Element);
    card.hide();
    expect(card.isConnected).to.equal(true);
  });
});

describe('<presence-avatar card>', () => {
  it('opens the card on click, and closes it on a second click', async () => {
    clientFor({ [id(1)]: ADELE });
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar card user-id=${id(1)}></presence-avatar>`);
    const base = part(avatar, 'base');
    expect([
      base.getAttribute('role'),
      base.getAttribute('aria-haspopup'),
      base.getAttribute('aria-expanded'),
    ]).to.deep.equal(['button', 'dialog', 'false']);
    avatar.click();
    const card = avatar.shadowRoot!.querySelector('presence-card')!;
    await shown(card);
    expect(card.open).to.equal(true);
    await avatar.updateComplete;
    expect(base.getAttribute('aria-expanded')).to.equal('true');
    await expect(avatar).to.be.accessible();
    avatar.click();
    expect(card.open).to.equal(false);
  });

  it('with no client on the page, says the card has no data source; a client set later fills it in', async () => {
    const avatar = await fixture<PresenceAvatar>(
      html`<presence-avatar card user-id=${id(1)} display-name="Adele Vance" presence="Busy"></presence-avatar>`,
    );
    avatar.click();
    const card = avatar.shadowRoot!.querySelector('presence-card')!;
    await card.updateComplete;
    expect(card.open).to.equal(true);
    expect(part(card, 'name').textContent).to.equal('No data source');
    expect(part(card, 'base').getAttribute('aria-label')).to.equal('No data source');
    clientFor({ [id(1)]: ADELE });
    await shown(card);
    expect(part(card, 'name').textContent).to.equal('Adele Vance');
  });

  it('says "Unknown person" for someone the directory does not know, never "Loading…" for ever', async () => {
    clientFor({});
    const card = await fixture<PresenceCard>(html`<presence-card user-id=${id(77)}></presence-card>`);
    await waitUntil(() => part(card, 'name').textContent === 'Unknown person', 'the directory answered');
    expect(part(card, 'base').getAttribute('aria-label')).to.equal('Unknown person');
  });

  it('without popover in the browser, says it is collapsed again once Escape closes the card', async () => {
    clientFor({ [id(1)]: ADELE });
    const saved = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'showPopover')!;
    Object.defineProperty(HTMLElement.prototype, 'showPopover', { value: undefined, configurable: true });
    try {
      const avatar = await fixture<PresenceAvatar>(html`<presence-avatar card user-id=${id(1)}></presence-avatar>`);
      const base = part(avatar, 'base');
      base.focus();
      await sendKeys({ press: 'Enter' });
      const card = avatar.shadowRoot!.querySelector('presence-card')!;
      await shown(card);
      await waitUntil(() => base.getAttribute('aria-expanded') === 'true', 'expanded');
      await waitUntil(() => card.matches(':focus-within'), 'focus in the card');
      await sendKeys({ press: 'Escape' });
      expect(card.open).to.equal(false);
      await avatar.updateComplete;
      expect(base.getAttribute('aria-expanded')).to.equal('false');
    } finally {
      Object.defineProperty(HTMLElement.prototype, 'showPopover', saved);
    }
  });

  it('opens on Enter with focus in the card; Escape brings focus back to the avatar', async () => {
    clientFor({ [id(1)]: ADELE });
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar card user-id=${id(1)}></presence-avatar>`);
    // A button named by its content: the avatar's label, visually hidden.
    await waitUntil(() => part(avatar, 'base').textContent!.includes('Adele Vance, Busy'), 'loaded');
    expect(part(avatar, 'base').hasAttribute('aria-label')).to.equal(false);
    part(avatar, 'base').focus();
    await sendKeys({ press: 'Enter' });
    const card = avatar.shadowRoot!.querySelector('presence-card')!;
    await shown(card);
    await waitUntil(() => card.matches(':focus-within'), 'focus in the card');
    expect(deepActive()?.getAttribute('data-action')).to.equal('chat');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !card.open, 'closed');
    expect(deepActive()).to.equal(part(avatar, 'base'));
  });

  it('with card="hover", opens after the delay and closes after leaving', async () => {
    const clock = new FakeClock();
    cardTiming.scheduler = clock;
    try {
      clientFor({ [id(1)]: ADELE });
      const root = await fixture(
        html`<div style="padding: 40px"><presence-avatar card="hover" user-id=${id(1)}></presence-avatar></div>`,
      );
      const avatar = root.querySelector('presence-avatar')!;
      const box = avatar.getBoundingClientRect();
      await sendMouse({
        type: 'move',
        position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
      });
      await clock.advance(400);
      expect(avatar.shadowRoot!.querySelector('presence-card')?.open ?? false, 'not yet').to.equal(false);
      await clock.advance(100);
      const card = avatar.shadowRoot!.querySelector('presence-card')!;
      expect(card.open).to.equal(true);
      await shown(card);
      expect(card.matches(':focus-within'), 'hover leaves focus where it was').to.equal(false);
      await sendMouse({ type: 'move', position: [2, 2] });
      expect(card.open, 'a grace period').to.equal(true);
      await clock.advance(cardTiming.leaveGraceMs);
      expect(card.open).to.equal(false);
    } finally {
      cardTiming.scheduler = (await import('../../../src/client/scheduler.js')).realScheduler;
      await sendMouse({ type: 'move', position: [0, 0] });
    }
  });

  it('with card="hover", focusing it opens the card after the delay, leaving focus where it is', async () => {
    const clock = new FakeClock();
    cardTiming.scheduler = clock;
    try {
      clientFor({ [id(1)]: ADELE });
      const avatar = await fixture<PresenceAvatar>(
        html`<presence-avatar card="hover" user-id=${id(1)}></presence-avatar>`,
      );
      part(avatar, 'base').focus();
      await clock.advance(cardTiming.hoverDelayMs);
      const card = avatar.shadowRoot!.querySelector('presence-card')!;
      expect(card.open).to.equal(true);
      expect(deepActive()).to.equal(part(avatar, 'base'));
      part(avatar, 'base').blur();
      await clock.advance(cardTiming.leaveGraceMs);
      expect(card.open).to.equal(false);
    } finally {
      cardTiming.scheduler = (await import('../../../src/client/scheduler.js')).realScheduler;
    }
  });

  it('without card, is an image that opens nothing', async () => {
    clientFor({ [id(1)]: ADELE });
    const avatar = await fixture<PresenceAvatar>(html`<presence-avatar user-id=${id(1)}></presence-avatar>`);
    avatar.click();
    expect(part(avatar, 'base').getAttribute('role')).to.equal('img');
    expect(part(avatar, 'base').hasAttribute('tabindex')).to.equal(false);
    expect(avatar.shadowRoot!.querySelector('presence-card')).to.equal(null);
  });
});

describe('<team-presence-list card>', () => {
  const team: Record<string, Person> = {
    [id(1)]: ADELE,
    [id(2)]: { ...ADELE, profile: { ...ADELE.profile, displayName: 'Lee Gu', jobTitle: 'Engineer' } },
  };

  async function list() {
    const { source } = sourceOf(team);
    source.members = async (_k, _i, onPage) =>
      onPage(Object.entries(team).map(([i, p]) => ({ id: i, displayName: p.profile.displayName })));
    const client = new PresenceClient({ source });
    const root = await fixture(
      html`<presence-provider .client=${client}><team-presence-list card team-id="t"></team-presence-list></presence-provider>`,
    );
    const el = root.querySelector<TeamPresenceList>('team-presence-list')!;
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[role="option"]').length === 2, 'rows');
    return el;
  }

  it("opens a member's card from a row's click, unless the app cancels presence-select", async () => {
    const el = await list();
    const row = el.shadowRoot!.querySelector<HTMLElement>(`[id="member-${id(2)}"]`)!;
    el.addEventListener('presence-select', (e) => e.preventDefault(), { once: true });
    row.click();
    expect(el.shadowRoot!.querySelector('presence-card')?.open ?? false).to.equal(false);
    row.click();
    const card = el.shadowRoot!.querySelector('presence-card')!;
    await shown(card);
    expect(part(card, 'name').textContent).to.equal('Lee Gu');
    expect(part(card, 'title').textContent).to.equal('Engineer');
  });

  it('opens from the keyboard into the card, and Escape goes back to the list', async () => {
    const el = await list();
    const listbox = el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    listbox.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    const card = el.shadowRoot!.querySelector('presence-card')!;
    await shown(card);
    await waitUntil(() => card.matches(':focus-within'), 'focus in the card');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !card.open, 'closed');
    expect(deepActive()).to.equal(listbox);
    await sendKeys({ press: 'ArrowDown' });
    expect(listbox.getAttribute('aria-activedescendant')).to.match(/^member-/);
  });
});
