// Retry-After as the relay's Node HTTP clients receive it (seconds or an HTTP date; Node may give a list), in ms.
// The browser library has its own reader (src/graph/retry.ts): its build takes nothing from outside src/.

export function retryAfterMs(value: string | string[] | null | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
