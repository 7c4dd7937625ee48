// Profile photos in Microsoft 365's sizes (https://learn.microsoft.com/graph/api/profilephoto-get).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GraphEmulator } from '../../../emulator/graph/graph.js';
import { PHOTO_SIZES } from '../../../emulator/tenant/photos.js';
import type { TenantUser } from '../../../emulator/tenant/tenant.js';
import { call, startGraph, tenant } from './graph-support.js';

let graph: GraphEmulator;
before(async () => {
  graph = await startGraph();
});
after(() => graph.stop());

/** A PNG's width and height, from its IHDR chunk. */
function dimensions(png: Buffer): [number, number] {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

const withLargest = (size: number): TenantUser => {
  const user = tenant.users.find((u) => u.photoSize === size);
  assert.ok(user, `a user whose largest photo is ${size}x${size}`);
  return user;
};
const withoutPhoto = () => tenant.users.find((u) => !u.hasPhoto)!;

test("people's photos come in a realistic spread of largest sizes: most 648x648, some smaller, a few below 96x96", () => {
  const withPhotos = tenant.users.filter((u) => u.photoSize !== null);
  const full = withPhotos.filter((u) => u.photoSize === 648).length;
  assert.ok(full > withPhotos.length / 2 && full < withPhotos.length * 0.9, `${full} of ${withPhotos.length} at 648`);
  for (const size of PHOTO_SIZES)
    assert.ok(
      withPhotos.some((u) => u.photoSize === size),
      `someone's largest is ${size}`,
    );
  assert.ok(withPhotos.filter((u) => u.photoSize! < 96).length < withPhotos.length * 0.05);
});

test('/photo/$value is the largest size available, up to 648x648', async () => {
  for (const size of [648, 240, 64]) {
    const user = withLargest(size);
    const { status, headers, data } = await call(graph, 'GET', `/v1.0/users/${user.id}/photo/$value`);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'image/png');
    assert.deepEqual(dimensions(data), [size, size]);
  }
});

test('/photos/{size}/$value: each Microsoft 365 size up to the largest, in that size; larger ones are 404 ImageNotFound', async () => {
  const user = withLargest(240);
  for (const size of PHOTO_SIZES) {
    const { status, data } = await call(graph, 'GET', `/v1.0/users/${user.id}/photos/${size}x${size}/$value`);
    if (size <= 240) {
      assert.equal(status, 200, `${size}`);
      assert.deepEqual(dimensions(data), [size, size]);
    } else {
      assert.equal(status, 404, `${size}`);
      assert.equal(data.error.code, 'ImageNotFound');
    }
  }
  assert.equal(
    (await call(graph, 'GET', `/v1.0/users/${user.id}/photos/100x100/$value`)).status,
    404,
    'not a Microsoft 365 size',
  );
});

test('metadata: /photo describes the largest, /photos lists the sizes available, /photos/{size} one of them', async () => {
  const user = withLargest(360);
  const largest = await call(graph, 'GET', `/v1.0/users/${user.id}/photo`);
  assert.equal(largest.status, 200);
  assert.equal(largest.data['@odata.context'], `${graph.url}/v1.0/$metadata#users('${user.id}')/photo/$entity`);
  assert.deepEqual([largest.data.id, largest.data.width, largest.data.height], ['360x360', 360, 360]);
  assert.equal(largest.data['@odata.mediaContentType'], 'image/png');
  const list = await call(graph, 'GET', `/v1.0/users/${user.id}/photos`);
  assert.deepEqual(
    list.data.value.map((p: { id: string }) => p.id),
    ['48x48', '64x64', '96x96', '120x120', '240x240', '360x360'],
  );
  assert.equal((await call(graph, 'GET', `/v1.0/users/${user.id}/photos/96x96`)).data.width, 96);
});

test('someone without a photo: 404 ImageNotFound for the photo and its metadata, an empty list of sizes', async () => {
  const user = withoutPhoto();
  for (const path of ['photo/$value', 'photo', 'photos/48x48/$value']) {
    const { status, data } = await call(graph, 'GET', `/v1.0/users/${user.id}/${path}`);
    assert.equal(status, 404, path);
    assert.equal(data.error.code, 'ImageNotFound');
  }
  assert.deepEqual((await call(graph, 'GET', `/v1.0/users/${user.id}/photos`)).data.value, []);
});

test("the signed-in user's photo at /me/photo/$value and /me/photos/{size}/$value", async () => {
  const me = tenant.users[0]!;
  assert.ok(me.hasPhoto);
  assert.deepEqual(dimensions((await call(graph, 'GET', '/v1.0/me/photo/$value')).data), [me.photoSize, me.photoSize]);
  assert.deepEqual(dimensions((await call(graph, 'GET', '/v1.0/me/photos/96x96/$value')).data), [96, 96]);
});
