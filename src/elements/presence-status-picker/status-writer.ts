// The picker's writes of the user's own presence: one at a time, consent asked for during the click that started
// them, failures kept for the menu to show and sent as `presence-error`.
import type { ReactiveController } from 'lit';
import type { OwnPresence } from '../../client/own-presence.js';
import type { PresenceClient } from '../../client/presence-client.js';
import { emit } from '../../events/emit.js';
import type { Host } from '../shared/client-controller.js';

/** Why the last write failed: `consent` (with the scopes, and whether this page can ask for them) or `write`. */
export interface WriteFailure {
  kind: 'consent' | 'write';
  message: string;
  scopes?: string[];
  canGrant?: boolean;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The user refused the consent a write needed: a consent failure, with the scopes asked for. */
class ConsentRefused extends Error {
  constructor(
    readonly scopes: string[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs a write through `client.myPresence` for the host. A write that needs consent (`ConsentRequiredError`) is
 * granted with `client.grant(scopes)`, called at once so the click's user activation still lets its popup open,
 * then tried once more. Nothing is shown as written until the client reads it back: the host shows `saving` meanwhile.
 */
export class StatusWriter implements ReactiveController {
  /** The key of the write under way (the choice being saved), or null. */
  saving: string | null = null;
  failure: WriteFailure | null = null;

  constructor(
    private readonly host: Host,
    private readonly client: () => PresenceClient | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Forgets the last failure (the menu closed, or the user moved on). */
  dismiss(): void {
    if (!this.failure) return;
    this.failure = null;
    this.host.requestUpdate();
  }

  /** Runs `write`; true when it was written. Ignored (false) while another write is under way. */
  async run(key: string, write: (own: OwnPresence) => Promise<void>): Promise<boolean> {
    const client = this.client();
    if (!client || this.saving) return false;
    this.saving = key;
    this.failure = null;
    this.host.requestUpdate();
    try {
      await this.withConsent(client, write);
      return true;
    } catch (error) {
      const scopes = error instanceof ConsentRefused ? error.scopes : client.consentNeededFor(error);
      this.failure = scopes
        ? { kind: 'consent', message: messageOf(error), scopes, canGrant: client.canGrant }
        : { kind: 'write', message: messageOf(error) };
      const { kind, message } = this.failure;
      emit(this.host, 'presence-error', scopes ? { kind, message, scopes } : { kind, message });
      return false;
    } finally {
      this.saving = null;
      this.host.requestUpdate();
    }
  }

  private async withConsent(client: PresenceClient, write: (own: OwnPresence) => Promise<void>): Promise<void> {
    try {
      await write(client.myPresence);
      return;
    } catch (error) {
      const scopes = client.consentNeededFor(error);
      if (!scopes || !client.canGrant) throw error;
      try {
        // No await before it since the write failed: the click's user activation still allows the consent popup.
        await client.grant(scopes);
      } catch (refused) {
        throw new ConsentRefused(scopes, `Consent to ${scopes.join(', ')} was not given: ${messageOf(refused)}`);
      }
    }
    // Granted: once more, and only once.
    await write(client.myPresence);
  }
}
