// Entra ID's OpenID Connect metadata and signing keys, as its endpoints publish them
// ("OpenID Connect on the Microsoft identity platform", https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri,
// and "Access tokens", https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer):
// - a tenant's v2.0 document names its issuer `https://login.microsoftonline.com/{tid}/v2.0`; the tenant-independent
//   ones (`common`, `organizations`) name the template `https://login.microsoftonline.com/{tenantid}/v2.0`;
// - the v1.0 document (without `/v2.0`) names `https://sts.windows.net/{tid}/` (template `{tenantid}`), the issuer of
//   v1.0 tokens, and keys at `common/discovery/keys`;
// - each key's `kid` is its `x5t`, the base64url SHA-1 thumbprint of the certificate in `x5c`; the v2.0 keys carry
//   the `issuer` they may be used with.
import type { CertificateAndKey } from '../shared/tls.js';
import { v1Issuer } from './claims.js';

/** What the tenant path of a request names: the tenant itself (by id or domain), or every tenant. */
export function isTenantIndependent(tenant: string): boolean {
  return ['common', 'organizations'].includes(tenant.toLowerCase());
}

/** The key id Entra gives a signing certificate: its base64url SHA-1 thumbprint, as `x5t`. */
export function keyIdOf(signing: CertificateAndKey): string {
  return Buffer.from(signing.thumbprint, 'hex').toString('base64url');
}

const CLOUD = {
  tenant_region_scope: 'EU',
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
};

/**
 * The v2.0 document for a request's tenant path. `base` is the emulator's stand-in for
 * `https://login.microsoftonline.com`; tenant-specific documents name the tenant by id.
 */
export function v2Configuration(base: string, tenantPath: string, tenantId: string): Record<string, unknown> {
  const independent = isTenantIndependent(tenantPath);
  const tenant = independent ? tenantPath : tenantId;
  const at = `${base}/${tenant}`;
  return {
    token_endpoint: `${at}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${at}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${independent ? '{tenantid}' : tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${at}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${at}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${at}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${at}/kerberos`,
    ...CLOUD,
  };
}

/** The v1.0 document: the issuer of v1.0 tokens and the keys to check them with (its endpoints are not emulated). */
export function v1Configuration(base: string, tenantPath: string, tenantId: string): Record<string, unknown> {
  const independent = isTenantIndependent(tenantPath);
  const at = `${base}/${independent ? tenantPath : tenantId}`;
  return {
    token_endpoint: `${at}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/common/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: v1Issuer(independent ? '{tenantid}' : tenantId),
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${at}/oauth2/authorize`,
    device_authorization_endpoint: `${at}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${at}/oauth2/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'nonce',
      'email',
      'given_name',
      'family_name',
      'nickname',
    ],
    check_session_iframe: `${at}/oauth2/checksession`,
    userinfo_endpoint: `${at}/openid/userinfo`,
    kerberos_endpoint: `${at}/kerberos`,
    ...CLOUD,
  };
}

/**
 * The signing keys. `issuer` (v2.0 keys only): the tenant's v2.0 issuer for a tenant's keys, the `{tenantid}`
 * template for the tenant-independent ones.
 */
export function jwks(signing: CertificateAndKey, issuer?: string): { keys: Array<Record<string, unknown>> } {
  const jwk = signing.publicKey.export({ format: 'jwk' });
  const kid = keyIdOf(signing);
  return {
    keys: [
      {
        kty: 'RSA',
        use: 'sig',
        kid,
        x5t: kid,
        n: jwk.n,
        e: jwk.e,
        x5c: [signing.certBase64],
        ...(issuer ? { issuer } : {}),
        cloud_instance_name: 'microsoftonline.com',
      },
    ],
  };
}
