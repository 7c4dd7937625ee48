import { executeServerCommand } from '@web/test-runner-commands';

export type Rgb = [number, number, number];

/** The colours Chromium painted at the given viewport points (CSS pixels). */
export function pixelColors(points: Array<{ x: number; y: number }>): Promise<Rgb[]> {
  return executeServerCommand('pixel-colors', { points });
}

/** `#rrggbb` to `[r, g, b]`. */
export function hexToRgb(hex: string): Rgb {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The largest difference of one channel between two colours. */
export function colorDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}
