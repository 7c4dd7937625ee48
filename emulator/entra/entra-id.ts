// A local Microsoft Entra ID (v2 endpoints) over HTTPS: OIDC discovery, authorization code with PKCE, the token
// endpoint (authorization_code, refresh_token, client_credentials, on-behalf-of), JWKS, sign-out. Tokens are RS256
// with the claims Entra puts in them.
import { createHash, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { applyCors, close, listen, makeRequest, Router, sendJson, type Request } from '../shared/http.js';
import { signRs256, TokenError, verifyRs256, type JwtClaims } from '../../common/jwt.js';
import type { EmulatorService, ListenOptions } from '../shared/service.js';
import { makeCertificate, makeServerCertificate, type CertificateAndKey } from '../shared/tls.js';
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import { DEFAULT_CLIENTS, GRAPH_APP_ID, GRAPH_RESOURCE, redirectAllowed, type ClientApp } from './clients.js';
import { pickerPage } from './picker.js';

export interface EntraEmulatorOptions extends ListenOptions {
  tenant: Tenant;
  /** A user id or UPN signed in without asking; otherwise an account picker is shown. */
  signInAs?: string;
  clients?: ClientApp[];
  /** Access token lifetime. Default 3,600 s. */
  tokenLifetimeSeconds?: number;
  /**
   * Scopes each user must consent to, per app, in an interactive sign-in (a popup or redirect to `/authorize`)
   * before a silent request gets them. Until then a refresh-token, authorization-code or on-behalf-of request for
   * one answers `invalid_grant` AADSTS65001 with suberror `consent_required`, and `/authorize` with `prompt=none`
   * answers `consent_required`, as Entra ID does when an app asks for more than the user granted. Graph's scopes are
   * named bare (`TeamMember.Read.All`), other APIs' in full (`api://<app>/access_as_user`). Default none.
   */
  consentRequired?: string[];
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  nonce: string | null;
  challenge: string | null;
  expires: number;
}

interface RefreshGrant { clientId: string; userId: string; scopes: string[]; expires: number }

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEFAULT_GRAPH_SCOPES = ['User.Read', 'User.ReadBasic.All', 'Presence.Read', 'Presence.Read.All', 'Presence.ReadWrite', 'TeamMember.Read.All', 'GroupMember.Read.All'];
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** An OAuth error in Entra's shape. */
class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly code: number, message: string, readonly suberror?: string) {
    super(message);
  }
  body(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      error: this.error,
      error_description: `AADSTS${this.code}: ${this.message} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [this.code],
      timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    };
    if (this.suberror) body.suberror = this.suberror;
    return body;
  }
}

function sha256base64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export class EntraIdEmulator implements EmulatorService {
  readonly tenant: Tenant;
  readonly clients = new Map<string, ClientApp>();
  private readonly router = new Router();
  private server: Server | undefined;
  private baseUrl = '';
  private signing: CertificateAndKey | undefined;
  private kid = '';
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly sessions = new Map<string, string>();
  /** Scopes needing consent (lower case, as `consentKeys` names them), and what each user granted each app. */
  private consentRequired = new Set<string>();
  private readonly consents = new Map<string, Set<string>>();
  /** Users whose sign-in sessions were revoked, and when (seconds): tokens issued before are refused. */
  private readonly revoked = new Map<string, number>();
  /** Revoked users who have not signed in interactively since. */
  private readonly mustSignIn = new Set<string>();
  signInAs: string | undefined;

  constructor(private readonly options: EntraEmulatorOptions) {
    this.tenant = options.tenant;
    this.signInAs = options.signInAs;
    for (const client of options.clients ?? DEFAULT_CLIENTS) this.clients.set(client.clientId, client);
    this.requireConsent(options.consentRequired ?? []);
    this.routes();
  }

  // ---- consent ----

  /**
   * Sets the scopes that need each user's interactive consent (see `consentRequired`), and forgets every consent
   * given so far, so a test starts from users who granted nothing of them.
   */
  requireConsent(scopes: string[]): void {
    this.consentRequired = new Set(scopes.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean).flatMap((s) => this.consentKeys([s])));
    this.consents.clear();
  }

  /** The scopes that need consent, in lower case. */
  get scopesRequiringConsent(): string[] {
    return [...this.consentRequired];
  }

  /** The scopes needing consent that a user has granted an app. */
  consentsOf(clientId: string, userId: string): string[] {
    return [...(this.consents.get(`${clientId}|${userId}`) ?? [])];
  }

  /** How consent is keyed: Graph's scopes bare, other resources' in full, in lower case; OIDC scopes left out. */
  private consentKeys(scopes: string[]): string[] {
    let resolved: { audience: string; scopes: string[] };
    try {
      resolved = this.resourceScopes(scopes);
    } catch {
      return scopes.filter((s) => !OIDC_SCOPES.has(s)).map((s) => s.toLowerCase());
    }
    if (!scopes.some((s) => !OIDC_SCOPES.has(s))) return [];
    return resolved.scopes.map((s) => (resolved.audience === GRAPH_RESOURCE ? s : `${resolved.audience}/${s}`).toLowerCase());
  }

  private missingConsent(clientId: string, userId: string, scopes: string[]): string[] {
    if (this.consentRequired.size === 0) return [];
    const granted = this.consents.get(`${clientId}|${userId}`);
    return this.consentKeys(scopes).filter((s) => this.consentRequired.has(s) && !granted?.has(s));
  }

  private grantConsent(clientId: string, userId: string, scopes: string[]): void {
    const key = `${clientId}|${userId}`;
    const granted = this.consents.get(key) ?? new Set<string>();
    for (const scope of this.consentKeys(scopes)) if (this.consentRequired.has(scope)) granted.add(scope);
    this.consents.set(key, granted);
  }

  /** Entra's answer to a silent request for scopes the user has not consented to. */
  private consentError(client: ClientApp): OAuthError {
    return new OAuthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${client.clientId}' named '${client.name}'. Send an interactive authorization request for this user and resource.`,
      'consent_required',
    );
  }

  private checkConsent(client: ClientApp, userId: string, scopes: string[]): void {
    if (this.missingConsent(client.clientId, userId, scopes).length) throw this.consentError(client);
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The authority to give MSAL: `https://127.0.0.1:PORT/<tenant id>`. */
  get authority(): string {
    return `${this.baseUrl}/${this.tenant.id}`;
  }

  get issuer(): string {
    return `${this.baseUrl}/${this.tenant.id}/v2.0`;
  }

  /** `host:port`, for MSAL's `knownAuthorities`. */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  /** The PEM certificate the emulator serves HTTPS with (for clients that must trust it). */
  tlsCertificate = '';

  async start(): Promise<void> {
    const tls = this.options.tls ?? (await makeServerCertificate());
    this.tlsCertificate = tls.cert;
    this.signing = await makeCertificate('presence-elements-entra-signing');
    this.kid = this.signing.thumbprint.slice(0, 27);
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => void this.handle(req, res));
    const host = this.options.host ?? '127.0.0.1';
    const port = await listen(this.server, this.options.port ?? 0, host);
    this.baseUrl = `https://${host}:${port}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  // ---- keys and tokens, also used in-process by the Graph emulator and the relay ----

  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.signing!.publicKey.export({ format: 'jwk' });
    return {
      keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: Buffer.from(this.signing!.thumbprint, 'hex').toString('base64url'), n: jwk.n, e: jwk.e, x5c: [this.signing!.certBase64], issuer: this.issuer }],
    };
  }

  publicKeyFor(kid: string | undefined): KeyObject | undefined {
    return kid === this.kid ? this.signing!.publicKey : undefined;
  }

  sign(claims: JwtClaims): string {
    return signRs256(claims, this.signing!.privateKey, this.kid);
  }

  /**
   * Revokes a user's sign-in sessions, as Graph's `revokeSignInSessions` does: their refresh tokens and session cookies
   * stop working, access tokens issued before now are refused (as continuous access evaluation does), and a silent
   * sign-in (`prompt=none`) answers `login_required` until they sign in interactively again.
   */
  revokeSignInSessions(userId: string): { refreshTokens: number; sessions: number } {
    const user = this.tenant.user(userId);
    if (!user) throw new Error(`no user ${userId}`);
    let refreshTokens = 0;
    let sessions = 0;
    for (const [token, grant] of this.refreshTokens) if (grant.userId === user.id && this.refreshTokens.delete(token)) refreshTokens++;
    for (const [session, id] of this.sessions) if (id === user.id && this.sessions.delete(session)) sessions++;
    this.revoked.set(user.id, Math.floor(Date.now() / 1000));
    this.mustSignIn.add(user.id);
    return { refreshTokens, sessions };
  }

  /** Verifies a token this emulator issued: signature, issuer, audience, lifetime; and scopes when asked. */
  verifyAccessToken(token: string, options: { audience: string | string[]; requiredScopes?: string[]; allowAppTokens?: boolean }): JwtClaims {
    const { claims } = verifyRs256(token, (kid) => this.publicKeyFor(kid), { audience: options.audience, issuer: this.issuer, clockTolerance: 0 });
    const revokedAt = typeof claims.oid === 'string' ? this.revoked.get(claims.oid) : undefined;
    if (revokedAt !== undefined && typeof claims.iat === 'number' && claims.iat < revokedAt) throw new TokenError('expired', 'The user\'s sessions were revoked after this token was issued.');
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!scopes.length && !options.allowAppTokens) throw new TokenError('missing_claim', 'An app-only token is not accepted here: a user token is required.');
    if (options.requiredScopes?.length && scopes.length && !options.requiredScopes.some((s) => scopes.includes(s))) {
      throw new TokenError('missing_claim', `The token has none of the scopes ${options.requiredScopes.join(', ')}.`);
    }
    return claims;
  }

  /** A validation token of a rich Graph notification, as Microsoft issues them for an application. */
  issueGraphValidationToken(appId: string): string {
    const now = Math.floor(Date.now() / 1000);
    return this.sign({ aud: appId, iss: this.issuer, iat: now, nbf: now, exp: now + 3600, azp: '0bf30f3b-4a52-48df-9a82-234910c4a086', azpacr: '2', tid: this.tenant.id, ver: '2.0', oid: randomUUID() });
  }

  /** Mints a token directly (for tests and the demo): user (delegated) or app-only. */
  issueToken(options: { userId?: string; clientId: string; audience: string; scopes?: string[]; roles?: string[]; lifetimeSeconds?: number }): string {
    const user = options.userId ? this.tenant.user(options.userId) : undefined;
    if (options.userId && !user) throw new Error(`no user ${options.userId}`);
    return this.accessToken(options.clientId, user, options.audience, options.scopes ?? [], options.roles, options.lifetimeSeconds);
  }

  private accessToken(clientId: string, user: TenantUser | undefined, audience: string, scopes: string[], roles?: string[], lifetime?: number): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = {
      aud: audience,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + (lifetime ?? this.options.tokenLifetimeSeconds ?? 3600),
      tid: this.tenant.id,
      azp: clientId,
      appid: clientId,
      azpacr: this.clients.get(clientId)?.secret ? '1' : '0',
      ver: '2.0',
      uti: randomBytes(16).toString('base64url'),
    };
    if (user) {
      Object.assign(claims, { oid: user.id, sub: sha256base64url(`${user.id}/${clientId}`).slice(0, 43), name: user.displayName, preferred_username: user.userPrincipalName, upn: user.userPrincipalName, scp: scopes.join(' ') });
    } else {
      Object.assign(claims, { oid: sha256base64url(`app/${clientId}`).slice(0, 36), sub: clientId, roles: roles ?? [], idtyp: 'app' });
    }
    return this.sign(claims);
  }

  private idToken(client: ClientApp, user: TenantUser, nonce: string | null): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = {
      aud: client.clientId,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: this.tenant.id,
      oid: user.id,
      sub: sha256base64url(`${user.id}/${client.clientId}`).slice(0, 43),
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      ver: '2.0',
      uti: randomBytes(16).toString('base64url'),
    };
    if (nonce) claims.nonce = nonce;
    return this.sign(claims);
  }

  private clientInfo(user: TenantUser): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: this.tenant.id })).toString('base64url');
  }

  /** Splits requested scopes into OIDC scopes and one resource's scopes (Entra refuses several resources at once). */
  private resourceScopes(scopes: string[]): { audience: string; scopes: string[] } {
    const resources = new Map<string, string[]>();
    for (const scope of scopes) {
      if (OIDC_SCOPES.has(scope)) continue;
      const match = /^(.*)\/([^/]+)$/.exec(scope);
      let resource = GRAPH_RESOURCE;
      let name = scope;
      if (match && (match[1]!.startsWith('api://') || match[1]!.startsWith('http'))) {
        resource = match[1] === GRAPH_APP_ID ? GRAPH_RESOURCE : match[1]!;
        name = match[2]!;
      }
      const list = resources.get(resource) ?? [];
      list.push(name);
      resources.set(resource, list);
    }
    if (resources.size > 1) throw new OAuthError(400, 'invalid_request', 28000, 'Provided value for the input parameter scope is not valid because it contains more than one resource.');
    const [audience, names] = [...resources.entries()][0] ?? [GRAPH_RESOURCE, ['User.Read']];
    if (audience !== GRAPH_RESOURCE) {
      const owner = [...this.clients.values()].find((c) => c.exposedScopes?.some((s) => s.startsWith(`${audience}/`)));
      if (!owner) throw new OAuthError(400, 'invalid_resource', 500011, `The resource principal named ${audience} was not found in the tenant.`);
      for (const n of names) {
        if (!owner.exposedScopes!.includes(`${audience}/${n}`)) throw new OAuthError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${audience}/${n} does not exist.`);
      }
    }
    const expanded = names.includes('.default') ? (audience === GRAPH_RESOURCE ? DEFAULT_GRAPH_SCOPES : names.filter((n) => n !== '.default')) : names;
    return { audience, scopes: expanded };
  }

  private tokenResponse(client: ClientApp, user: TenantUser, requested: string[], nonce: string | null): Record<string, unknown> {
    const { audience, scopes } = this.resourceScopes(requested);
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      // Entra names Graph's scopes bare ("User.Read"), other resources' in full ("api://x/access_as_user").
      scope: scopes.map((s) => (audience === GRAPH_RESOURCE ? s : `${audience}/${s}`)).concat(requested.filter((s) => OIDC_SCOPES.has(s))).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.accessToken(client.clientId, user, audience, scopes),
      client_info: this.clientInfo(user),
    };
    if (requested.includes('openid')) response.id_token = this.idToken(client, user, nonce);
    if (requested.includes('offline_access') || client.type === 'spa') {
      const refresh = randomBytes(48).toString('base64url');
      // Refresh tokens of single-page apps last 24 hours.
      this.refreshTokens.set(refresh, { clientId: client.clientId, userId: user.id, scopes: requested, expires: Date.now() + 24 * 3600_000 });
      response.refresh_token = refresh;
    }
    return response;
  }

  // ---- HTTP ----

  private routes(): void {
    const r = this.router;
    r.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
      this.knownTenant(req.params.tenant!);
      const base = `${this.baseUrl}/${req.params.tenant}`;
      sendJson(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: this.issuer,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${this.baseUrl}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      });
    });
    r.on('GET', '/:tenant/discovery/v2.0/keys', (req, res) => {
      this.knownTenant(req.params.tenant!);
      sendJson(res, 200, this.jwks());
    });
    r.on('GET', '/common/discovery/instance', (_req, res) => {
      sendJson(res, 200, {
        tenant_discovery_endpoint: `${this.baseUrl}/${this.tenant.id}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: this.host, preferred_cache: this.host, aliases: [this.host] }],
      });
    });
    r.on('GET', '/:tenant/oauth2/v2.0/authorize', (req, res) => this.authorize(req, res, Object.fromEntries(req.url.searchParams)));
    r.on('POST', '/:tenant/oauth2/v2.0/authorize', async (req, res) => this.authorize(req, res, Object.fromEntries(new URLSearchParams(await req.text()))));
    r.on('POST', '/:tenant/oauth2/v2.0/token', async (req, res) => {
      this.knownTenant(req.params.tenant!);
      const form = new URLSearchParams(await req.text());
      sendJson(res, 200, await this.token(req, form), { 'cache-control': 'no-store', pragma: 'no-cache' });
    });
    r.on('GET', '/:tenant/oauth2/v2.0/logout', (req, res) => {
      const session = this.sessionOf(req);
      if (session) this.sessions.delete(session);
      const target = req.url.searchParams.get('post_logout_redirect_uri');
      const headers = { 'set-cookie': 'esctx=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0' };
      if (target) {
        res.writeHead(302, { ...headers, location: target });
        res.end();
      } else {
        html(res, 200, '<!doctype html><title>Signed out</title><p>You have signed out.</p>', headers);
      }
    });
  }

  private knownTenant(tenant: string): void {
    const known = [this.tenant.id, 'common', 'organizations', this.tenant.domain];
    if (!known.includes(tenant.toLowerCase())) throw new OAuthError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
  }

  private sessionOf(req: Request): string | undefined {
    const cookie = req.headers.cookie ?? '';
    const match = /(?:^|;\s*)esctx=([^;]+)/.exec(cookie);
    return match && this.sessions.has(match[1]!) ? match[1] : undefined;
  }

  private authorize(req: Request, res: ServerResponse, params: Record<string, string>): void {
    this.knownTenant(req.params.tenant!);
    const client = this.clients.get(params.client_id ?? '');
    if (!client) return html(res, 400, `<!doctype html><p>AADSTS700016: Application with identifier '${escapeHtml(params.client_id ?? '')}' was not found in the directory.</p>`);
    const redirectUri = params.redirect_uri ?? '';
    if (!redirectAllowed(client, redirectUri)) {
      return html(res, 400, `<!doctype html><p>AADSTS50011: The redirect URI '${escapeHtml(redirectUri)}' specified in the request does not match the redirect URIs configured for the application.</p>`);
    }
    const mode = params.response_mode ?? 'query';
    const fail = (error: string, description: string) => this.reply(res, redirectUri, mode, { error, error_description: description, state: params.state ?? '' });
    if (params.response_type !== 'code') return fail('unsupported_response_type', 'AADSTS700054: response_type must be code.');
    if (client.type === 'spa' && (!params.code_challenge || params.code_challenge_method !== 'S256')) {
      return fail('invalid_request', 'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption (code_challenge with method S256).');
    }
    const scopes = (params.scope ?? '').split(/\s+/).filter(Boolean);
    try {
      this.resourceScopes(scopes);
    } catch (error) {
      return fail((error as OAuthError).error ?? 'invalid_scope', (error as Error).message);
    }

    let userId: string | undefined;
    const session = this.sessionOf(req);
    if (params.selected_user && req.method === 'POST') userId = this.tenant.user(params.selected_user)?.id;
    else if (params.prompt !== 'login' && params.prompt !== 'select_account' && session) userId = this.sessions.get(session);
    if (!userId && params.prompt !== 'select_account' && this.signInAs) userId = this.tenant.user(this.signInAs)?.id;
    if (!userId && params.login_hint && params.prompt !== 'select_account') userId = this.tenant.user(params.login_hint)?.id;
    // Revoked sessions: only an interactive sign-in (not prompt=none) brings the user back.
    if (userId && this.mustSignIn.has(userId)) {
      if (params.prompt === 'none') userId = undefined;
      else this.mustSignIn.delete(userId);
    }
    if (!userId) {
      if (params.prompt === 'none') return fail('login_required', 'AADSTS50058: A silent sign-in request was sent but no user is signed in.');
      return html(res, 200, pickerPage(this.tenant.users.slice(0, 18), params, req.path));
    }
    const user = this.tenant.user(userId)!;
    if (params.prompt === 'none') {
      // A silent request (a hidden iframe) cannot ask for consent.
      if (this.missingConsent(client.clientId, user.id, scopes).length) return fail('consent_required', `AADSTS65001: ${this.consentError(client).message}`);
    } else {
      // An interactive request: the user consents to what the app asks for (Entra would show its consent page here).
      this.grantConsent(client.clientId, user.id, scopes);
    }
    const sessionId = randomBytes(24).toString('base64url');
    this.sessions.set(sessionId, user.id);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      userId: user.id,
      scopes,
      nonce: params.nonce ?? null,
      challenge: params.code_challenge ?? null,
      expires: Date.now() + 10 * 60_000,
    });
    this.reply(res, redirectUri, mode, { code, client_info: this.clientInfo(user), state: params.state ?? '', session_state: sessionId }, {
      'set-cookie': `esctx=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None`,
    });
  }

  private reply(res: ServerResponse, redirectUri: string, mode: string, values: Record<string, string>, headers: Record<string, string> = {}): void {
    if (mode === 'form_post') {
      const inputs = Object.entries(values).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      return html(res, 200, `<!doctype html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form></body>`, headers);
    }
    const target = new URL(redirectUri);
    const encoded = new URLSearchParams(values).toString();
    if (mode === 'fragment') target.hash = encoded;
    else for (const [k, v] of Object.entries(values)) target.searchParams.set(k, v);
    res.writeHead(302, { ...headers, location: target.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  private authenticateClient(client: ClientApp, form: URLSearchParams, req: Request, grant: string | null): void {
    const missing = () => new OAuthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (client.type !== 'web') {
      // On-behalf-of turns one user's token into another, so Entra lets only a confidential client that proves who it
      // is do it: a SPA holds no credential, and anyone holding a user token could otherwise redeem it for Graph.
      if (grant !== JWT_BEARER) return;
      if (form.get('client_secret') || form.get('client_assertion')) throw new OAuthError(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
      throw missing();
    }
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!secret && basic) secret = decodeURIComponent(Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[1] ?? '');
    if (!secret) {
      // The emulated apps have secrets and no certificates, so no client assertion can be valid.
      if (form.get('client_assertion')) throw new OAuthError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
      throw missing();
    }
    if (!client.secret || !safeEqual(secret, client.secret)) {
      throw new OAuthError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    }
  }

  private async token(req: Request, form: URLSearchParams): Promise<Record<string, unknown>> {
    const grant = form.get('grant_type');
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client) throw new OAuthError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`);
    if (client.type === 'spa' && grant !== 'client_credentials' && !req.headers.origin) {
      throw new OAuthError(400, 'invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
    }
    this.authenticateClient(client, form, req, grant);
    switch (grant) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const stored = this.codes.get(code);
        this.codes.delete(code);
        if (!stored || stored.expires < Date.now() || stored.clientId !== client.clientId) {
          throw new OAuthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity, or was already redeemed.');
        }
        if (stored.redirectUri !== form.get('redirect_uri')) throw new OAuthError(400, 'invalid_grant', 50011, 'The redirect URI does not match the one used to obtain the authorization code.');
        if (stored.challenge) {
          const verifier = form.get('code_verifier') ?? '';
          if (!verifier || !safeEqual(sha256base64url(verifier), stored.challenge)) throw new OAuthError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        }
        const requested = (form.get('scope') ?? stored.scopes.join(' ')).split(/\s+/).filter(Boolean);
        this.checkConsent(client, stored.userId, requested);
        return this.tokenResponse(client, this.tenant.user(stored.userId)!, requested, stored.nonce);
      }
      case 'refresh_token': {
        const token = form.get('refresh_token') ?? '';
        const stored = this.refreshTokens.get(token);
        if (!stored || stored.expires < Date.now() || stored.clientId !== client.clientId) {
          throw new OAuthError(400, 'invalid_grant', 700082, 'The refresh token has expired or is invalid. Sign in again.');
        }
        const requested = (form.get('scope') ?? stored.scopes.join(' ')).split(/\s+/).filter(Boolean);
        // Refused before it is spent: the refresh token still serves the scopes the user did grant.
        this.checkConsent(client, stored.userId, requested);
        // Refresh tokens rotate: the old one is spent.
        this.refreshTokens.delete(token);
        return this.tokenResponse(client, this.tenant.user(stored.userId)!, requested, null);
      }
      case 'client_credentials': {
        if (client.type !== 'web') throw new OAuthError(400, 'unauthorized_client', 700025, 'Client is public so neither client_assertion nor client_secret should be presented.');
        const scope = form.get('scope') ?? '';
        if (!/\/\.default$/.test(scope)) throw new OAuthError(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.');
        const resource = scope.replace(/\/\.default$/, '');
        const audience = resource === GRAPH_APP_ID ? GRAPH_RESOURCE : resource;
        const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
        return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: this.accessToken(client.clientId, undefined, audience, [], audience === GRAPH_RESOURCE ? client.graphRoles ?? [] : []) };
      }
      case JWT_BEARER: {
        if (form.get('requested_token_use') !== 'on_behalf_of') throw new OAuthError(400, 'invalid_request', 50027, 'requested_token_use must be on_behalf_of.');
        const assertion = form.get('assertion') ?? '';
        const apiAudiences = (client.exposedScopes ?? []).map((s) => s.replace(/\/[^/]+$/, ''));
        let claims: JwtClaims;
        try {
          claims = verifyRs256(assertion, (kid) => this.publicKeyFor(kid), { audience: [...apiAudiences, client.clientId], issuer: this.issuer }).claims;
        } catch (error) {
          throw new OAuthError(400, 'invalid_grant', 50013, `Assertion failed signature validation or is not valid: ${(error as Error).message}`);
        }
        const user = typeof claims.oid === 'string' && typeof claims.scp === 'string' ? this.tenant.user(claims.oid) : undefined;
        if (!user) throw new OAuthError(400, 'invalid_grant', 50013, 'The assertion is not a user token.');
        const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
        const { audience, scopes } = this.resourceScopes(requested);
        this.checkConsent(client, user.id, requested);
        const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
        const response: Record<string, unknown> = {
          token_type: 'Bearer',
          scope: scopes.map((s) => (audience === GRAPH_RESOURCE ? s : `${audience}/${s}`)).join(' '),
          expires_in: lifetime,
          ext_expires_in: lifetime,
          access_token: this.accessToken(client.clientId, user, audience, scopes),
        };
        if (requested.includes('offline_access')) {
          const refresh = randomBytes(48).toString('base64url');
          this.refreshTokens.set(refresh, { clientId: client.clientId, userId: user.id, scopes: requested, expires: Date.now() + 90 * 24 * 3600_000 });
          response.refresh_token = refresh;
        }
        return response;
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
    }
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(raw, res)) return;
    if (await this.options.faults?.apply('entra', raw, res)) return;
    const req = makeRequest(raw, this.baseUrl || 'https://x');
    const found = this.router.match(req.method, req.path);
    if (!found || found === 'method') return sendJson(res, found ? 405 : 404, { error: 'not_found', error_description: `No endpoint at ${req.path}` });
    req.params = found.params;
    try {
      await found.handler(req, res);
    } catch (error) {
      const oauth = error instanceof OAuthError ? error : new OAuthError(500, 'server_error', 90000, (error as Error).message);
      sendJson(res, oauth.status, oauth.body());
    }
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
