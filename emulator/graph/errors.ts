// Errors in Microsoft Graph's JSON format: {"error": {"code", "message", "innerError": {...}}}.
import { randomUUID } from 'node:crypto';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(requestId: string, clientRequestId?: string): unknown {
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
      },
    };
  }
}

export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);
export const notFound = (message: string, code = 'ResourceNotFound') => new GraphError(404, code, message);
export const forbidden = (message = 'Insufficient privileges to complete the operation.', code = 'Authorization_RequestDenied') =>
  new GraphError(403, code, message);
export const unauthorized = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message);

export function newRequestId(): string {
  return randomUUID();
}
