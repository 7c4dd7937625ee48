import type { PresenceClient } from '../../client/presence-client.js';
import type { WatchOptions } from '../../client/types.js';
import { loadOnce } from '../../loading/load-once.js';
import { retryLater } from '../../loading/retry-later.js';
import { cardMode } from '../presence-card/card-mode.js';
import type { CardOpener } from '../presence-card/card-opener.js';
import type { RenderingHost } from '../shared/client-controller.js';
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
 * is not kept: each avatar waiting says so (`presence-error`, kind `load`) and tries again later (see `retryLater`).
 */
let personModule: PersonModule | undefined;
const loadPerson = /* @__PURE__ */ loadOnce('Live presence', () =>
  import('../shared/person-controller.js').then((module) => void (personModule = module)),
);
const loadCard = /* @__PURE__ */ loadOnce('The card', () => import('../presence-card/card-opener.js'));
const loadNotify = /* @__PURE__ */ loadOnce('Notify me', () => import('../shared/notify-controller.js'));

/**
 * The parts of an avatar most pages never use, each loaded with `import()` the first time the avatar turns it on,
 * then kept (to stop watching, close the card, or disarm): the live person, its client found through the nearest
 * `<presence-provider>` or the page's default (`user-id` and no `presence`), its card opener (`card`) and "notify
 * me" (`notify-when-available`). An avatar given its presence loads none of them.
 *
 * A part whose code fails to load is reported (`presence-error`, kind `load`) and left off: the avatar renders what
 * it was given, never as live. It is loaded again a few seconds later (longer after each failure, at most a
 * minute), or as soon as the browser is back online, and the avatar then renders with it.
 */
export class AvatarExtras {
  person: PersonController | undefined;
  card: CardOpener | undefined;
  notify: NotifyController | undefined;
  private failures = 0;
  private retry: (() => void) | undefined;

  /** `report` says a failed load as the avatar says its other failures (`presence-error`, kind `load`). */
  constructor(
    private readonly host: RenderingHost,
    private readonly settings: () => ExtrasSettings,
    private readonly report: (message: string) => void,
  ) {}

  /** The client the live person is watched through, once there is one. */
  get client(): PresenceClient | undefined {
    return this.person?.client;
  }

  /**
   * Undefined when every part turned on is here; else a promise settled (never rejected) once each part has loaded
   * or failed to.
   */
  ready(): Promise<unknown> | undefined {
    const { card, notify, key } = this.settings();
    const waiting: Array<Promise<void>> = [];
    if (!this.person && key?.trim()) {
      const made = () => {
        if (!personModule || this.person) return;
        this.person = new personModule.PersonController(this.host, () => this.settings().watch);
        // Made after a failed load, the user id is not new to the avatar's next update: the person is told it here.
        this.person.setKey(this.settings().key ?? null);
      };
      if (personModule) made();
      else waiting.push(loadPerson().then(made));
    }
    if (!this.card && cardMode(card) !== 'off')
      waiting.push(
        loadCard().then(({ CardOpener }) => {
          this.card ??= new CardOpener(this.host, () => ({
            mode: this.settings().card,
            userId: this.settings().userId,
          }));
        }),
      );
    if (!this.notify && notify)
      waiting.push(
        loadNotify().then(({ NotifyController }) => {
          this.notify ??= new NotifyController(this.host, () => {
            const { key, notify: on } = this.settings();
            return { client: this.client, key, on };
          });
        }),
      );
    // Each failure is said; the avatar renders again later, which loads what is still missing.
    return waiting.length
      ? Promise.all(waiting).then(
          () => (this.failures = 0),
          (error: Error) => {
            this.report(error.message);
            this.retry?.();
            this.retry = retryLater(this.failures++, () => this.host.requestUpdate());
          },
        )
      : undefined;
  }
}
