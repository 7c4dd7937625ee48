// ISO 8601 durations as Graph's `Edm.Duration` parameters take them (`PT5M`, `PT4H`, `P1D`): their length in
// milliseconds, or undefined for anything else. Years and months are refused: their length depends on the date, and
// no presence parameter needs them (the stricter reading where Graph's pages are silent).
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (value: string | undefined) => (value ? Number(value) : 0);
  return ((n(weeks) * 7 + n(days)) * 24 * 3600 + n(hours) * 3600 + n(minutes) * 60 + n(seconds)) * 1000;
}
