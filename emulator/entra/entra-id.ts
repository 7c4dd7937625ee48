// A local Microsoft Entra ID (v2.0 endpoints) over HTTPS: OIDC discovery, authorization code with PKCE, the token
// endpoint (authorization_code, refresh_token, client_credentials, on-behalf-of), JWKS, sign-out. Tokens are RS256
// with the claims and versions Entra gives them (see claims.ts), on the local cloud's clock.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import {
  applyCors,
  BodyTooLarge,
  close,
  listen,
  makeRequest,
  requestUrl,
  Router,
  sendJson,
  type Request,
} from '../shared/http.js';
import { TokenError, type JwtClaims } from '../../common/jwt.js';
import { Clock } from '../shared/clock.js';
import type { EmulatorService, ListenOptions } from '../shared/service.js';
import { makeCertificate, makeServerCertificate } from '../shared/tls.js';
import type { Tenant, TenantUser } from '../tenant/tenant.js';
import { accessTokenClaims, idTokenClaims, v1Issuer, validationTokenClaims, type TokenVersion } from './claims.js';
import { authenticateClient, JWT_BEARER, safeEqual } from './client-auth.js';
import { DEFAULT_CLIENTS, GRAPH_APP_ID, GRAPH_RESOURCE, redirectAllowed, type ClientApp } from './clients.js';
import { Consents } from './consent.js';
import { isTenantIndependent, jwks, v1Configuration, v2Configuration } from './discovery.js';
import { OAuthError } from './oauth-error.js';
import { escapeHtml } from '../shared/escape-html.js';
import { pickerPage } from './picker.js';
import { RefreshTokens, type RefreshGrant } from './refresh-tokens.js';
import { apiOwner, OIDC_SCOPES, resolveScopes, scopeNames, type ResolvedScopes } from './resources.js';
import { TokenSigner } from './signing.js';

export interface EntraEmulatorOptions extends ListenOptions {
  tenant: Tenant;
  /** A user id or UPN signed in without asking; otherwise an account picker is shown. */
  signInAs?: string;
  clients?: ClientApp[];
  /**
   * Access token lifetime. By default a random 60 to 90 minutes, as Entra assigns them
   * (https://learn.microsoft.com/entra/identity-platform/access-tokens#token-lifetime).
   */
  tokenLifetimeSeconds?: number;
  /**
   * Scopes each user must consent to, per app, in an interactive sign-in (a popup or redirect to `/authorize`)
   * before a silent request gets them. Until then a refresh-token, authorization-code or on-behalf-of request for
   * one answers `invalid_grant` AADSTS65001 with suberror `consent_required`, and `/authorize` with `prompt=none`
   * answers `consent_required`, as Entra ID does when an app asks for more than the user granted. Graph's scopes are
   * named bare (`TeamMember.Read.All`), other APIs' in full (`api://<app>/access_as_user`). Default none.
   */
  consentRequired?: string[];
  /** The local cloud's clock (shared with the Graph emulator, moved by the control API). */
  clock?: Clock;
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

function sha256base64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export class EntraIdEmulator implements EmulatorService {
  readonly tenant: Tenant;
  readonly clients = new Map<string, ClientApp>();
  readonly clock: Clock;
  private readonly router = new Router();
  private server: Server | undefined;
  private baseUrl = '';
  private signer: TokenSigner | undefined;
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new RefreshTokens();
  private readonly sessions = new Map<string, string>();
  private readonly consents: Consents;
  /** Users whose sign-in sessions were revoked, and when (seconds): tokens issued before are refused. */
  private readonly revoked = new Map<string, number>();
  signInAs: string | undefined;

  constructor(private readonly options: EntraEmulatorOptions) {
    this.tenant = options.tenant;
    this.signInAs = options.signInAs;
    this.clock = options.clock ?? new Clock();
    for (const client of options.clients ?? DEFAULT_CLIENTS) this.clients.set(client.clientId, client);
    this.consents = new Consents((scopes) => this.resolve(scopes));
    this.consents.require(options.consentRequired ?? []);
    this.routes();
  }

  /** Milliseconds since the epoch, on the local cloud's clock. */
  private now(): number {
    return this.clock.now();
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private resolve(scopes: string[]): ResolvedScopes {
    return resolveScopes(scopes, this.clients.values());
  }

  // ---- consent ----

  /**
   * Sets the scopes that need each user's interactive consent (see `consentRequired`), and forgets every consent
   * given so far, so a test starts from users who granted nothing of them.
   */
  requireConsent(scopes: string[]): void {
    this.consents.require(scopes);
  }

  /** The scopes that need consent, in lower case. */
  get scopesRequiringConsent(): string[] {
    return this.consents.requiredScopes;
  }

  /** The scopes needing consent that a user has granted an app. */
  consentsOf(clientId: string, userId: string): string[] {
    return this.consents.of(clientId, userId);
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The authority to give MSAL: `https://127.0.0.1:PORT/<tenant id>`. */
  get authority(): string {
    return `${this.baseUrl}/${this.tenant.id}`;
  }

  /** The issuer of v2.0 tokens (and of ID tokens): the stand-in for `https://login.microsoftonline.com/{tid}/v2.0`. */
  get issuer(): string {
    return `${this.baseUrl}/${this.tenant.id}/v2.0`;
  }

  /** The issuer of v1.0 tokens (Graph's, and those of APIs keeping the default token version): `https://sts.windows.net/{tid}/`. */
  get v1Issuer(): string {
    return v1Issuer(this.tenant.id);
  }

  /** Both issuers, v2.0 first: what an API accepting either version of token trusts. */
  get issuers(): string[] {
    return [this.issuer, this.v1Issuer];
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
    this.signer = new TokenSigner(await makeCertificate('presence-elements-entra-signing'));
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => void this.handle(req, res));
    const host = this.options.host ?? '127.0.0.1';
    const port = await listen(this.server, this.options.port ?? 0, host, this.options);
    this.baseUrl = `https://${host}:${port}`;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  // ---- keys and tokens, also used in-process by the Graph emulator and the relay ----

  /** The tenant's signing keys, as `/{tenant}/discovery/v2.0/keys` publishes them. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return jwks(this.signer!.certificate, this.issuer);
  }

  /**
   * Signs claims; v1.0 tokens carry `x5t` (the same value as `kid`) in their header, as Entra's do, and Graph's tokens
   * a header `nonce` that keeps anyone but Graph from validating them (see signing.ts).
   */
  sign(claims: JwtClaims, version: TokenVersion = '2.0'): string {
    const forGraph = claims.aud === GRAPH_RESOURCE || claims.aud === GRAPH_APP_ID;
    return this.signer!.sign(claims, { version, forGraph });
  }

  /**
   * Revokes a user's sign-in sessions, as Graph's `revokeSignInSessions` does: their refresh tokens and session cookies
   * stop working, access tokens issued before now are refused (as continuous access evaluation does), and a silent
   * sign-in (`prompt=none`) answers `login_required` until they sign in interactively again.
   */
  revokeSignInSessions(userId: string): { refreshTokens: number; sessions: number } {
    const user = this.tenant.user(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const refreshTokens = this.refreshTokens.revokeUser(user.id, this.now());
    let sessions = 0;
    for (const [session, id] of this.sessions) if (id === user.id && this.sessions.delete(session)) sessions++;
    this.revoked.set(user.id, this.seconds());
    return { refreshTokens, sessions };
  }

  /**
   * Verifies a token this emulator issued: signature, issuer (v1.0 or v2.0, matching its `ver`), audience, lifetime
   * on the local cloud's clock; and scopes when asked.
   */
  verifyAccessToken(
    token: string,
    options: { audience: string | string[]; requiredScopes?: string[]; allowAppTokens?: boolean },
  ): JwtClaims {
    const { claims } = this.signer!.verify(token, {
      audience: options.audience,
      issuer: this.issuers,
      clockTolerance: 0,
      now: this.seconds(),
    });
    if ((claims.ver === '1.0') !== (claims.iss === this.v1Issuer))
      throw new TokenError('bad_issuer', `a version ${String(claims.ver)} token from ${String(claims.iss)}`);
    const revokedAt = typeof claims.oid === 'string' ? this.revoked.get(claims.oid) : undefined;
    if (revokedAt !== undefined && typeof claims.iat === 'number' && claims.iat < revokedAt)
      throw new TokenError('expired', "The user's sessions were revoked after this token was issued.");
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!scopes.length && !options.allowAppTokens)
      throw new TokenError('missing_claim', 'An app-only token is not accepted here: a user token is required.');
    if (options.requiredScopes?.length && scopes.length && !options.requiredScopes.some((s) => scopes.includes(s))) {
      throw new TokenError('missing_claim', `The token has none of the scopes ${options.requiredScopes.join(', ')}.`);
    }
    return claims;
  }

  /** A validation token of a rich Graph notification, as Microsoft issues them for an application (v1.0). */
  issueGraphValidationToken(appId: string): string {
    return this.sign(validationTokenClaims({ tenantId: this.tenant.id, now: this.seconds(), appId }), '1.0');
  }

  /**
   * Mints a token directly (for tests and the demo): user (delegated) or app-only, for `audience` as a request would
   * name it (`https://graph.microsoft.com`, `api://<id>`); its version is the resource's.
   */
  issueToken(options: {
    userId?: string;
    clientId: string;
    audience: string;
    scopes?: string[];
    roles?: string[];
    lifetimeSeconds?: number;
  }): string {
    const user = options.userId ? this.tenant.user(options.userId) : undefined;
    if (options.userId && !user) throw new Error(`no user ${options.userId}`);
    const owner = options.audience === GRAPH_RESOURCE ? undefined : apiOwner(options.audience, this.clients.values());
    return this.accessToken(
      options.clientId,
      user,
      { audience: options.audience, owner, scopes: options.scopes ?? [] },
      options.roles,
      options.lifetimeSeconds,
    );
  }

  private lifetime(): number {
    return this.options.tokenLifetimeSeconds ?? 3600 + Math.floor(Math.random() * 1801);
  }

  private accessToken(
    clientId: string,
    user: TenantUser | undefined,
    target: { audience: string; owner?: ClientApp | undefined; scopes: string[] },
    roles?: string[],
    lifetime?: number,
  ): string {
    const { claims, version } = accessTokenClaims({
      tenantId: this.tenant.id,
      v2Issuer: this.issuer,
      now: this.seconds(),
      lifetimeSeconds: lifetime ?? this.lifetime(),
      clientId,
      confidential: Boolean(this.clients.get(clientId)?.secret),
      audience: target.audience,
      owner: target.owner,
      user,
      scopes: target.scopes,
      ...(roles ? { roles } : {}),
    });
    return this.sign(claims, version);
  }

  private clientInfo(user: TenantUser): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: this.tenant.id })).toString('base64url');
  }

  /** The token response of a user sign-in or refresh; a refresh continues `previous`'s line of refresh tokens. */
  private tokenResponse(
    client: ClientApp,
    user: TenantUser,
    requested: string[],
    nonce: string | null,
    previous?: RefreshGrant,
  ): Record<string, unknown> {
    const resolved = this.resolve(requested);
    const lifetime = this.lifetime();
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopeNames(resolved)
        .concat(requested.filter((s) => OIDC_SCOPES.has(s)))
        .join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.accessToken(client.clientId, user, resolved, undefined, lifetime),
    };
    if (requested.includes('offline_access') || client.type === 'spa') {
      response.refresh_token = this.refreshTokens.issue(
        { clientId: client.clientId, userId: user.id, scopes: requested, spa: client.type === 'spa' },
        this.now(),
        previous,
      );
    }
    if (requested.includes('openid'))
      response.id_token = this.sign(
        idTokenClaims({
          tenantId: this.tenant.id,
          v2Issuer: this.issuer,
          now: this.seconds(),
          clientId: client.clientId,
          user,
          nonce,
        }),
      );
    response.client_info = this.clientInfo(user);
    return response;
  }

  // ---- HTTP ----

  private routes(): void {
    const r = this.router;
    r.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
      this.knownTenant(req.params.tenant!);
      sendJson(res, 200, v2Configuration(this.baseUrl, req.params.tenant!, this.tenant.id));
    });
    r.on('GET', '/:tenant/.well-known/openid-configuration', (req, res) => {
      this.knownTenant(req.params.tenant!);
      sendJson(res, 200, v1Configuration(this.baseUrl, req.params.tenant!, this.tenant.id));
    });
    r.on('GET', '/:tenant/discovery/v2.0/keys', (req, res) => {
      this.knownTenant(req.params.tenant!);
      const independent = isTenantIndependent(req.params.tenant!);
      sendJson(res, 200, jwks(this.signer!.certificate, independent ? `${this.baseUrl}/{tenantid}/v2.0` : this.issuer));
    });
    r.on('GET', '/:tenant/discovery/keys', (req, res) => {
      this.knownTenant(req.params.tenant!);
      sendJson(res, 200, jwks(this.signer!.certificate));
    });
    r.on('GET', '/common/discovery/instance', (_req, res) => {
      sendJson(res, 200, {
        tenant_discovery_endpoint: `${this.baseUrl}/${this.tenant.id}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: this.host, preferred_cache: this.host, aliases: [this.host] }],
      });
    });
    r.on('GET', '/:tenant/oauth2/v2.0/authorize', (req, res) =>
      this.authorize(req, res, Object.fromEntries(req.url.searchParams)),
    );
    r.on('POST', '/:tenant/oauth2/v2.0/authorize', async (req, res) =>
      this.authorize(req, res, Object.fromEntries(new URLSearchParams(await req.text()))),
    );
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
      // https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request: the URI "must
      // match one of the redirect URIs registered for your application"; any other gets the signed-out page.
      if (target && [...this.clients.values()].some((client) => redirectAllowed(client, target))) {
        res.writeHead(302, { ...headers, location: target });
        res.end();
      } else {
        html(res, 200, '<!doctype html><title>Signed out</title><p>You have signed out.</p>', headers);
      }
    });
  }

  private knownTenant(tenant: string): void {
    const known = [this.tenant.id, 'common', 'organizations', this.tenant.domain];
    if (!known.includes(tenant.toLowerCase()))
      throw new OAuthError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
  }

  private sessionOf(req: Request): string | undefined {
    const cookie = req.headers.cookie ?? '';
    const match = /(?:^|;\s*)esctx=([^;]+)/.exec(cookie);
    return match && this.sessions.has(match[1]!) ? match[1] : undefined;
  }

  private authorize(req: Request, res: ServerResponse, params: Record<string, string>): void {
    this.knownTenant(req.params.tenant!);
    const client = this.clients.get(params.client_id ?? '');
    if (!client)
      return html(
        res,
        400,
        `<!doctype html><p>AADSTS700016: Application with identifier '${escapeHtml(params.client_id ?? '')}' was not found in the directory.</p>`,
      );
    const redirectUri = params.redirect_uri ?? '';
    if (!redirectAllowed(client, redirectUri)) {
      return html(
        res,
        400,
        `<!doctype html><p>AADSTS50011: The redirect URI '${escapeHtml(redirectUri)}' specified in the request does not match the redirect URIs configured for the application.</p>`,
      );
    }
    const mode = params.response_mode ?? 'query';
    const fail = (error: string, description: string) =>
      this.reply(res, redirectUri, mode, { error, error_description: description, state: params.state ?? '' });
    if (params.response_type !== 'code')
      return fail('unsupported_response_type', 'AADSTS700054: response_type must be code.');
    if (client.type === 'spa' && (!params.code_challenge || params.code_challenge_method !== 'S256')) {
      return fail(
        'invalid_request',
        'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption (code_challenge with method S256).',
      );
    }
    const scopes = (params.scope ?? '').split(/\s+/).filter(Boolean);
    try {
      this.resolve(scopes);
    } catch (error) {
      return fail(
        (error as OAuthError).error ?? 'invalid_scope',
        (error as OAuthError).description?.() ?? (error as Error).message,
      );
    }

    const session = this.sessionOf(req);
    let userId: string | undefined;
    if (params.prompt === 'none') {
      // A silent request (a hidden iframe) has only the session cookie to go on: no picker, no automatic sign-in
      // (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code).
      userId = session ? this.sessions.get(session) : undefined;
      if (!userId)
        return fail('login_required', 'AADSTS50058: A silent sign-in request was sent but no user is signed in.');
    } else {
      if (params.selected_user && req.method === 'POST') userId = this.tenant.user(params.selected_user)?.id;
      else if (params.prompt !== 'login' && params.prompt !== 'select_account' && session)
        userId = this.sessions.get(session);
      if (!userId && params.prompt !== 'select_account' && this.signInAs) userId = this.tenant.user(this.signInAs)?.id;
      if (!userId && params.login_hint && params.prompt !== 'select_account')
        userId = this.tenant.user(params.login_hint)?.id;
      if (!userId) return html(res, 200, pickerPage(this.tenant.users.slice(0, 18), params, req.path));
    }
    const user = this.tenant.user(userId)!;
    if (params.prompt === 'none') {
      // A silent request (a hidden iframe) cannot ask for consent.
      if (this.consents.missing(client.clientId, user.id, scopes).length)
        return fail('consent_required', Consents.error(client).description());
    } else {
      // An interactive request: the user consents to what the app asks for (Entra would show its consent page here).
      this.consents.grant(client.clientId, user.id, scopes);
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
      expires: this.now() + 10 * 60_000,
    });
    this.reply(
      res,
      redirectUri,
      mode,
      { code, client_info: this.clientInfo(user), state: params.state ?? '', session_state: sessionId },
      {
        'set-cookie': `esctx=${sessionId}; Path=/; Secure; HttpOnly; SameSite=None`,
      },
    );
  }

  private reply(
    res: ServerResponse,
    redirectUri: string,
    mode: string,
    values: Record<string, string>,
    headers: Record<string, string> = {},
  ): void {
    if (mode === 'form_post') {
      const inputs = Object.entries(values)
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('');
      return html(
        res,
        200,
        `<!doctype html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form></body>`,
        headers,
      );
    }
    const target = new URL(redirectUri);
    const encoded = new URLSearchParams(values).toString();
    if (mode === 'fragment') target.hash = encoded;
    else for (const [k, v] of Object.entries(values)) target.searchParams.set(k, v);
    res.writeHead(302, { ...headers, location: target.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  private async token(req: Request, form: URLSearchParams): Promise<Record<string, unknown>> {
    const grant = form.get('grant_type');
    const client = authenticateClient(form, req.headers, grant, this.clients, this.tenant.domain);
    const requestedScopes = (fallback: string[]) =>
      (form.get('scope') ?? fallback.join(' ')).split(/\s+/).filter(Boolean);
    switch (grant) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const stored = this.codes.get(code);
        this.codes.delete(code);
        if (!stored || stored.expires < this.now() || stored.clientId !== client.clientId) {
          throw new OAuthError(
            400,
            'invalid_grant',
            70008,
            'The provided authorization code or refresh token has expired due to inactivity, or was already redeemed.',
          );
        }
        if (stored.redirectUri !== form.get('redirect_uri'))
          throw new OAuthError(
            400,
            'invalid_grant',
            50011,
            'The redirect URI does not match the one used to obtain the authorization code.',
          );
        if (stored.challenge) {
          const verifier = form.get('code_verifier') ?? '';
          if (!verifier || !safeEqual(sha256base64url(verifier), stored.challenge))
            throw new OAuthError(
              400,
              'invalid_grant',
              501481,
              'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
            );
        }
        const requested = requestedScopes(stored.scopes);
        this.consents.check(client, stored.userId, requested);
        return this.tokenResponse(client, this.tenant.user(stored.userId)!, requested, stored.nonce);
      }
      case 'refresh_token': {
        const stored = this.refreshTokens.redeem(form.get('refresh_token') ?? '', client.clientId, this.now());
        const requested = requestedScopes(stored.scopes);
        this.consents.check(client, stored.userId, requested);
        // A new refresh token comes with the answer; the one presented stays usable (Entra does not revoke it).
        return this.tokenResponse(client, this.tenant.user(stored.userId)!, requested, null, stored);
      }
      case 'client_credentials': {
        if (client.type !== 'web')
          throw new OAuthError(
            400,
            'unauthorized_client',
            700025,
            'Client is public so neither client_assertion nor client_secret should be presented.',
          );
        const scope = form.get('scope') ?? '';
        if (!/\/\.default$/.test(scope))
          throw new OAuthError(
            400,
            'invalid_scope',
            1002012,
            'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
          );
        const resolved = this.resolve([scope]);
        const lifetime = this.lifetime();
        const roles = resolved.resource === GRAPH_RESOURCE ? (client.graphRoles ?? []) : [];
        return {
          token_type: 'Bearer',
          expires_in: lifetime,
          ext_expires_in: lifetime,
          access_token: this.accessToken(client.clientId, undefined, resolved, roles, lifetime),
        };
      }
      case JWT_BEARER:
        return this.onBehalfOf(client, form);
      default:
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          70003,
          `The app requested an unsupported grant type '${grant}'.`,
        );
    }
  }

  /** On-behalf-of: a user's token for the client's API, exchanged for a token for another resource. */
  private onBehalfOf(client: ClientApp, form: URLSearchParams): Record<string, unknown> {
    if (form.get('requested_token_use') !== 'on_behalf_of')
      throw new OAuthError(400, 'invalid_request', 50027, 'requested_token_use must be on_behalf_of.');
    const assertion = form.get('assertion') ?? '';
    // The assertion is a token for this client's API, of either version: `aud` its App ID URI (v1.0) or client id.
    const apiAudiences = (client.exposedScopes ?? []).map((s) => s.replace(/\/[^/]+$/, ''));
    let claims: JwtClaims;
    try {
      claims = this.signer!.verify(assertion, {
        audience: [...apiAudiences, client.clientId],
        issuer: this.issuers,
        now: this.seconds(),
      }).claims;
    } catch (error) {
      throw new OAuthError(
        400,
        'invalid_grant',
        50013,
        `Assertion failed signature validation or is not valid: ${(error as Error).message}`,
      );
    }
    const user =
      typeof claims.oid === 'string' && typeof claims.scp === 'string' ? this.tenant.user(claims.oid) : undefined;
    if (!user) throw new OAuthError(400, 'invalid_grant', 50013, 'The assertion is not a user token.');
    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const resolved = this.resolve(requested);
    this.consents.check(client, user.id, requested);
    const lifetime = this.lifetime();
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopeNames(resolved).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.accessToken(client.clientId, user, resolved, undefined, lifetime),
    };
    if (requested.includes('offline_access')) {
      response.refresh_token = this.refreshTokens.issue(
        { clientId: client.clientId, userId: user.id, scopes: requested, spa: false },
        this.now(),
      );
    }
    return response;
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(raw, res)) return;
    if (!requestUrl(raw, 'https://x')) {
      const error = new OAuthError(
        400,
        'invalid_request',
        9002313,
        'Invalid request. Request is malformed or invalid.',
      );
      return sendJson(res, 400, error.body(this.now()));
    }
    if (await this.options.faults?.apply('entra', raw, res)) return;
    const req = makeRequest(raw, this.baseUrl || 'https://x');
    const found = this.router.match(req.method, req.path);
    if (!found) return sendJson(res, 404, { error: 'not_found', error_description: `No endpoint at ${req.path}` });
    if (found === 'method') {
      const allow = this.router.allowed(req.path);
      const message = `The endpoint only accepts ${allow} requests. Received a ${req.method} request.`;
      return sendJson(res, 405, new OAuthError(405, 'invalid_request', 900561, message).body(this.now()), { allow });
    }
    req.params = found.params;
    try {
      await found.handler(req, res);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const oauth = new OAuthError(
          413,
          'invalid_request',
          9002313,
          'Invalid request. The request body is too large.',
        );
        return sendJson(res, 413, oauth.body(this.now()), error.headers);
      }
      const oauth =
        error instanceof OAuthError ? error : new OAuthError(500, 'server_error', 90000, (error as Error).message);
      sendJson(res, oauth.status, oauth.body(this.now()));
    }
  }
}
