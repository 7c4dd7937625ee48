// Delegated Graph tokens for the relay, obtained on behalf of signed-in users (OAuth 2.0 on-behalf-of) and kept
// fresh with their refresh tokens. Presence subscriptions only accept delegated tokens.
import { httpCall } from './http-client.js';

export interface TokenBrokerOptions {
  /** `https://login.microsoftonline.com/<tenant>` (or the emulator's authority). */
  authority: string;
  clientId: string;
  clientSecret: string;
  /** Extra certificate authorities to trust (the local emulator's certificate). */
  ca?: string;
  /** Milliseconds since the epoch, which `expiresAt` is counted on (the local cloud's clock); default `Date.now`. */
  now?: () => number;
}

export interface DelegatedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

const SCOPE = 'https://graph.microsoft.com/Presence.Read.All offline_access';

export class TokenBroker {
  constructor(private readonly options: TokenBrokerOptions) {}

  private async post(form: Record<string, string>): Promise<DelegatedTokens> {
    const body = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      ...form,
    }).toString();
    const reply = await httpCall(`${this.options.authority.replace(/\/+$/, '')}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      body,
      timeoutMs: 15_000,
      timeoutMessage: 'token endpoint timed out',
      httpsOnly: true,
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    });
    const json = JSON.parse(reply.text);
    if (reply.status !== 200) throw new Error(`token endpoint: ${json.error}: ${json.error_description}`);
    return {
      accessToken: json.access_token,
      ...(json.refresh_token ? { refreshToken: json.refresh_token } : {}),
      expiresAt: (this.options.now ?? Date.now)() + Number(json.expires_in ?? 3600) * 1000,
    };
  }

  /** A Graph token for the user behind `assertion` (their token for the relay's API). */
  onBehalfOf(assertion: string): Promise<DelegatedTokens> {
    return this.post({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion,
      scope: SCOPE,
    });
  }

  /** The relay's own Graph token (client credentials), for what its application permissions allow. */
  appToken(): Promise<DelegatedTokens> {
    return this.post({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
  }

  refresh(refreshToken: string): Promise<DelegatedTokens> {
    return this.post({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: SCOPE });
  }
}
