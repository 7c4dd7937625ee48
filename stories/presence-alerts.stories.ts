import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { PEOPLE, storyClient } from './notify-fixtures.js';

const [adele, alex, megan, lee] = PEOPLE.map((p) => p.id) as [string, string, string, string];

/**
 * `<presence-alerts>`: placed once in a page, it shows a toast when someone the user waits for becomes available
 * (here Adele Vance, Available already, fires at once), and lists the people waited for, each removable.
 */
const meta: Meta = {
  title: 'Elements/presence-alerts',
  component: 'presence-alerts',
  tags: ['autodocs'],
  render: () =>
    html`<presence-provider .client=${storyClient('toast', [adele, alex, megan])}>
      <presence-alerts duration="0"></presence-alerts>
    </presence-provider>`,
};
export default meta;

type Story = StoryObj;

/** A toast for Adele Vance; Alex Wilber and Megan Bowen are still waited for. */
export const Toast: Story = {};

/** The list only: nobody has become available yet. */
export const WaitingList: Story = {
  render: () =>
    html`<presence-provider .client=${storyClient('waiting', [alex, megan, lee])}>
      <presence-alerts></presence-alerts>
    </presence-provider>`,
};

/** Nobody is waited for. */
export const Empty: Story = {
  render: () =>
    html`<presence-provider .client=${storyClient('empty')}><presence-alerts></presence-alerts></presence-provider>`,
};

/** The app's own text and an action in the toast, through the `message` and `actions` slots. */
export const CustomSlot: Story = {
  render: () =>
    html`<presence-provider .client=${storyClient('custom', [adele])}>
      <presence-alerts duration="0" hide-list>
        <span slot="message">Adele is free: a good time for the design review.</span>
        <button slot="actions" type="button">Invite to chat</button>
      </presence-alerts>
    </presence-provider>`,
};

/** Themed with its custom properties. */
export const Themed: Story = {
  render: () =>
    html`<presence-provider .client=${storyClient('themed', [adele, alex])}>
      <presence-alerts
        duration="0"
        style="--presence-alerts-accent: #8a3ffc; --presence-alerts-radius: 2px; --presence-alerts-background: #f6f2ff"
      ></presence-alerts>
    </presence-provider>`,
};

export const RightToLeft: Story = { parameters: { direction: 'rtl' } };

export const Dark: Story = { parameters: { theme: 'dark' } };
