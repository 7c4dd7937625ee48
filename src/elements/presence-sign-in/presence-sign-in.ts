import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { listWords } from '../../presence/locales/en-list.js';
import { ClientController } from '../shared/client-controller.js';
import type { PresenceClient } from '../../client/presence-client.js';
import type { SignedInAccount, TokenProvider } from '../../auth/token-provider.js';
import { emit } from '../../events/emit.js';
import { LocaleController } from '../shared/locale-controller.js';
import { ownState } from '../shared/own-state.js';
import '../shared/server-render.js';

type SignInCapable = Required<Pick<TokenProvider, 'signIn' | 'signOut' | 'account'>>;

/** The client's token provider when it can sign in and out (`msalTokenProvider` can), else undefined. */
function signInCapable(auth: TokenProvider | undefined): SignInCapable | undefined {
  const a = auth as Partial<SignInCapable> | undefined;
  return typeof a?.signIn === 'function' && typeof a.signOut === 'function' && typeof a.account === 'function'
    ? (a as SignInCapable)
    : undefined;
}

/** What `signIn()` resolved with, when it is an account (a redirect resolves with none: the page leaves). */
function accountOf(value: unknown): SignedInAccount | null {
  const a = value as Partial<SignedInAccount> | null | undefined;
  return typeof a === 'object' && a !== null && typeof a.username === 'string' ? (a as SignedInAccount) : null;
}

/**
 * @summary Signed out: a sign-in button. Signed in: the user's own live avatar and a sign-out button.
 *
 * @tag presence-sign-in
 *
 * Uses the sign-in of its client's token provider (`msalTokenProvider`); with a demo client it shows the demo user.
 *
 * @event {PresenceSignedInEvent} presence-signed-in - The user signed in; `detail.username` says who.
 * @event {PresenceSignedOutEvent} presence-signed-out - The user signed out.
 * @event {PresenceErrorEvent} presence-error - Sign-in (`kind: 'sign-in'`) or sign-out (`kind: 'sign-out'`) failed.
 *   Bubbles and is composed.
 *
 * @csspart button - The sign-in or sign-out button.
 * @csspart avatar - The signed-in user's avatar.
 *
 * @cssproperty --presence-font-family - The buttons' font (Segoe UI, then the system font).
 * @cssproperty [--presence-sign-in-color=#0f6cbd] - The sign-in button's background.
 */
export class PresenceSignIn extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 12px;
      font-family: var(--presence-font-family, 'Segoe UI', system-ui, -apple-system, sans-serif);
    }
    button {
      font: inherit;
      font-size: 14px;
      font-weight: 600;
      padding: 5px 12px;
      border-radius: 4px;
      border: 1px solid light-dark(#d1d1d1, #666666);
      background: light-dark(#ffffff, #292929);
      color: light-dark(#242424, #ffffff);
      cursor: pointer;
    }
    button.primary {
      background: var(--presence-sign-in-color, #0f6cbd);
      border-color: transparent;
      color: #ffffff;
    }
    button:focus-visible {
      outline: 2px solid light-dark(#0f6cbd, #479ef5);
      outline-offset: 2px;
    }
  `;

  // The reactive properties, declared here rather than with decorators, whose code would be one more file to load.
  static override properties = {
    ...ownState('account', 'busy'),
  };

  private account: SignedInAccount | null = null;
  private busy = false;

  private readonly locale = new LocaleController(this);

  /** Renders once the words of its language are here (a locale loaded on demand): never English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waiting = this.locale.ready();
    return waiting ? waiting.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  private readonly clients = new ClientController(this, () => void this.refresh());
  private stopErrors: (() => void) | undefined;
  private listening: PresenceClient | undefined;

  private get client(): PresenceClient | undefined {
    return this.clients.client;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopErrors?.();
    this.stopErrors = undefined;
    this.listening = undefined;
  }

  /**
   * Asks again who is signed in after the client's calls fail (the session may have ended: the sign-in button
   * comes back) and after `reload()` (which an app calls once it has signed in by itself).
   */
  private follow(client: PresenceClient | undefined): void {
    if (this.listening === client) return;
    this.stopErrors?.();
    this.stopErrors = undefined;
    this.listening = client;
    if (!client) return;
    const stops = [client.onError(() => void this.refresh()), client.onReload(() => void this.refresh())];
    this.stopErrors = () => stops.forEach((stop) => stop());
  }

  private async refresh(): Promise<void> {
    this.follow(this.client);
    const auth = signInCapable(this.client?.auth);
    if (auth) {
      const account = await auth.account().catch(() => null);
      this.account = account ? { username: account.username, name: account.name } : null;
    } else {
      // A client without interactive sign-in (demo, or a token of the app's own) is always "signed in".
      this.account = this.client ? { username: 'me' } : null;
    }
  }

  private async signIn(): Promise<void> {
    const auth = signInCapable(this.client?.auth);
    if (!auth) return;
    this.busy = true;
    try {
      const account = accountOf(await auth.signIn());
      if (account) {
        this.account = { username: account.username, name: account.name };
        // Everything that failed while signed out is asked for again.
        this.client?.reload();
        emit(this, 'presence-signed-in', { username: account.username });
      }
    } catch (error) {
      emit(this, 'presence-error', { kind: 'sign-in', message: (error as Error).message });
    } finally {
      this.busy = false;
    }
  }

  private async signOut(): Promise<void> {
    const auth = signInCapable(this.client?.auth);
    if (!auth) return;
    this.busy = true;
    try {
      await auth.signOut();
      this.account = null;
      // The signed-out account's alerts stop (its saved list stays).
      void this.client?.alerts.checkAccount();
      emit(this, 'presence-signed-out', {});
    } catch (error) {
      emit(this, 'presence-error', { kind: 'sign-out', message: (error as Error).message });
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    const m = listWords(this.locale.messages);
    const canSignIn = !!signInCapable(this.client?.auth);
    if (!this.account) {
      return html`<button part="button" class="primary" ?disabled=${this.busy || !canSignIn} @click=${this.signIn}>${m.signIn}</button>`;
    }
    return html`<presence-avatar part="avatar" user-id="me" show-name show-status></presence-avatar>
      ${canSignIn ? html`<button part="button" ?disabled=${this.busy} @click=${this.signOut}>${m.signOut}</button>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'presence-sign-in': PresenceSignIn;
  }
}
