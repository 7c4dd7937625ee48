// <presence-status-picker> with an in-memory source: the menu button pattern, the writes it makes for each choice,
// consent, failures, language and hostile status messages.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  bringYourOwnToken,
  ConsentRequiredError,
  PresenceClient,
  type PresenceErrorDetail,
  type PresenceStatusPicker,
  type TokenProvider,
} from '../../../src/index.js';
import '../../../src/define.js';
import { durationMs } from '../../../src/client/presence-rules.js';
import { ME, WritableSource } from '../client/own-presence-fakes.js';
import { until } from '../support/until.js';

const shadow = (el: PresenceStatusPicker) => el.shadowRoot!;
const button = (el: PresenceStatusPicker) => shadow(el).querySelector<HTMLButtonElement>('#button')!;
const menu = (el: PresenceStatusPicker) => shadow(el).querySelector<HTMLElement>('[role="menu"]');
const items = (el: PresenceStatusPicker) => [
  ...shadow(el).querySelectorAll<HTMLElement>('[role="menuitemradio"], [role="menuitem"]'),
];
const item = (el: PresenceStatusPicker, key: string) => shadow(el).querySelector<HTMLElement>(`[data-key="${key}"]`)!;
const focused = (el: PresenceStatusPicker) => shadow(el).activeElement as HTMLElement | null;
const statusText = (el: PresenceStatusPicker) => shadow(el).querySelector('[part~="status"]')?.textContent?.trim();
const errorText = (el: PresenceStatusPicker) => shadow(el).querySelector('[part~="error"]')?.textContent?.trim();
const isOpen = (el: PresenceStatusPicker) => button(el).getAttribute('aria-expanded') === 'true';

async function picker(
  source: WritableSource,
  options: { auth?: TokenProvider; lang?: string; dir?: string } = {},
): Promise<{ el: PresenceStatusPicker; errors: PresenceErrorDetail[]; client: PresenceClient }> {
  const client = new PresenceClient({ source, ...(options.auth ? { auth: options.auth } : {}) });
  const root = await fixture(
    html`<div lang=${options.lang ?? 'en'} dir=${options.dir ?? 'ltr'}>
      <presence-provider .client=${client}><presence-status-picker></presence-status-picker></presence-provider>
      <button class="next">Next</button>
    </div>`,
  );
  const el = root.querySelector('presence-status-picker')!;
  const errors: PresenceErrorDetail[] = [];
  el.addEventListener('presence-error', (e) => errors.push(e.detail));
  const available = { de: 'Verfügbar', he: 'זמין' }[options.lang ?? ''] ?? 'Available';
  await until(() => statusText(el) === available, 'my presence shown');
  return { el, errors, client };
}

async function openWithClick(el: PresenceStatusPicker): Promise<void> {
  button(el).click();
  await el.updateComplete;
  expect(isOpen(el)).to.equal(true);
}

describe('<presence-status-picker>', () => {
  it('shows my presence live: a badge and the status, in a menu button', async () => {
    const source = new WritableSource();
    const { el, client } = await picker(source);
    const b = button(el);
    expect(b.getAttribute('aria-haspopup')).to.equal('menu');
    expect(b.getAttribute('aria-expanded')).to.equal('false');
    expect(b.getAttribute('aria-label')).to.equal('Your status: Available');
    expect(shadow(el).querySelector('[part~="badge"] svg')?.getAttribute('data-status')).to.equal('available');
    // Changed elsewhere (another Teams client): shown when the client reads it.
    await source.setUserPreferredPresence(ME, { availability: 'Busy', activity: 'Busy' });
    await client.refresh([ME]);
    await until(() => statusText(el) === 'Busy', 'the new presence');
    expect(shadow(el).querySelector('[part~="badge"] svg')?.getAttribute('data-status')).to.equal('busy');
  });

  it('follows the menu button pattern from the keyboard', async () => {
    const { el } = await picker(new WritableSource());
    button(el).focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(true);
    expect(menu(el)!.getAttribute('aria-label')).to.equal('Set your status');
    // Focus on the checked availability.
    expect(focused(el)?.dataset.key).to.equal('availability:Available');
    expect(focused(el)?.getAttribute('aria-checked')).to.equal('true');
    expect(item(el, 'availability:Busy').getAttribute('aria-checked')).to.equal('false');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)?.dataset.key).to.equal('availability:Busy');
    await sendKeys({ press: 'End' });
    expect(focused(el)?.dataset.key).to.equal('message');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)?.dataset.key, 'wraps to the first').to.equal('availability:Available');
    await sendKeys({ press: 'ArrowUp' });
    expect(focused(el)?.dataset.key, 'wraps to the last').to.equal('message');
    await sendKeys({ press: 'Home' });
    expect(focused(el)?.dataset.key).to.equal('availability:Available');
    // Only the focused item is in the tab order.
    expect(items(el).filter((i) => i.tabIndex === 0).length).to.equal(1);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    expect(focused(el)).to.equal(button(el));
    // ArrowUp opens on the last item, ArrowDown on the first.
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(focused(el)?.dataset.key).to.equal('message');
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focused(el)?.dataset.key).to.equal('availability:Available');
    // Tab closes it, and moves on from the button.
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    expect(document.activeElement?.className).to.equal('next');
    // Space on an item activates it: Busy is written and the menu closes, back on the button.
    button(el).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Space' });
    await until(() => statusText(el) === 'Busy', 'Busy shown');
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    expect(focused(el)).to.equal(button(el));
  });

  it('a press outside closes the menu, without moving focus back', async () => {
    const { el } = await picker(new WritableSource());
    await openWithClick(el);
    const next = el.closest('div')!.querySelector<HTMLButtonElement>('.next')!;
    const box = next.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.x + 5), Math.round(box.y + 5)] });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    expect(document.activeElement).to.equal(next);
  });

  it('writes each availability with the right pair, and each "reset after" as expirationDuration', async () => {
    const source = new WritableSource();
    const { el } = await picker(source);
    const pairs = [
      ['Available', 'Available'],
      ['Busy', 'Busy'],
      ['DoNotDisturb', 'DoNotDisturb'],
      ['BeRightBack', 'BeRightBack'],
      ['Away', 'Away'],
      ['Offline', 'OffWork'],
    ];
    const afters = ['minutes30', 'hour1', 'hours2', 'today', 'thisWeek', 'never'];
    const labels = pairs.map(([a]) => item(el, `availability:${a}`).textContent?.replace(/\s+/g, ' ').trim());
    expect(labels).to.deep.equal([
      'Available',
      'Busy',
      'Do not disturb',
      'Be right back',
      'Appear away',
      'Appear offline',
    ]);
    let writes = 0;
    for (const [n, after] of afters.entries()) {
      const [availability, activity] = pairs[n]!;
      await openWithClick(el);
      // "Today" is not offered in the last five minutes of a day: Graph's shortest expiry is five minutes. The menu
      // is closed again and nothing is written for it.
      if (!item(el, `after:${after}`)) {
        button(el).click();
        await el.updateComplete;
        expect(isOpen(el)).to.equal(false);
        continue;
      }
      const write = writes++;
      item(el, `after:${after}`).click();
      await el.updateComplete;
      expect(item(el, `after:${after}`).getAttribute('aria-checked')).to.equal('true');
      expect(isOpen(el), 'choosing "reset after" keeps the menu open').to.equal(true);
      const before = Date.now();
      item(el, `availability:${availability}`).click();
      await until(() => source.named('setUserPreferredPresence').length === write + 1, `write ${write + 1}`);
      const body = source.named('setUserPreferredPresence')[write]!.body as Record<string, string>;
      expect([body.availability, body.activity]).to.deep.equal([availability, activity]);
      const ms = durationMs(body.expirationDuration!)!;
      if (after === 'minutes30') expect(body.expirationDuration).to.equal('PT30M');
      if (after === 'hour1') expect(body.expirationDuration).to.equal('PT1H');
      if (after === 'hours2') expect(body.expirationDuration).to.equal('PT2H');
      if (after === 'never') expect(body.expirationDuration, "Graph's longest").to.equal('P7D');
      if (after === 'today') {
        const now = new Date(before);
        const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
        expect(Math.abs(before + ms - midnight)).to.be.lessThan(2000);
      }
      if (after === 'thisWeek') {
        const end = new Date(before + ms + 1000);
        expect(end.getHours() * 60 + end.getMinutes(), 'a midnight').to.be.lessThan(1);
        expect(ms).to.be.at.most(7 * 24 * 3600_000);
        expect(ms).to.be.at.least(5 * 60_000);
      }
      await until(() => !isOpen(el), 'closed once written');
    }
  });

  it('"Reset status" clears the preferred presence', async () => {
    const source = new WritableSource();
    const { el } = await picker(source);
    await openWithClick(el);
    item(el, 'availability:DoNotDisturb').click();
    await until(() => statusText(el) === 'Do not disturb', 'DND shown');
    await openWithClick(el);
    item(el, 'reset').click();
    await until(() => source.named('clearUserPreferredPresence').length === 1, 'cleared');
    await until(() => statusText(el) === 'Available', 'Available again');
  });

  it('sets a status message with an expiry, shows it, and clears it', async () => {
    const source = new WritableSource();
    const { el } = await picker(source);
    await openWithClick(el);
    expect(item(el, 'message').textContent).to.contain('No status message');
    item(el, 'message').click();
    await el.updateComplete;
    const dialog = shadow(el).querySelector<HTMLElement>('[role="dialog"]')!;
    expect(dialog).to.not.equal(null);
    const input = shadow(el).querySelector<HTMLTextAreaElement>('textarea')!;
    expect(focused(el)).to.equal(input);
    await sendKeys({ type: 'Heads down' });
    const select = shadow(el).querySelector<HTMLSelectElement>('select')!;
    expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal([
      'Never',
      'Today',
      '1 hour',
      '4 hours',
      'This week',
    ]);
    select.value = 'hour1';
    select.dispatchEvent(new Event('change'));
    const before = Date.now();
    shadow(el).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => source.named('setStatusMessage').length === 1, 'message written');
    const body = source.named('setStatusMessage')[0]!.body as {
      message: { content: string; contentType: string };
      expiryDateTime: { dateTime: string; timeZone: string };
    };
    expect(body.message).to.deep.equal({ content: 'Heads down', contentType: 'text' });
    expect(body.expiryDateTime.timeZone).to.equal('UTC');
    const at = Date.parse(`${body.expiryDateTime.dateTime}Z`);
    expect(Math.abs(at - (before + 3600_000))).to.be.lessThan(2000);
    await until(() => !isOpen(el), 'closed');
    await openWithClick(el);
    await until(() => item(el, 'message').textContent?.includes('Heads down'), 'the message shown');
    // Never: no expiry. Clear: an empty message.
    item(el, 'message').click();
    await el.updateComplete;
    expect(shadow(el).querySelector('textarea')!.value).to.equal('Heads down');
    const buttons = [...shadow(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')];
    buttons.find((b) => b.textContent?.trim() === 'Clear')!.click();
    await until(() => source.named('setStatusMessage').length === 2, 'cleared');
    expect((source.named('setStatusMessage')[1]!.body as { message: { content: string } }).message.content).to.equal(
      '',
    );
    await openWithClick(el);
    await until(() => item(el, 'message').textContent?.includes('No status message'), 'no message');
    item(el, 'message').click();
    await el.updateComplete;
    await sendKeys({ type: 'Back at 3' });
    shadow(el).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => source.named('setStatusMessage').length === 3, 'set without expiry');
    expect(source.named('setStatusMessage')[2]!.body).to.deep.equal({
      message: { content: 'Back at 3', contentType: 'text' },
    });
    // Escape closes the editor, back on the button.
    await openWithClick(el);
    item(el, 'message').click();
    await el.updateComplete;
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    expect(focused(el)).to.equal(button(el));
  });

  it('a failed write: a presence-error of kind write, a message in the menu, and no presence it did not read', async () => {
    const source = new WritableSource();
    const { el, errors } = await picker(source);
    source.fail = new TypeError('Failed to fetch');
    await openWithClick(el);
    item(el, 'availability:Busy').click();
    await until(() => errors.length === 1, 'presence-error');
    expect(errors[0]).to.deep.equal({ kind: 'write', message: 'Failed to fetch' });
    await el.updateComplete;
    expect(isOpen(el), 'the menu stays open to say so').to.equal(true);
    expect(errorText(el)).to.equal('Your status could not be changed. Try again.');
    expect(shadow(el).querySelector('[part~="error"]')!.getAttribute('role')).to.equal('alert');
    expect(statusText(el)).to.equal('Available');
    expect(item(el, 'availability:Available').getAttribute('aria-checked')).to.equal('true');
  });

  it('shows "Saving…" while a write is under way', async () => {
    const source = new WritableSource();
    const { el } = await picker(source);
    let release: (() => void) | undefined;
    const write = source.setUserPreferredPresence.bind(source);
    source.setUserPreferredPresence = async (id, body) => {
      await new Promise<void>((r) => (release = r));
      await write(id, body);
    };
    await openWithClick(el);
    item(el, 'availability:Busy').click();
    await el.updateComplete;
    expect(item(el, 'availability:Busy').textContent).to.contain('Saving…');
    expect(menu(el)!.getAttribute('aria-busy')).to.equal('true');
    expect(statusText(el), 'not shown before it is read back').to.equal('Available');
    // The write's code loads on first use: the write reaches Graph a moment after the click.
    await until(() => release, 'the write sent');
    release!();
    await until(() => statusText(el) === 'Busy', 'Busy once read');
  });

  it('consent needed during the click: granted through the client, then written', async () => {
    const source = new WritableSource();
    const asked: string[][] = [];
    const auth = bringYourOwnToken(() => 'token', {
      signIn: (scopes) => {
        asked.push(scopes);
        source.fail = undefined;
      },
    });
    source.fail = new ConsentRequiredError(['Presence.ReadWrite']);
    const { el, errors } = await picker(source, { auth });
    await openWithClick(el);
    item(el, 'availability:BeRightBack').click();
    await until(() => statusText(el) === 'Be right back', 'written after consent');
    expect(asked).to.deep.equal([['Presence.ReadWrite']]);
    expect(source.named('setUserPreferredPresence').length, 'tried, then tried once more').to.equal(2);
    expect(errors).to.deep.equal([]);
  });

  it('consent refused in the popup: a presence-error of kind consent saying so, and nothing written', async () => {
    const source = new WritableSource();
    const auth = bringYourOwnToken(() => 'token', {
      signIn: () => {
        throw new Error('The user closed the window.');
      },
    });
    source.fail = new ConsentRequiredError(['Presence.ReadWrite']);
    const { el, errors } = await picker(source, { auth });
    await openWithClick(el);
    item(el, 'availability:Away').click();
    await until(() => errors.length === 1, 'presence-error');
    expect(errors[0]).to.deep.equal({
      kind: 'consent',
      message: 'Consent to Presence.ReadWrite was not given: The user closed the window.',
      scopes: ['Presence.ReadWrite'],
    });
    expect(source.named('setUserPreferredPresence').length, 'not tried again').to.equal(1);
    expect(statusText(el)).to.equal('Available');
  });

  it('consent needed and no way to ask: the menu says so, and a presence-error of kind consent', async () => {
    const source = new WritableSource();
    source.fail = new ConsentRequiredError(['Presence.ReadWrite']);
    const { el, errors } = await picker(source);
    await openWithClick(el);
    item(el, 'availability:Busy').click();
    await until(() => errors.length === 1, 'presence-error');
    expect(errors[0]!.kind).to.equal('consent');
    expect(errors[0]!.scopes).to.deep.equal(['Presence.ReadWrite']);
    await el.updateComplete;
    expect(errorText(el)).to.equal('Changing your status needs your permission, which this page cannot ask for.');
    expect(source.named('setUserPreferredPresence').length, 'tried once').to.equal(1);
  });

  it('passes axe closed, open and editing', async () => {
    const source = new WritableSource();
    const { el } = await picker(source);
    await expect(el).to.be.accessible();
    await openWithClick(el);
    await expect(el).to.be.accessible();
    item(el, 'message').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('speaks the page language (de)', async () => {
    const { el } = await picker(new WritableSource(), { lang: 'de' });
    expect(button(el).getAttribute('aria-label')).to.equal('Ihr Status: Verfügbar');
    await openWithClick(el);
    expect(item(el, 'availability:Away').textContent).to.contain('Als abwesend anzeigen');
    expect(item(el, 'reset').textContent).to.contain('Status zurücksetzen');
    expect(menu(el)!.getAttribute('aria-label')).to.equal('Status festlegen');
  });

  it('a hostile status message stays text', async () => {
    const source = new WritableSource();
    await source.setStatusMessage(ME, {
      message: {
        content: '<img src=x onerror="window.hacked=1"><b>Lunch</b> <script>window.hacked=2</script>',
        contentType: 'html',
      },
    });
    source.writes = [];
    const { el } = await picker(source);
    await openWithClick(el);
    await until(() => item(el, 'message').textContent?.includes('Lunch'), 'the message');
    expect(shadow(el).querySelector('img, b, script')).to.equal(null);
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
    item(el, 'message').click();
    await el.updateComplete;
    expect(shadow(el).querySelector('textarea')!.value).to.equal('Lunch');
  });

  it('unavailable without a writer or when signed out: the button says why and opens nothing', async () => {
    const readOnly = new WritableSource() as Partial<WritableSource>;
    delete (readOnly as { setUserPreferredPresence?: unknown }).setUserPreferredPresence;
    Object.defineProperty(readOnly, 'setUserPreferredPresence', { value: undefined });
    const client = new PresenceClient({ source: readOnly as WritableSource });
    const root = await fixture(
      html`<presence-provider .client=${client}><presence-status-picker></presence-status-picker></presence-provider>`,
    );
    const el = root.querySelector('presence-status-picker')!;
    await el.updateComplete;
    const reason = () => shadow(el).getElementById(button(el).getAttribute('aria-describedby') ?? '')?.textContent;
    expect(button(el).getAttribute('aria-disabled')).to.equal('true');
    expect(reason()).to.equal('Your status cannot be changed from this page.');
    button(el).click();
    await el.updateComplete;
    expect(isOpen(el)).to.equal(false);
    await expect(el).to.be.accessible();

    const auth: TokenProvider = { getToken: async () => 'token', account: async () => null };
    const signedOut = await fixture(
      html`<presence-provider .client=${new PresenceClient({ source: new WritableSource(), auth })}
        ><presence-status-picker></presence-status-picker
      ></presence-provider>`,
    );
    const el2 = signedOut.querySelector('presence-status-picker')!;
    await until(() => button(el2).getAttribute('aria-disabled') === 'true', 'disabled');
    expect(shadow(el2).getElementById('reason')?.textContent).to.equal('Sign in to set your status.');
  });

  it('right to left (he): the menu opens from the right edge, in Hebrew, and passes axe', async () => {
    const { el } = await picker(new WritableSource(), { lang: 'he', dir: 'rtl' });
    expect(button(el).getAttribute('aria-label')).to.equal('הסטטוס שלך: זמין');
    await openWithClick(el);
    const popup = shadow(el).querySelector('[part~="popup"]')!.getBoundingClientRect();
    const b = button(el).getBoundingClientRect();
    expect(Math.abs(popup.right - b.right)).to.be.lessThan(1);
    expect(item(el, 'availability:Offline').textContent).to.contain('הצג כלא מחובר');
    await expect(el).to.be.accessible();
  });

  describe('in Windows high contrast', () => {
    before(() => emulateMedia({ forcedColors: 'active' }));
    after(() => emulateMedia({ forcedColors: 'none' }));

    it('draws the button and the focused item in system colours', async () => {
      const probe = await fixture<HTMLElement>(
        html`<div style="background: Highlight; color: HighlightText; border: 1px solid ButtonText">x</div>`,
      );
      const system = getComputedStyle(probe);
      const expected = { highlight: system.backgroundColor, text: system.color, border: system.borderTopColor };
      const { el } = await picker(new WritableSource());
      expect(getComputedStyle(button(el)).borderTopColor).to.equal(expected.border);
      button(el).focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      const focusedItem = getComputedStyle(focused(el)!);
      expect(focusedItem.backgroundColor).to.equal(expected.highlight);
      expect(focusedItem.color).to.equal(expected.text);
    });
  });
});
