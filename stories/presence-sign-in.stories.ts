import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

/**
 * `<presence-sign-in>`: a sign-in button when signed out; the signed-in user's own live avatar and a sign-out
 * button when signed in. On the demo transport the demo user is signed in; sign out to see the other state.
 */
const meta: Meta = {
  title: 'Elements/presence-sign-in',
  component: 'presence-sign-in',
  tags: ['autodocs'],
  render: () => html`<presence-provider demo><presence-sign-in></presence-sign-in></presence-provider>`,
};
export default meta;

type Story = StoryObj;

export const SignedIn: Story = {};

export const RightToLeft: Story = { parameters: { direction: 'rtl' } };

export const Dark: Story = { parameters: { theme: 'dark' } };
