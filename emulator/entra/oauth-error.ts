// Entra ID's OAuth error answers. The shape follows "Microsoft Entra authentication and authorization error codes"
// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application):
// `error`, `error_description` starting `AADSTS<code>: ` and ending with the trace id, correlation id and time,
// `error_codes`, `timestamp` ("2016-01-09 02:02:12Z"), `trace_id`, `correlation_id` and `error_uri`
// (`https://login.microsoftonline.com/error?code=<code>`).
import { randomUUID } from 'node:crypto';

/** Entra's error lookup page, as `error_uri` names it. */
export const ERROR_LOOKUP = 'https://login.microsoftonline.com/error';

/** "2016-01-09 02:02:12Z", Entra's way of writing the time of an error. */
export function errorTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** An OAuth error in Entra's shape. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
    readonly suberror?: string,
  ) {
    super(message);
  }

  /** The JSON body at `now` (milliseconds; the emulator's clock). */
  body(now: number): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = errorTimestamp(now);
    const body: Record<string, unknown> = {
      error: this.error,
      error_description: `${this.description()}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ERROR_LOOKUP}?code=${this.code}`,
    };
    if (this.suberror) body.suberror = this.suberror;
    return body;
  }

  /** `AADSTS<code>: <message>`, as `error_description` begins (and as the authorize endpoint's redirect carries it). */
  description(): string {
    return `AADSTS${this.code}: ${this.message}`;
  }
}
