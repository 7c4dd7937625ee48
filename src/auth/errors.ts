// The errors token providers throw when the user has to act. Plain classes with no dependencies, so elements can
// recognise them without loading MSAL.

/** Thrown when a token needs the user to sign in (or consent) and interaction is not allowed. */
export class SignInRequiredError extends Error {
  readonly code: string = 'sign_in_required';
  constructor(message = 'Sign-in is required.') {
    super(message);
    this.name = 'SignInRequiredError';
  }
}

/**
 * Thrown when a token for more scopes needs the user's consent (or another interactive step) while nothing the user
 * did is under way: browsers block popups opened without a click, so none is tried. Call the token provider's
 * `signIn(scopes)` from a click (`<team-presence-list>`'s "Grant access" button does), then load again.
 */
export class ConsentRequiredError extends SignInRequiredError {
  override readonly code: string = 'consent_required';
  /** The scopes that need consent. */
  readonly scopes: string[];
  constructor(scopes: readonly string[], message?: string) {
    super(
      message ?? `Access to ${scopes.join(', ') || 'more data'} needs your consent: call signIn(scopes) from a click.`,
    );
    this.name = 'ConsentRequiredError';
    this.scopes = [...scopes];
  }
}

/**
 * The scopes to ask for interactively when `error` says a token needs the user's consent: a `ConsentRequiredError`,
 * or any error with `code` `consent_required` or `interaction_required` and a `scopes` array (a token provider of
 * the app's own, or another copy of this library). Undefined for every other error.
 */
export function scopesNeedingConsent(error: unknown): string[] | undefined {
  if (error instanceof ConsentRequiredError) return error.scopes;
  const e = error as { code?: unknown; scopes?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (e.code !== 'consent_required' && e.code !== 'interaction_required') return undefined;
  if (!Array.isArray(e.scopes) || !e.scopes.every((s) => typeof s === 'string')) return undefined;
  return [...(e.scopes as string[])];
}

/**
 * Whether a gesture of the user's is under way, so that a popup may open. A browser without the User Activation API
 * is given the benefit of the doubt.
 */
export function userIsActive(): boolean {
  if (typeof navigator === 'undefined') return false;
  const activation = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation;
  return activation ? activation.isActive : true;
}
