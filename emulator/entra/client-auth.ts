// Who is asking at the token endpoint. Confidential clients prove it with their secret, in the body
// (client_secret_post) or as HTTP Basic credentials (client_secret_basic), the two methods discovery advertises
// (`token_endpoint_auth_methods_supported`), never both at once (RFC 6749, 2.3.1); a single-page app proves nothing
// and may only redeem cross-origin, from a browser
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientApp } from './clients.js';
import { OAuthError } from './oauth-error.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A value of `application/x-www-form-urlencoded`, as HTTP Basic client credentials carry them (RFC 6749, 2.3.1). */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

const invalidSecret = () =>
  new OAuthError(
    401,
    'invalid_client',
    7000215,
    'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
  );

/** The client a token request is from, and the secret it presented, from the body or the Authorization header. */
function credentialsOf(
  form: URLSearchParams,
  headers: IncomingHttpHeaders,
): { clientId: string | null; secret: string | null } {
  const basic = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  if (!basic) return { clientId, secret };
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidSecret();
  const headerId = formDecode(decoded.slice(0, colon));
  if ((clientId !== null && clientId !== headerId) || secret !== null) {
    throw new OAuthError(
      400,
      'invalid_request',
      90023,
      'The authentication service request is not valid: the client is authenticated more than once.',
    );
  }
  return { clientId: headerId, secret: formDecode(decoded.slice(colon + 1)) };
}

/** The registered client behind a token request, once it has proved who it is as its type requires. */
export function authenticateClient(
  form: URLSearchParams,
  headers: IncomingHttpHeaders,
  grant: string | null,
  clients: Map<string, ClientApp>,
  directory: string,
): ClientApp {
  const { clientId, secret } = credentialsOf(form, headers);
  if (!clientId)
    throw new OAuthError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  const client = clients.get(clientId);
  if (!client)
    throw new OAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'.`,
    );
  if (client.type === 'spa' && grant !== 'client_credentials' && !headers.origin) {
    throw new OAuthError(
      400,
      'invalid_request',
      9002327,
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    );
  }
  const missing = () =>
    new OAuthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  if (client.type !== 'web') {
    // On-behalf-of turns one user's token into another, so Entra lets only a confidential client that proves who it
    // is do it: a SPA holds no credential, and anyone holding a user token could otherwise redeem it for Graph.
    if (grant !== JWT_BEARER) return client;
    if (secret || form.get('client_assertion'))
      throw new OAuthError(
        401,
        'invalid_client',
        700025,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
      );
    throw missing();
  }
  if (!secret) {
    // The emulated apps have secrets and no certificates, so no client assertion can be valid.
    if (form.get('client_assertion'))
      throw new OAuthError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    throw missing();
  }
  if (!client.secret || !safeEqual(secret, client.secret)) throw invalidSecret();
  return client;
}
