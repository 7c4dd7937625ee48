import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { PresenceClient } from '../src/client/presence-client.js';
import type { PresenceSource, Profile } from '../src/client/types.js';
import type { GraphPresence } from '../src/presence/types.js';

interface Person {
  profile: Omit<Profile, 'id'>;
  presence: Omit<GraphPresence, 'id'>;
  photo: boolean;
}

interface CardArgs {
  person: Person;
  /** Whether the client offers "Notify me when available". */
  notify: boolean;
  /** Shows the card from an avatar (hover or click) instead of in place. */
  fromAvatar: boolean;
}

const USER_ID = '48d31887-5fad-4d73-a9f5-3c356e68a038';

const adele: Profile = {
  id: USER_ID,
  displayName: 'Adele Vance',
  userPrincipalName: 'adele.vance@contoso.example',
  mail: 'adele.vance@contoso.example',
  jobTitle: 'Product Manager',
};

const statusMessage = (content: string, contentType = 'text') => ({ message: { content, contentType } });

/** One person's directory entry, presence and photo, served the way a client's source serves them. */
function clientFor(person: Person, notify: boolean): PresenceClient {
  const source: PresenceSource = {
    presences: async (ids) => ids.map((id) => ({ id, sequenceNumber: '0001', ...person.presence })),
    profiles: async (keys) => keys.map((key) => ({ key, id: key, ...person.profile })),
    photos: async (ids) => {
      const blob = person.photo ? await (await fetch(new URL('assets/portrait.svg', document.baseURI))).blob() : null;
      return new Map(ids.map((id) => [id, blob]));
    },
  };
  const client = new PresenceClient({ source });
  // "Notify me when available" shows when the client can notify; here it only says it will.
  if (notify) Object.assign(client, { notifyWhenAvailable: async () => undefined });
  return client;
}

/**
 * A person's contact card: photo or initials, name, job title, presence, status message, automatic reply, and
 * actions: Teams chat, call and video call (deep links), email, "Notify me when available", and the app's own
 * (the `actions` slot). Each action sends a cancelable `presence-action` first.
 */
const meta: Meta<CardArgs> = {
  title: 'Elements/presence-card',
  component: 'presence-card',
  tags: ['autodocs'],
  args: {
    person: { profile: adele, presence: { availability: 'Available', activity: 'Available' }, photo: true },
    notify: false,
    fromAvatar: false,
  },
  render: (args) => {
    const client = clientFor(args.person, args.notify);
    return args.fromAvatar
      ? html`<presence-provider .client=${client}>
          <p>Point at Adele, or focus her and press Enter:</p>
          <presence-avatar card="hover" user-id=${USER_ID} size="large" show-name show-status></presence-avatar>
        </presence-provider>`
      : html`<presence-provider .client=${client}>
          <presence-card user-id=${USER_ID}>
            <button slot="actions" type="button">Start a session</button>
          </presence-card>
        </presence-provider>`;
  },
};
export default meta;

type Story = StoryObj<CardArgs>;

export const Available: Story = {};

export const BusyWithStatusMessage: Story = {
  args: {
    notify: true,
    person: {
      profile: adele,
      presence: {
        availability: 'Busy',
        activity: 'InAMeeting',
        statusMessage: statusMessage('Heads down on the release until 3 pm'),
      },
      photo: true,
    },
  },
};

export const OutOfOffice: Story = {
  args: {
    notify: true,
    person: {
      profile: adele,
      presence: {
        availability: 'Offline',
        activity: 'OffWork',
        outOfOfficeSettings: { isOutOfOffice: true, message: 'On leave until Monday. For urgent matters, ask Lee Gu.' },
      },
      photo: true,
    },
  },
};

export const NoPhoto: Story = {
  args: {
    person: {
      profile: {
        ...adele,
        displayName: 'Lee Gu',
        jobTitle: 'Engineer',
        userPrincipalName: 'lee.gu@contoso.example',
        mail: 'lee.gu@contoso.example',
      },
      presence: { availability: 'Away', activity: 'Away' },
      photo: false,
    },
  },
};

export const OpenedFromAvatar: Story = {
  args: {
    fromAvatar: true,
    person: {
      profile: adele,
      presence: { availability: 'Busy', activity: 'InACall', statusMessage: statusMessage('Back at 2') },
      photo: true,
    },
  },
};

/** Names, titles and messages with markup and links stay text; links stay Teams links. */
export const HostileText: Story = {
  args: {
    person: {
      profile: {
        displayName: '<img src=x onerror="alert(1)"> Mallory',
        jobTitle: '<script>alert(1)</script>',
        userPrincipalName: 'javascript:alert(1)',
        mail: 'javascript:alert(1)',
      },
      presence: {
        availability: 'DoNotDisturb',
        activity: 'Presenting',
        statusMessage: statusMessage('<a href="javascript:alert(1)">click</a> <b>me</b>', 'html'),
      },
      photo: false,
    },
  },
};

export const RightToLeft: Story = {
  args: {
    person: {
      profile: { ...adele, displayName: 'ليلى حداد', jobTitle: 'مديرة المنتج' },
      presence: { availability: 'Busy', activity: 'InAMeeting', statusMessage: statusMessage('في اجتماع حتى الثالثة') },
      photo: true,
    },
  },
  parameters: { direction: 'rtl' },
};

export const Dark: Story = { parameters: { theme: 'dark' } };
