// Photos through the library, in Chromium against the Graph emulator: one request per person, at a size that fits
// an avatar (96x96, not the 648x648 `/photo/$value` would send), and initials for whoever has no photo in that size.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { bringYourOwnToken, GraphSource } from '../../../src/index.js';
import { control, type Cloud } from '../support/emulator.js';

interface Logged {
  method: string;
  path: string;
  status: number;
  batchItem: boolean;
}

let cloud: Cloud;

const tokenFor = async (clientId: string) =>
  (
    await control('POST', '/tokens', {
      userId: cloud.tenant.demoUsers[0]!.id,
      clientId,
      scopes: ['User.ReadBasic.All', 'GroupMember.Read.All'],
    })
  ).accessToken as string;

/** People whose largest photo is 648x648, 64x64, or who have none: found by asking Graph for the photos' metadata. */
async function peopleByPhoto(): Promise<{ large: string; small: string; none: string }> {
  const token = await tokenFor(crypto.randomUUID());
  const group = cloud.tenant.teams.find((t) => t.members === 2000)!;
  const found: Record<string, string> = {};
  let next: string | undefined =
    `${cloud.graph.url}/v1.0/groups/${group.id}/members/microsoft.graph.user?$select=id&$top=200`;
  while (next && !(found.large && found.small && found.none)) {
    const page = await (await fetch(next, { headers: { authorization: `Bearer ${token}` } })).json();
    for (const { id } of page.value as Array<{ id: string }>) {
      const res = await fetch(`${cloud.graph.url}/v1.0/users/${id}/photo`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const width = res.status === 200 ? (await res.json()).width : null;
      const kind = width === 648 ? 'large' : width === 64 ? 'small' : width === null ? 'none' : undefined;
      if (kind && !found[kind]) found[kind] = id;
    }
    next = page['@odata.nextLink'];
  }
  return found as { large: string; small: string; none: string };
}

const size = async (blob: Blob) => {
  const bitmap = await createImageBitmap(blob);
  return [bitmap.width, bitmap.height];
};

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
});

describe('photos from the Graph emulator', () => {
  it('one request each, at 96x96: a photo for who has one that large, null for who has none or only a smaller one', async function () {
    this.timeout(30_000);
    const people = await peopleByPhoto();
    const appId = crypto.randomUUID();
    const source = new GraphSource({ auth: bringYourOwnToken(() => tokenFor(appId)), baseUrl: cloud.graph.url });
    const photos = await source.photos([people.large, people.small, people.none]);
    expect(await size(photos.get(people.large)!)).to.deep.equal([96, 96]);
    expect(photos.get(people.small)).to.equal(null);
    expect(photos.get(people.none)).to.equal(null);
    const log = await executeServerCommand<Logged[], { appId: string }>('emulator-requests', { appId });
    expect(log.filter((r) => !r.batchItem).map((r) => r.path)).to.deep.equal(['/v1.0/$batch']);
    expect(
      log
        .filter((r) => r.batchItem)
        .map((r) => r.path)
        .sort(),
    ).to.deep.equal(
      [people.large, people.small, people.none].map((id) => `/v1.0/users/${id}/photos/96x96/$value`).sort(),
    );
  });
});
