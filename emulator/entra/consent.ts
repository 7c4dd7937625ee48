// What each user has consented to, per app, for the scopes a test says need consent: Entra refuses a silent request
// for a scope the user has not granted (AADSTS65001, suberror `consent_required`) until an interactive sign-in asks
// for it ("Permissions and consent", https://learn.microsoft.com/entra/identity-platform/permissions-consent-overview).
import { GRAPH_RESOURCE, type ClientApp } from './clients.js';
import { OAuthError } from './oauth-error.js';
import { OIDC_SCOPES, type ResolvedScopes } from './resources.js';

export class Consents {
  /** Scopes needing consent (lower case, as `keys` names them), and what each user granted each app. */
  private required = new Set<string>();
  private readonly granted = new Map<string, Set<string>>();

  constructor(private readonly resolve: (scopes: string[]) => ResolvedScopes) {}

  /** Sets the scopes that need each user's interactive consent, and forgets every consent given so far. */
  require(scopes: string[]): void {
    this.required = new Set(
      scopes
        .flatMap((s) => s.split(/[\s,]+/))
        .filter(Boolean)
        .flatMap((s) => this.keys([s])),
    );
    this.granted.clear();
  }

  /** The scopes that need consent, in lower case. */
  get requiredScopes(): string[] {
    return [...this.required];
  }

  /** The scopes needing consent that a user has granted an app. */
  of(clientId: string, userId: string): string[] {
    return [...(this.granted.get(`${clientId}|${userId}`) ?? [])];
  }

  /** How consent is keyed: Graph's scopes bare, other resources' in full, in lower case; OIDC scopes left out. */
  private keys(scopes: string[]): string[] {
    let resolved: ResolvedScopes;
    try {
      resolved = this.resolve(scopes);
    } catch {
      return scopes.filter((s) => !OIDC_SCOPES.has(s)).map((s) => s.toLowerCase());
    }
    if (!scopes.some((s) => !OIDC_SCOPES.has(s))) return [];
    return resolved.scopes.map((s) =>
      (resolved.resource === GRAPH_RESOURCE ? s : `${resolved.resource}/${s}`).toLowerCase(),
    );
  }

  /** The scopes asked for that need consent the user has not given the app. */
  missing(clientId: string, userId: string, scopes: string[]): string[] {
    if (this.required.size === 0) return [];
    const granted = this.granted.get(`${clientId}|${userId}`);
    return this.keys(scopes).filter((s) => this.required.has(s) && !granted?.has(s));
  }

  /** An interactive request: the user consents to what the app asks for. */
  grant(clientId: string, userId: string, scopes: string[]): void {
    const key = `${clientId}|${userId}`;
    const granted = this.granted.get(key) ?? new Set<string>();
    for (const scope of this.keys(scopes)) if (this.required.has(scope)) granted.add(scope);
    this.granted.set(key, granted);
  }

  /** Entra's answer to a silent request for scopes the user has not consented to. */
  static error(client: ClientApp): OAuthError {
    return new OAuthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${client.clientId}' named '${client.name}'. Send an interactive authorization request for this user and resource.`,
      'consent_required',
    );
  }

  /** Throws Entra's error when the user has not consented to a scope asked for. */
  check(client: ClientApp, userId: string, scopes: string[]): void {
    if (this.missing(client.clientId, userId, scopes).length) throw Consents.error(client);
  }
}
