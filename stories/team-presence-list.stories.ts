import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { ConsentRequiredError } from '../src/auth/errors.js';
import { bringYourOwnToken } from '../src/auth/token-provider.js';
import { createPresenceClient } from '../src/client/create.js';
import type { PresenceSource } from '../src/client/types.js';
import { DemoSource, demoUserId } from '../src/sources/demo.js';

interface ListArgs {
  'team-id': string;
  'user-ids': string;
  filter: string;
  'no-filter': boolean;
}

/**
 * A team's members on the demo transport (an in-browser simulated tenant whose presence changes every second; no
 * account, no network): sorted by availability then name, grouped with counts, re-ordered live.
 */
const meta: Meta<ListArgs> = {
  title: 'Elements/team-presence-list',
  component: 'team-presence-list',
  tags: ['autodocs'],
  args: { 'team-id': 'demo-team-40', 'user-ids': '', filter: '', 'no-filter': false },
  render: (args) => html`<presence-provider demo>
    <team-presence-list
      team-id=${args['team-id'] || nothing}
      user-ids=${args['user-ids'] || nothing}
      filter=${args.filter}
      ?no-filter=${args['no-filter']}
      style="max-width: 380px"
    ></team-presence-list>
  </presence-provider>`,
};
export default meta;

type Story = StoryObj<ListArgs>;

export const FortyMembers: Story = {};

/** Only the rows in view are in the page, so ten thousand members scroll as smoothly as forty. */
export const TenThousandMembers: Story = { args: { 'team-id': 'demo-team-10000' } };

/** A list of user ids instead of a team: names arrive with the profiles and the members move to their places. */
export const ListOfPeople: Story = {
  args: { 'team-id': '', 'user-ids': Array.from({ length: 8 }, (_, n) => demoUserId(n * 3)).join(',') },
};

export const Filtered: Story = { args: { filter: 'an' } };

export const NothingMatches: Story = { args: { filter: 'zzzz' } };

export const WithoutFilterBox: Story = { args: { 'team-id': 'demo-team-12', 'no-filter': true } };

export const RightToLeft: Story = { args: { 'team-id': 'demo-team-25' }, parameters: { direction: 'rtl' } };

export const Dark: Story = { args: { 'team-id': 'demo-team-25' }, parameters: { theme: 'dark' } };

/**
 * Reading a team's members needs a scope the user has not consented to yet: the list says so and offers "Grant
 * access". With MSAL the button opens the consent popup (during the click, so the browser allows it); here it
 * grants at once and the members load.
 */
export const NeedsConsent: Story = {
  render: () => {
    let granted = false;
    const demo = new DemoSource();
    const source: PresenceSource = {
      presences: (ids) => demo.presences(ids),
      profiles: (keys) => demo.profiles(keys),
      photos: (ids) => demo.photos(ids),
      members: async (kind, id, onPage, signal) => {
        if (!granted) throw new ConsentRequiredError(['TeamMember.Read.All']);
        await demo.members(kind, id, onPage);
        signal?.throwIfAborted();
      },
    };
    const auth = bringYourOwnToken(() => 'demo', {
      signIn: async () => {
        granted = true;
      },
    });
    const client = createPresenceClient({ transport: 'demo', source, auth });
    return html`<presence-provider .client=${client}>
      <team-presence-list team-id="demo-team-12" style="max-width: 380px"></team-presence-list>
    </presence-provider>`;
  },
};
