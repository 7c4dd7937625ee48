import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { BADGE_STATUSES } from '../src/index.js';

const meta: Meta = {
  title: 'Elements/presence-badge',
  component: 'presence-badge',
  args: { status: 'available', 'out-of-office': false, size: 'large' },
  argTypes: {
    status: { control: 'select', options: [...BADGE_STATUSES] },
    size: { control: 'select', options: ['tiny', 'extra-small', 'small', 'medium', 'large', 'extra-large', '40px'] },
  },
  render: (args) =>
    html`<presence-badge status=${args.status} size=${args.size} ?out-of-office=${args['out-of-office']}></presence-badge>`,
};
export default meta;

type Story = StoryObj;

export const Available: Story = {};
export const Busy: Story = { args: { status: 'busy' } };
export const DoNotDisturb: Story = { args: { status: 'do-not-disturb' } };
export const Away: Story = { args: { status: 'away' } };
export const Offline: Story = { args: { status: 'offline' } };
export const OutOfOffice: Story = { args: { status: 'out-of-office' } };
export const Unknown: Story = { args: { status: 'unknown' } };
export const AvailableOutOfOffice: Story = { args: { status: 'available', 'out-of-office': true } };

/** Every status, plain and in its out-of-office variant, at every size. */
export const AllStatusesAndSizes: Story = {
  render: () => html`<table style="border-spacing: 14px 8px">
    <tr>
      <td></td>
      ${['tiny', 'extra-small', 'small', 'medium', 'large', 'extra-large'].map((s) => html`<th style="font-weight:600;font-size:12px">${s}</th>`)}
    </tr>
    ${BADGE_STATUSES.flatMap((status) =>
      [false, true].map(
        (oof) => html`<tr>
          <td style="font-size:13px">${status}${oof ? ' + out of office' : ''}</td>
          ${['tiny', 'extra-small', 'small', 'medium', 'large', 'extra-large'].map(
            (size) =>
              html`<td style="text-align:center"><presence-badge status=${status} size=${size} ?out-of-office=${oof}></presence-badge></td>`,
          )}
        </tr>`,
      ),
    )}
  </table>`,
};

export const Dark: Story = { ...AllStatusesAndSizes, parameters: { theme: 'dark' } };
