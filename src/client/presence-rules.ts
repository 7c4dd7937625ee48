// What Graph accepts in a presence write, checked before calling it, so that a mistake is a clear message at once.
import { GraphCallError } from '../graph/retry.js';
import {
  APP_PRESENCES,
  MAX_APP_EXPIRY_MS,
  MAX_PREFERRED_EXPIRY_MS,
  MIN_EXPIRY_MS,
  MINUTE,
  PREFERRED_PRESENCES,
} from './presence-limits.js';

export { APP_PRESENCES, MAX_APP_EXPIRY_MS, MAX_PREFERRED_EXPIRY_MS, MIN_EXPIRY_MS, PREFERRED_PRESENCES };

/**
 * A presence write that was not sent because Graph would refuse it (`invalid`), or that Graph refused (`refused`,
 * with its status, such as 400). Its message says what was wrong; an element can show it or send it on as a
 * `presence-error`. A write that needs the user's consent rejects with `ConsentRequiredError` instead.
 */
export class PresenceWriteError extends Error {
  constructor(
    message: string,
    /** `invalid`: refused before calling Graph; `refused`: Graph answered with an error. */
    readonly reason: 'invalid' | 'refused',
    /** Graph's HTTP status, for `refused`. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PresenceWriteError';
  }
}

function label(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([a, b]) => `${a}/${b}`).join(', ');
}

/** Throws `PresenceWriteError` unless `availability`/`activity` is one of `pairs`. */
export function checkPair(
  what: string,
  pairs: ReadonlyArray<readonly [string, string]>,
  availability: unknown,
  activity: unknown,
): void {
  if (!pairs.some(([a, b]) => a === availability && b === activity))
    throw new PresenceWriteError(
      `${what} cannot be ${String(availability)}/${String(activity)}: Graph takes ${label(pairs)}.`,
      'invalid',
    );
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration (days, hours, minutes, seconds) in milliseconds; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * MINUTE + Number(s) * 1000;
}

/** Milliseconds as an ISO 8601 duration in whole seconds, such as `PT1H30M`. */
export function isoDuration(ms: number): string {
  let seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

function minutesText(ms: number): string {
  return ms % (24 * 60 * MINUTE) === 0 ? `${ms / (24 * 60 * MINUTE)} days` : `${ms / MINUTE} minutes`;
}

/**
 * The expiry to send, from `expiresInMs` or `expirationDuration` (one of them, or neither for Graph's default),
 * kept from `MIN_EXPIRY_MS` to `maxMs`; throws `PresenceWriteError` otherwise.
 */
export function expiryOf(
  what: string,
  given: { expiresInMs?: number; expirationDuration?: string },
  maxMs: number,
): string | undefined {
  const { expiresInMs, expirationDuration } = given;
  if (expiresInMs !== undefined && expirationDuration !== undefined)
    throw new PresenceWriteError(`${what}: give expiresInMs or expirationDuration, not both.`, 'invalid');
  let ms: number | undefined;
  if (expirationDuration !== undefined) {
    ms = typeof expirationDuration === 'string' ? durationMs(expirationDuration) : undefined;
    if (ms === undefined)
      throw new PresenceWriteError(
        `${what}: expirationDuration ${String(expirationDuration)} is not an ISO 8601 duration such as PT1H.`,
        'invalid',
      );
  } else if (expiresInMs !== undefined) {
    if (typeof expiresInMs !== 'number' || !Number.isFinite(expiresInMs))
      throw new PresenceWriteError(`${what}: expiresInMs must be a number of milliseconds.`, 'invalid');
    ms = expiresInMs;
  } else {
    return undefined;
  }
  if (ms < MIN_EXPIRY_MS || ms > maxMs)
    throw new PresenceWriteError(
      `${what}: the expiry must be from ${minutesText(MIN_EXPIRY_MS)} to ${minutesText(maxMs)}.`,
      'invalid',
    );
  return expirationDuration ?? isoDuration(ms);
}

/** A refusal from Graph (a 4xx other than consent) as a `PresenceWriteError` naming the write; others as they are. */
export function refusal(what: string, error: unknown): unknown {
  if (error instanceof GraphCallError && error.status >= 400 && error.status < 500 && error.status !== 401)
    return new PresenceWriteError(
      `${what}: Graph refused it (${error.status}): ${error.message}`,
      'refused',
      error.status,
    );
  return error;
}
