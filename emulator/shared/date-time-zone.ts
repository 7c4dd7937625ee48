// Graph's dateTimeTimeZone ({dateTime, timeZone}: a wall-clock time with no offset, and the zone it is read in) as an
// instant. https://learn.microsoft.com/graph/api/resources/datetimetimezone: `timeZone` is a Windows or an IANA time
// zone name; `dateTime` has no offset (https://learn.microsoft.com/graph/api/resources/presencestatusmessage says
// "expiryDateTime.dateTime shouldn't include time zone").

/** The Windows names Graph's own examples use, with their IANA equivalents (CLDR's windowsZones mapping). */
const WINDOWS_ZONES: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'India Standard Time': 'Asia/Calcutta',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
};

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

function ianaOf(timeZone: string): string | undefined {
  const name = WINDOWS_ZONES[timeZone] ?? timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    return undefined;
  }
}

/** How far `zone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant `value` names, or undefined when it is not a dateTimeTimeZone Graph would take. */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') return undefined;
  const match = WALL_CLOCK.exec(dateTime);
  const zone = ianaOf(timeZone);
  if (!match || !zone) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const wall =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) +
    Math.floor(Number(`0.${fraction ?? 0}`) * 1000);
  if (Number.isNaN(wall)) return undefined;
  // Read the wall-clock time in the zone: subtract the zone's offset, checked again at the result (daylight saving).
  const first = wall - offsetAt(wall, zone);
  return wall - offsetAt(first, zone);
}
