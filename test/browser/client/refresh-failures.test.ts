// A refresh that fails after the first read reaches the avatars at once: the presence shown stays, marked as
// possibly out of date, and a `presence-error` names the person.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  createPresenceClient,
  GraphCallError,
  type ClientErrorDetail,
  type PresenceAvatar,
  type PresenceErrorDetail,
} from '../../../src/index.js';
import '../../../src/define.js';
import { drawnStatus, part } from '../support/fixtures.js';
import { settle } from '../support/until.js';

const ID = '00000000-0000-4000-8000-000000000031';

const failures: Array<[string, () => Error]> = [
  ['a 500', () => new GraphCallError('Internal server error', 500)],
  ['a 401', () => new GraphCallError('Access token has expired', 401)],
  ['invalid JSON', () => new SyntaxError('Unexpected token < in JSON at position 0')],
  ['a network failure', () => new TypeError('Failed to fetch')],
];

describe('a polling refresh that fails after the first read', () => {
  for (const [name, failure] of failures) {
    it(`(${name}) is reported at once, with the id, and the presence shown stays, marked out of date`, async () => {
      let fail = false;
      const client = createPresenceClient({
        source: {
          presences: async (ids) => {
            if (fail) throw failure();
            return ids.map((id) => ({ id, availability: 'Busy', activity: 'InACall', sequenceNumber: '0001' }));
          },
        },
        pollingIntervalMs: 1000,
        shareAcrossTabs: false,
      });
      const clientErrors: ClientErrorDetail[] = [];
      client.onError((e) => clientErrors.push(e));
      const avatar = await fixture<PresenceAvatar>(
        html`<presence-provider .client=${client}><presence-avatar user-id=${ID} display-name="Pat"></presence-avatar></presence-provider>`,
      ).then((p) => p.querySelector('presence-avatar')!);
      const events: PresenceErrorDetail[] = [];
      avatar.addEventListener('presence-error', (e) => events.push(e.detail));
      try {
        await waitUntil(() => drawnStatus(avatar) === 'busy', 'the first read shown');
        fail = true;
        await waitUntil(() => events.length > 0, 'a presence-error after the failed refresh', { timeout: 4000 });
        expect(events[0]!.userId).to.equal(ID);
        expect(events[0]!.kind).to.equal('unavailable');
        expect(clientErrors.some((e) => e.ids?.includes(ID))).to.equal(true);
        expect(drawnStatus(avatar)).to.equal('busy');
        expect(part(avatar, 'base').getAttribute('aria-label')).to.match(/out of date|stale/i);
      } finally {
        client.dispose();
      }
    });
  }
});

describe('a photo that fails to load from the client', () => {
  it('is reported by the avatar as kind photo, and the presence shown is not marked out of date', async () => {
    const client = createPresenceClient({
      source: {
        presences: async (ids) =>
          ids.map((id) => ({ id, availability: 'Available', activity: 'Available', sequenceNumber: '0001' })),
        photos: async () => {
          // After the presence is in (read in the same batch, applied before any task runs), so that the failure is
          // the only thing that changes.
          await settle();
          throw new GraphCallError('Photo service unavailable', 500);
        },
      },
      transport: 'none',
    });
    const events: PresenceErrorDetail[] = [];
    const provider = await fixture(
      html`<presence-provider .client=${client} @presence-error=${(e: CustomEvent<PresenceErrorDetail>) => events.push(e.detail)}><presence-avatar user-id=${ID} display-name="Pat"></presence-avatar></presence-provider>`,
    );
    const avatar = provider.querySelector<PresenceAvatar>('presence-avatar')!;
    try {
      await waitUntil(() => events.length > 0, 'a presence-error');
      expect(events.map((e) => e.kind)).to.deep.equal(['photo']);
      await avatar.updateComplete;
      expect(drawnStatus(avatar)).to.equal('available');
      expect(part(avatar, 'base').getAttribute('aria-label')).not.to.match(/out of date/i);
    } finally {
      client.dispose();
    }
  });
});
