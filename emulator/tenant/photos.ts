// Profile photos as real PNG bytes: a head-and-shoulders portrait on a background, coloured from the user id, in the
// sizes Microsoft 365 keeps them. https://learn.microsoft.com/graph/api/profilephoto-get: "The supported sizes of HD
// photos on Microsoft 365 are as follows: 48x48, 64x64, 96x96, 120x120, 240x240, 360x360, 432x432, 504x504, and
// 648x648", and a photo uploaded smaller than a size is not available in that size ("if the user uploads a photo
// that is 504x504 pixels, all but the 648x648 size of photo will be available").
import { PNG } from 'pngjs';
import { Random } from './random.js';

/** The edges, in pixels, of the square sizes Microsoft 365 serves, smallest first. */
export const PHOTO_SIZES = [48, 64, 96, 120, 240, 360, 432, 504, 648] as const;

/**
 * How large people's photos are, as a tenant has them: most were uploaded from Teams or Outlook at 648 or more; some
 * came from a phone crop or an older upload; some are directory thumbnails synced from Active Directory (96x96); a few
 * are tiny. Weights per largest available edge.
 */
const LARGEST_SIZE_WEIGHTS: Record<string, number> = {
  648: 70,
  504: 4,
  432: 4,
  360: 5,
  240: 7,
  120: 2,
  96: 6,
  64: 1,
  48: 1,
};

/** The largest size a user's photo is kept in, drawn from the user id alone (so it never shifts other seeded data). */
export function largestPhotoSize(userId: string): number {
  return Number(new Random(`${userId}/photo`).weighted(LARGEST_SIZE_WEIGHTS));
}

/** The sizes a photo whose largest edge is `largest` is available in. */
export function photoSizesUpTo(largest: number): number[] {
  return PHOTO_SIZES.filter((size) => size <= largest);
}

const SKIN = [
  [241, 210, 182],
  [224, 172, 105],
  [198, 134, 66],
  [141, 85, 36],
  [255, 219, 172],
];
const BACKGROUNDS = [
  [122, 156, 198],
  [150, 190, 160],
  [214, 170, 120],
  [180, 150, 200],
  [120, 180, 190],
  [200, 140, 140],
];
const CLOTHES = [
  [45, 75, 115],
  [80, 40, 60],
  [30, 90, 70],
  [60, 60, 60],
  [140, 60, 30],
];

const cache = new Map<string, Buffer>();
const CACHE_LIMIT = 2_000;

/** A deterministic PNG portrait for a user id, `size` pixels square. */
export function photoFor(userId: string, size = 96): Buffer {
  const key = `${userId}:${size}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const rng = new Random(userId);
  const bg = rng.pick(BACKGROUNDS);
  const skin = rng.pick(SKIN);
  const cloth = rng.pick(CLOTHES);
  const png = new PNG({ width: size, height: size });
  const headX = size * 0.5;
  const headY = size * (0.38 + rng.next() * 0.04);
  const headR = size * (0.17 + rng.next() * 0.03);
  const bodyY = size * 1.02;
  const bodyRx = size * 0.36;
  const bodyRy = size * 0.4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inHead = (x - headX) ** 2 + (y - headY) ** 2 <= headR ** 2;
      const inBody = ((x - headX) / bodyRx) ** 2 + ((y - bodyY) / bodyRy) ** 2 <= 1;
      const color = inHead ? skin : inBody ? cloth : bg;
      const shade = inHead || inBody ? 1 : 0.9 + 0.1 * (y / size);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(color![0]! * shade);
      png.data[i + 1] = Math.round(color![1]! * shade);
      png.data[i + 2] = Math.round(color![2]! * shade);
      png.data[i + 3] = 255;
    }
  }
  const bytes = PNG.sync.write(png);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, bytes);
  return bytes;
}
