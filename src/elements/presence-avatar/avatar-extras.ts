import type { LitElement } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import { cardMode } from '../presence-card/card-mode.js';
import type { CardOpener } from '../presence-card/card-opener.js';
import type { NotifyController } from '../shared/notify-controller.js';

/** What the avatar asks of its extras. */
export interface ExtrasSettings {
  /** The `card` setting. */
  card: unknown;
  userId: unknown;
  /** `notify-when-available`. */
  notify: boolean;
  client: PresenceClient | undefined;
  /** The person to notify about (none when the presence is given). */
  key: string | null | undefined;
}

/**
 * The parts of an avatar most pages never use, its card opener (`card`) and "notify me" (`notify-when-available`),
 * each loaded with `import()` the first time the avatar turns it on, then kept (to close the card, or disarm).
 */
export class AvatarExtras {
  card: CardOpener | undefined;
  notify: NotifyController | undefined;
  private loadingCard: Promise<void> | undefined;
  private loadingNotify: Promise<void> | undefined;

  constructor(
    private readonly host: LitElement,
    private readonly settings: () => ExtrasSettings,
  ) {}

  /** Undefined when every part turned on is here; else a promise settled once they are. */
  ready(): Promise<unknown> | undefined {
    const { card, notify } = this.settings();
    const waiting: Array<Promise<void>> = [];
    if (!this.card && cardMode(card) !== 'off')
      waiting.push(
        (this.loadingCard ??= import('../presence-card/card-opener.js').then(({ CardOpener }) => {
          this.card = new CardOpener(this.host, () => ({ mode: this.settings().card, userId: this.settings().userId }));
        })),
      );
    if (!this.notify && notify)
      waiting.push(
        (this.loadingNotify ??= import('../shared/notify-controller.js').then(({ NotifyController }) => {
          this.notify = new NotifyController(this.host, () => {
            const { client, key, notify: on } = this.settings();
            return { client, key, on };
          });
        })),
      );
    return waiting.length ? Promise.all(waiting) : undefined;
  }
}
