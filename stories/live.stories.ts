import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { demoUserId } from '../src/transports/demo.js';

/**
 * Live elements on the demo transport: an in-browser simulated tenant whose presence changes every second.
 * No account and no network needed.
 */
const meta: Meta = {
  title: 'Live/On the demo tenant',
  tags: ['autodocs'],
};
export default meta;

type Story = StoryObj;

export const TeamList: Story = {
  render: () => html`<presence-provider demo>
    <team-presence-list team-id="demo-team-40" style="max-width: 380px"></team-presence-list>
  </presence-provider>`,
};

export const TenThousandMembers: Story = {
  render: () => html`<presence-provider demo>
    <team-presence-list team-id="demo-team-10000" style="max-width: 380px"></team-presence-list>
  </presence-provider>`,
};

export const LiveAvatars: Story = {
  render: () => html`<presence-provider demo>
    <div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px">
      ${Array.from({ length: 12 }, (_, n) => html`<presence-avatar show-name show-status user-id=${demoUserId(n)}></presence-avatar>`)}
    </div>
  </presence-provider>`,
};

export const SignIn: Story = {
  render: () => html`<presence-provider demo><presence-sign-in></presence-sign-in></presence-provider>`,
};

export const RightToLeft: Story = {
  render: () => html`<presence-provider demo>
    <team-presence-list team-id="demo-team-25" style="max-width: 380px"></team-presence-list>
  </presence-provider>`,
  parameters: { direction: 'rtl' },
};

export const Dark: Story = {
  render: () => html`<presence-provider demo>
    <team-presence-list team-id="demo-team-25" style="max-width: 380px"></team-presence-list>
  </presence-provider>`,
  parameters: { theme: 'dark' },
};
