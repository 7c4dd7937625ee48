import type { LitElement } from 'lit';
import type { PresenceClient } from '../../client/presence-client.js';
import type { WatchOptions } from '../../client/types.js';
import { cardMode } from '../presence-card/card-mode.js';
import type { CardOpener } from '../presence-card/card-opener.js';
import type { Host } from '../shared/client-controller.js';
import type { NotifyController } from '../shared/notify-controller.js';
import type { PersonController } from '../shared/person-controller.js';

/** What the avatar asks of its extras. */
export interface ExtrasSettings {
  /** The `card` setting. */
  card: unknown;
  userId: unknown;
  /** `notify-when-available`. */
  notify: boolean;
  /** The person to watch through the client, and to notify about (none when the presence is given). */
  key: string | null | undefined;
  /** What to load with the person besides the presence. */
  watch: WatchOptions;
}

type PersonModule = typeof import('../shared/person-controller.js');

/**
 * The person controller's module, loaded once for every avatar: the avatars waiting for it go on together, so that
 * their asks for presence still share one batch, and an avatar made once it is here gets it at once. A failed load
 * is forgotten (said on the console; the avatar shows what it was given), so that a later update tries again.
 */
let personModule: PersonModule | undefined;
let loadingPerson: Promise<void> | undefined;

function loadPerson(): Promise<void> {
  return (loadingPerson ??= import('../shared/person-controller.js').then(
    (module) => void (personModule = module),
    (error: unknown) => {
      loadingPerson = undefined;
      console.error('<presence-avatar>: the code that watches a person could not be loaded:', error);
    },
  ));
}

/**
 * The parts of an avatar most pages never use, each loaded with `import()` the first time the avatar turns it on,
 * then kept (to stop watching, close the card, or disarm): the live person, its client found through the nearest
 * `<presence-provider>` or the page's default (`user-id` and no `presence`), its card opener (`card`) and "notify
 * me" (`notify-when-available`). An avatar given its presence loads none of them.
 */
export class AvatarExtras {
  person: PersonController | undefined;
  card: CardOpener | undefined;
  notify: NotifyController | undefined;
  private loadingCard: Promise<void> | undefined;
  private loadingNotify: Promise<void> | undefined;

  constructor(
    private readonly host: LitElement,
    private readonly settings: () => ExtrasSettings,
  ) {}

  /** The client the live person is watched through, once there is one. */
  get client(): PresenceClient | undefined {
    return this.person?.client;
  }

  /** Undefined when every part turned on is here; else a promise settled once they are. */
  ready(): Promise<unknown> | undefined {
    const { card, notify, key } = this.settings();
    const waiting: Array<Promise<void>> = [];
    if (!this.person && key?.trim()) {
      const made = () => {
        if (personModule && !this.person)
          this.person = new personModule.PersonController(this.host as LitElement & Host, () => this.settings().watch);
      };
      if (personModule) made();
      else waiting.push(loadPerson().then(made));
    }
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
            const { key, notify: on } = this.settings();
            return { client: this.client, key, on };
          });
        })),
      );
    return waiting.length ? Promise.all(waiting) : undefined;
  }
}
