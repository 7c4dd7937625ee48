import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { SignInRequiredError } from '../src/auth/errors.js';
import type { TokenProvider } from '../src/auth/token-provider.js';
import { createPresenceClient } from '../src/client/create.js';
import { PresenceWriteError } from '../src/client/presence-rules.js';
import type { PresenceSource } from '../src/client/types.js';
import type { PresenceStatusPicker } from '../src/elements/presence-status-picker/presence-status-picker.js';
import type { GraphPresence } from '../src/presence/types.js';

const ME = '00000000-0000-4000-8000-00000000000a';

/**
 * A signed-in user whose presence stays as given (the demo's changes every second), with writes that do what
 * `write` says: kept (the default), never finished, or refused.
 */
function fixedClient(presence: GraphPresence, write: 'keep' | 'hang' | 'refuse' = 'keep', auth?: TokenProvider) {
  let state: GraphPresence = { id: ME, ...presence };
  const writeWith = async (change: () => void) => {
    if (write === 'hang') await new Promise(() => undefined);
    if (write === 'refuse')
      throw new PresenceWriteError('Setting the preferred presence: Graph refused it (503).', 'refused', 503);
    change();
  };
  const source: PresenceSource = {
    presences: async (ids) => ids.filter((id) => id === ME).map(() => ({ ...state })),
    profiles: async (keys) => keys.map((key) => ({ key, id: ME, displayName: 'Adele Vance' })),
    setUserPreferredPresence: (_id, body) =>
      writeWith(() => (state = { ...state, availability: body.availability, activity: body.activity })),
    clearUserPreferredPresence: () =>
      writeWith(() => (state = { ...state, availability: 'Available', activity: 'Available' })),
    setStatusMessage: (_id, statusMessage) =>
      writeWith(() => (state = { ...state, statusMessage: statusMessage.message.content ? statusMessage : null })),
  };
  return createPresenceClient({ source, transport: 'none', ...(auth ? { auth } : {}) });
}

/** Opens the picker once it shows the user's presence, and chooses `key` in its menu when given. */
function act(key?: string) {
  return ref((node) => {
    const el = node as PresenceStatusPicker | undefined;
    if (!el) return;
    const start = async () => {
      for (let i = 0; i < 100 && !el.shadowRoot?.querySelector('[part~="badge"]'); i++)
        await new Promise((r) => setTimeout(r, 20));
      el.open = true;
      await el.updateComplete;
      if (key) el.shadowRoot?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.click();
    };
    void start();
  });
}

/**
 * `<presence-status-picker>`: the signed-in user's own presence, live, as a menu button. The menu sets a preferred
 * presence (Available, Busy, Do not disturb, Be right back, Appear away, Appear offline) for a while, resets it, and
 * sets or clears the status message. On the demo transport the writes stay in the page.
 */
const meta: Meta = {
  title: 'Elements/presence-status-picker',
  component: 'presence-status-picker',
  tags: ['autodocs'],
  render: () => html`<presence-provider demo><presence-status-picker></presence-status-picker></presence-provider>`,
};
export default meta;

type Story = StoryObj;

export const Closed: Story = {};

export const Open: Story = {
  render: () =>
    html`<presence-provider .client=${fixedClient({ availability: 'Available', activity: 'Available' })}
      ><presence-status-picker ${act()}></presence-status-picker
    ></presence-provider>`,
};

/** Busy, with a status message (shown under "Set status message" as text, whatever HTML Graph sent). */
export const BusyWithStatusMessage: Story = {
  render: () =>
    html`<presence-provider
      .client=${fixedClient({
        availability: 'Busy',
        activity: 'Busy',
        statusMessage: { message: { content: '<p>Heads down on the <b>release</b></p>', contentType: 'html' } },
      })}
      ><presence-status-picker ${act()}></presence-status-picker
    ></presence-provider>`,
};

/** A write under way: the item says "Saving…"; the button keeps the presence read last. */
export const Saving: Story = {
  render: () =>
    html`<presence-provider .client=${fixedClient({ availability: 'Available', activity: 'Available' }, 'hang')}
      ><presence-status-picker ${act('availability:DoNotDisturb')}></presence-status-picker
    ></presence-provider>`,
};

/** Graph refused the write: the menu says so, and a `presence-error` of kind `write` is sent. */
export const WriteError: Story = {
  render: () =>
    html`<presence-provider .client=${fixedClient({ availability: 'Available', activity: 'Available' }, 'refuse')}
      ><presence-status-picker ${act('availability:Busy')}></presence-status-picker
    ></presence-provider>`,
};

/** Nobody signed in: the button is unavailable and says why. */
export const NotSignedIn: Story = {
  render: () => {
    const auth: TokenProvider = {
      getToken: async () => {
        throw new SignInRequiredError();
      },
      account: async () => null,
    };
    return html`<presence-provider .client=${fixedClient({ availability: 'Available', activity: 'Available' }, 'keep', auth)}
      ><presence-status-picker></presence-status-picker
    ></presence-provider>`;
  },
};

export const RightToLeft: Story = {
  ...Open,
  parameters: { direction: 'rtl' },
};

export const Dark: Story = {
  ...Open,
  parameters: { theme: 'dark' },
};
