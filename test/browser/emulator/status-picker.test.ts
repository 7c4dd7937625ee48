// <presence-status-picker> with the real MSAL and Graph calls over fetch against the local cloud: the user signs in
// without having consented to Presence.ReadWrite; choosing a status asks for that consent in a popup during the
// click, the preferred presence is set in the emulated Graph, and the picker shows what Graph then says.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys, sendMouse } from '@web/test-runner-commands';
import {
  ConsentRequiredError,
  createPresenceClient,
  msalTokenProvider,
  type PresenceClient,
  type PresenceErrorDetail,
  type PresenceSignIn,
  type PresenceStatusPicker,
} from '../../../src/index.js';
import '../../../src/define.js';
import { until } from '../support/until.js';
import { holdEmulator, releaseEmulator } from '../support/emulator-lock.js';
import { control, type Cloud } from '../support/emulator.js';

let cloud: Cloud;
let userId: string;
let client: PresenceClient | undefined;
const opened: string[] = [];
const originalOpen = window.open;

/** A real click (a trusted event from the test driver, so the page has user activation) in the middle of `el`. */
async function click(el: Element): Promise<void> {
  el.scrollIntoView({ block: 'center' });
  const box = el.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

const activation = () => (navigator as Navigator & { userActivation: { isActive: boolean } }).userActivation;
const shadow = (el: PresenceStatusPicker) => el.shadowRoot!;
const item = (el: PresenceStatusPicker, key: string) => shadow(el).querySelector<HTMLElement>(`[data-key="${key}"]`)!;
const badge = (el: PresenceStatusPicker) =>
  shadow(el).querySelector('[part~="badge"] svg')?.getAttribute('data-status') ?? null;
const statusText = (el: PresenceStatusPicker) => shadow(el).querySelector('[part~="status"]')?.textContent?.trim();

holdEmulator();

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
  // A demo user no other test writes the presence of.
  userId = cloud.tenant.demoUsers[cloud.tenant.demoUsers.length - 3]!.id;
  // Signed in as them by the emulated sign-in page; Presence.ReadWrite needs their consent, asked interactively.
  await control('POST', '/sign-in-as', { user: userId });
  await control('POST', '/consent-required', { scopes: ['Presence.ReadWrite'] });
  // In Teams (a live session), so that a preferred presence shows: Graph shows it only while the user has one.
  await control('POST', `/presence/${userId}`, {
    availability: 'Available',
    activity: 'Available',
    statusMessage: null,
  });
  localStorage.clear();
  // The popups MSAL opens, by URL.
  window.open = ((...args: Parameters<typeof window.open>) => {
    opened.push(String(args[0]));
    return originalOpen.apply(window, args);
  }) as typeof window.open;
});

after(async () => {
  window.open = originalOpen;
  client?.dispose();
  await control('POST', '/consent-required', { scopes: [] });
  await control('POST', '/sign-in-as', { user: cloud.entra.signInAs });
  localStorage.clear();
});

releaseEmulator();

describe('<presence-status-picker> with MSAL and Graph against the emulators', () => {
  it('asks for Presence.ReadWrite in a popup during the click, sets the preferred presence, and shows it', async function () {
    this.timeout(30_000);
    const auth = msalTokenProvider({
      // The tenant's single-page application.
      clientId: cloud.entra.clients.find((c) => c.type === 'spa')!.clientId,
      authority: cloud.entra.authority,
      redirectUri: new URL('/test/browser/support/redirect.html', location.href).href,
    });
    client = createPresenceClient({ auth, graphBaseUrl: cloud.graph.url, transport: 'none' });
    const root = await fixture(
      html`<presence-provider .client=${client}>
        <presence-sign-in></presence-sign-in>
        <presence-status-picker></presence-status-picker>
      </presence-provider>`,
    );
    const signIn = root.querySelector<PresenceSignIn>('presence-sign-in')!;
    const el = root.querySelector('presence-status-picker')!;
    const errors: PresenceErrorDetail[] = [];
    el.addEventListener('presence-error', (e) => errors.push(e.detail));

    // Signed out: the picker is unavailable and says why.
    await until(() => shadow(el).querySelector('#button')?.getAttribute('aria-disabled') === 'true', 'unavailable');
    expect(shadow(el).querySelector('#reason')?.textContent).to.equal('Sign in to set your status.');

    // Sign in with the basic scopes only.
    await until(() => signIn.shadowRoot?.querySelector('button.primary'), 'the sign-in button');
    await click(signIn.shadowRoot!.querySelector('button.primary')!);
    await until(() => statusText(el) === 'Available', 'my presence, once signed in', 15_000);
    expect(opened.length, 'the sign-in popup').to.equal(1);
    // Without a click under way, Presence.ReadWrite is not granted: the user has not consented to it.
    await until(() => !activation().isActive, 'the sign-in click over', 10_000);
    const refused = await auth.getToken(['Presence.ReadWrite']).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(ConsentRequiredError);

    // Choose Busy for an hour: the consent popup opens during the click, then Graph is written.
    await click(shadow(el).querySelector('#button')!);
    await el.updateComplete;
    await click(item(el, 'after:hour1'));
    await el.updateComplete;
    // Graph's clock (the emulator's, which other tests may have moved on) starts the expiry of a duration.
    const before = Date.parse((await control('POST', '/clock/advance', { seconds: 0 })).now);
    await click(item(el, 'availability:Busy'));
    await until(() => badge(el) === 'busy', 'Busy shown, as Graph says', 15_000);
    expect(opened.length, 'a second popup: consent').to.equal(2);
    const view = await control('GET', `/presence/${userId}/sessions`);
    expect(view.preferred.availability).to.equal('Busy');
    expect(view.preferred.activity).to.equal('Busy');
    expect(Math.abs(Date.parse(view.preferred.expiresAt) - (before + 3600_000))).to.be.lessThan(10_000);
    expect(statusText(el)).to.equal('Busy');
    expect(errors).to.deep.equal([]);

    // A status message that clears itself after four hours, read back from Graph.
    await click(shadow(el).querySelector('#button')!);
    await el.updateComplete;
    await click(item(el, 'message'));
    await el.updateComplete;
    await sendKeys({ type: 'Heads down on the release' });
    const select = shadow(el).querySelector<HTMLSelectElement>('select')!;
    select.value = 'hours4';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const saved = Date.now();
    await click(shadow(el).querySelector('button[type="submit"]')!);
    await until(async () => (await control('GET', `/presence/${userId}/sessions`)).statusMessage, 'the message set');
    const message = (await control('GET', `/presence/${userId}/sessions`)).statusMessage;
    expect(message.message.content).to.equal('Heads down on the release');
    expect(Math.abs(Date.parse(message.expiresAt) - (saved + 4 * 3600_000))).to.be.lessThan(10_000);
    expect(opened.length, 'no more popups: consent was given').to.equal(2);
    await click(shadow(el).querySelector('#button')!);
    await until(() => item(el, 'message')?.textContent?.includes('Heads down on the release'), 'shown in the menu');

    // Reset: the preferred presence is cleared, and Teams' own presence shows again.
    await click(item(el, 'reset'));
    await until(() => badge(el) === 'available', 'Available again', 15_000);
    expect((await control('GET', `/presence/${userId}/sessions`)).preferred).to.equal(null);
    // Consented now: granted silently, with no click under way.
    await until(() => !activation().isActive, 'the last click over', 10_000);
    expect(await auth.getToken(['Presence.ReadWrite'])).to.be.a('string');
  });
});
