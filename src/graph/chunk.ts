/** Graph's limit of ids per presence call (`getPresencesByUserId`). */
export const PRESENCE_CHUNK = 650;

/** `items` cut into consecutive parts of `size` (the last one may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
