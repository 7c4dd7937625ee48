import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoUserId } from '../src/sources/demo.js';

/**
 * `<presence-provider>` gives one client to every element inside it. Here it runs on the demo transport: an
 * in-browser simulated tenant whose presence changes every second.
 */
const meta: Meta = {
  title: 'Elements/presence-provider',
  component: 'presence-provider',
  tags: ['autodocs'],
};
export default meta;

type Story = StoryObj;

const avatars = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, n) => html`<presence-avatar show-name show-status user-id=${demoUserId(from + n)}></presence-avatar>`,
  );

export const LiveAvatars: Story = {
  render: () => html`<presence-provider demo>
    <div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px">${avatars(0, 12)}</div>
  </presence-provider>`,
};

/** Two providers side by side, each with a client of its own (two tenants, or a demo beside a live one). */
export const TwoProviders: Story = {
  render: () => html`<div style="display:grid;grid-template-columns:1fr 1fr;gap:24px">
    <presence-provider demo><div style="display:grid;gap:8px">${avatars(0, 4)}</div></presence-provider>
    <presence-provider demo><div style="display:grid;gap:8px">${avatars(100, 4)}</div></presence-provider>
  </div>`,
};

export const Dark: Story = {
  render: () =>
    html`<presence-provider demo><div style="display:grid;gap:8px">${avatars(0, 4)}</div></presence-provider>`,
  parameters: { theme: 'dark' },
};
