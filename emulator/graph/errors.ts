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
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    };
  }
}

export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);
export const notFound = (message: string, code = 'ResourceNotFound') => new GraphError(404, code, message);
export const forbidden = (
  message = 'Insufficient privileges to complete the operation.',
  code = 'Authorization_RequestDenied',
) => new GraphError(403, code, message);
export const unauthorized = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message);

// The wording of the errors below is Graph's own, as its documentation and its users' reports quote it.

/** A path segment Graph has no resource for: 400, not 404 (e.g. "Resource not found for the segment 'auditLog'."). */
export const unknownSegment = (segment: string) => badRequest(`Resource not found for the segment '${segment}'.`);

/** A version other than v1.0 in the path ("Invalid version." is what Graph answers for `/v1.0None/...`). */
export const invalidVersion = () => badRequest('Invalid version.');

/** `/me` with an application token: https://learn.microsoft.com/graph/api/user-get ("Calling the /me endpoint requires a signed-in user"). */
export const delegatedOnly = () => badRequest('/me request is only valid with delegated authentication flow.');

/** A method the resource does not take, as https://learn.microsoft.com/graph/json-batching shows it. */
export const methodNotAllowed = (allow: string) =>
  new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', { allow });

/** `$select` or `$filter` naming a property the type lacks (OData's wording, which Graph passes on). */
export const unknownProperty = (property: string, type: string) =>
  badRequest(`Could not find a property named '${property}' on type '${type}'.`);

/**
 * No photo at all, or not in the size asked for: https://learn.microsoft.com/graph/api/profilephoto-get ("If no
 * photo exists, the operation returns 404 Not Found"), in the words
 * https://learn.microsoft.com/microsoft-365/admin/add-users/change-user-profile-photos quotes.
 */
export const imageNotFound = () =>
  notFound(
    "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
    'ImageNotFound',
  );

/** A body over Graph's 4 MB, in the words Graph answers it with. */
export const tooLarge = () =>
  new GraphError(413, 'RequestEntityTooLarge', 'The maximum request length supported is 4MB.');

export function newRequestId(): string {
  return randomUUID();
}
