import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { AVAILABILITIES, type GraphPresence } from '../src/index.js';
import { PEOPLE, storyClient } from './notify-fixtures.js';

interface AvatarArgs {
  'display-name': string;
  'user-id': string;
  'photo-url': string;
  size: string;
  shape: 'circular' | 'square';
  'show-name': boolean;
  'show-status': boolean;
  availability: string;
  activity: string;
  outOfOffice: boolean;
  statusMessage: string;
}

function presenceOf(
  args: Pick<AvatarArgs, 'availability' | 'activity' | 'outOfOffice' | 'statusMessage'>,
): GraphPresence {
  return {
    availability: args.availability,
    activity: args.activity,
    outOfOfficeSettings: { isOutOfOffice: args.outOfOffice, message: null },
    statusMessage: args.statusMessage ? { message: { content: args.statusMessage, contentType: 'text' } } : null,
  };
}

const render = (args: AvatarArgs) => html`<presence-avatar
  display-name=${args['display-name']}
  user-id=${args['user-id'] || nothing}
  photo-url=${args['photo-url'] || nothing}
  size=${args.size || nothing}
  shape=${args.shape}
  ?show-name=${args['show-name']}
  ?show-status=${args['show-status']}
  .presence=${presenceOf(args)}
></presence-avatar>`;

const meta: Meta<AvatarArgs> = {
  title: 'Elements/presence-avatar',
  component: 'presence-avatar',
  args: {
    'display-name': 'Adele Vance',
    'user-id': '48d31887-5fad-4d73-a9f5-3c356e68a038',
    'photo-url': '',
    size: 'large',
    shape: 'circular',
    'show-name': true,
    'show-status': true,
    availability: 'Available',
    activity: 'Available',
    outOfOffice: false,
    statusMessage: '',
  },
  argTypes: {
    availability: { control: 'select', options: [...AVAILABILITIES, 'Lunch'] },
    activity: {
      control: 'select',
      options: [
        'Available',
        'Away',
        'BeRightBack',
        'Busy',
        'DoNotDisturb',
        'InACall',
        'InAConferenceCall',
        'Inactive',
        'InAMeeting',
        'Offline',
        'OffWork',
        'OutOfOffice',
        'PresenceUnknown',
        'Presenting',
        'UrgentInterruptionsOnly',
      ],
    },
    size: {
      control: 'select',
      options: ['extra-small', 'small', 'medium', 'large', 'extra-large', 'huge', '48', '3rem'],
    },
    shape: { control: 'inline-radio', options: ['circular', 'square'] },
  },
  render,
};
export default meta;

type Story = StoryObj<AvatarArgs>;

export const Available: Story = {};
export const AvailableIdle: Story = { args: { availability: 'AvailableIdle', activity: 'Available' } };
export const Away: Story = { args: { availability: 'Away', activity: 'Away' } };
export const BeRightBack: Story = { args: { availability: 'BeRightBack', activity: 'BeRightBack' } };
export const BusyInACall: Story = { args: { availability: 'Busy', activity: 'InACall' } };
export const BusyInAMeeting: Story = { args: { availability: 'Busy', activity: 'InAMeeting' } };
export const BusyIdle: Story = { args: { availability: 'BusyIdle', activity: 'Busy' } };
export const DoNotDisturbPresenting: Story = { args: { availability: 'DoNotDisturb', activity: 'Presenting' } };
export const UrgentInterruptionsOnly: Story = {
  args: { availability: 'DoNotDisturb', activity: 'UrgentInterruptionsOnly' },
};
export const Offline: Story = { args: { availability: 'Offline', activity: 'Offline' } };
export const OffWork: Story = { args: { availability: 'Offline', activity: 'OffWork' } };
export const PresenceUnknown: Story = { args: { availability: 'PresenceUnknown', activity: 'PresenceUnknown' } };
export const UnrecognisedValue: Story = { args: { availability: 'Lunch', activity: 'Eating' } };
export const OutOfOfficeAvailable: Story = { args: { outOfOffice: true, statusMessage: 'Back on Monday' } };
export const OutOfOfficeBusy: Story = { args: { availability: 'Busy', activity: 'InAMeeting', outOfOffice: true } };
export const OutOfOfficeAway: Story = { args: { availability: 'Away', activity: 'OutOfOffice', outOfOffice: true } };
export const WithStatusMessage: Story = {
  args: { availability: 'Busy', activity: 'Busy', statusMessage: 'Heads down on the quarterly report' },
};

const states: Array<[string, string]> = [
  ['Available', 'Available'],
  ['AvailableIdle', 'Available'],
  ['Away', 'Away'],
  ['BeRightBack', 'BeRightBack'],
  ['Busy', 'InACall'],
  ['Busy', 'InAMeeting'],
  ['BusyIdle', 'Busy'],
  ['DoNotDisturb', 'Presenting'],
  ['Offline', 'Offline'],
  ['PresenceUnknown', 'PresenceUnknown'],
];

const grid = (
  outOfOffice: boolean,
) => html`<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:14px 20px">
  ${states.map(
    ([availability, activity], i) => html`<presence-avatar
      show-name
      show-status
      user-id=${`user-${i}`}
      display-name=${['Adele Vance', 'Alex Wilber', 'Megan Bowen', 'Nestor Wilke', 'Lee Gu', 'Grady Archie', 'Isaiah Langer', 'Johanna Lorenz', 'Lynne Robbins', 'Miriam Graham'][i]}
      .presence=${presenceOf({ availability, activity, outOfOffice, statusMessage: '' })}
    ></presence-avatar>`,
  )}
</div>`;

/** Every availability with a typical activity. */
export const AllStatuses: Story = { render: () => grid(false) };
/** The same, out of office. */
export const AllStatusesOutOfOffice: Story = { render: () => grid(true) };

/** Every named size, a number of pixels and a CSS length; the badge scales with the avatar. */
export const Sizes: Story = {
  render: () => html`<div style="display:flex;gap:18px;align-items:center;flex-wrap:wrap">
    ${['extra-small', 'small', 'medium', 'large', 'extra-large', 'huge', '48', '3rem'].map(
      (size) =>
        html`<presence-avatar size=${size} display-name="Adele Vance" user-id="u1" presence="Busy"></presence-avatar>`,
    )}
  </div>`,
};

export const Square: Story = { args: { shape: 'square', size: 'extra-large' } };
export const Photo: Story = { args: { 'photo-url': 'assets/portrait.svg', availability: 'Busy', activity: 'InACall' } };
export const BrokenPhoto: Story = {
  args: { 'photo-url': 'assets/there-is-no-such-photo.png', 'display-name': 'Grady Archie' },
};
export const Initials: Story = {
  render: () => html`<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:14px 20px">
    ${[
      'Adele Vance',
      'Vance, Adele',
      'adele.vance@contoso.com',
      'Cher',
      'Jean-Luc Picard',
      '山田太郎',
      '김민준',
      'محمد علي',
      'דוד לוי',
      'Владимир Петров',
      '🎉 Party Bot',
      '🦄',
      '',
    ].map(
      (name, i) =>
        html`<presence-avatar show-name user-id=${`i-${i}`} display-name=${name} presence="Available"></presence-avatar>`,
    )}
  </div>`,
};
export const HostileNames: Story = {
  render: () => html`<div style="display:grid;gap:14px">
    ${[
      '<img src=x onerror=alert(1)>',
      '<script>alert("pwned")</script>',
      '\u202eecnaV eledA',
      '{{constructor.constructor("alert(1)")()}}',
    ].map(
      (name, i) => html`<presence-avatar show-name show-status user-id=${`h-${i}`} display-name=${name}
        .presence=${{ availability: 'Busy', statusMessage: { message: { content: '<b>not bold</b><img src=y onerror=alert(2)>', contentType: 'html' } } }}></presence-avatar>`,
    )}
  </div>`,
};
export const VeryLongName: Story = {
  render: () => html`<div style="width: 320px; border: 1px dashed #999; padding: 8px">
    <presence-avatar show-name show-status display-name="Wolfeschlegelsteinhausenbergerdorff Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior the Third" presence='{"availability":"Busy","activity":"InAConferenceCall","statusMessage":{"message":{"content":"A status message that is much too long to fit on one line of this narrow card"}}}'></presence-avatar>
  </div>`,
};
export const Dark: Story = { render: () => grid(false), parameters: { theme: 'dark' } };
export const DarkOutOfOffice: Story = { render: () => grid(true), parameters: { theme: 'dark' } };
export const RightToLeft: Story = {
  render: () => html`<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:14px 20px">
    <presence-avatar show-name show-status user-id="r1" display-name="محمد علي" .presence=${{ availability: 'Busy', activity: 'InACall' }}></presence-avatar>
    <presence-avatar show-name show-status user-id="r2" display-name="ليلى حسن" .presence=${{ availability: 'Available', activity: 'Available' }}></presence-avatar>
    <presence-avatar show-name show-status user-id="r3" display-name="فاطمة منصور" .presence=${{ availability: 'Away', activity: 'OutOfOffice' }}></presence-avatar>
    <presence-avatar show-name show-status user-id="r4" display-name="Adele Vance" .presence=${{ availability: 'DoNotDisturb', activity: 'Presenting' }}></presence-avatar>
  </div>`,
  parameters: { direction: 'rtl' },
};
export const Hebrew: Story = {
  render: () =>
    html`<div lang="he" dir="rtl"><presence-avatar show-name show-status size="large" user-id="he1" display-name="דוד לוי" .presence=${{ availability: 'Away', activity: 'BeRightBack' }}></presence-avatar></div>`,
};

/** Live, with `notify-when-available`: Alex Wilber is away; the bell says the user waits for him. */
export const NotifyWhenAvailable: Story = {
  render: () =>
    html`<presence-provider .client=${storyClient('avatar')}>
      <presence-avatar user-id=${PEOPLE[1]!.id} size="large" show-name show-status notify-when-available></presence-avatar>
    </presence-provider>`,
};
