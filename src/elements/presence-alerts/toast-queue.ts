// The toasts of <presence-alerts>: one shown at a time, the others waiting their turn; each hides by itself after a
// while, except while the pointer is over it or focus is inside it.
import type { ReactiveController } from 'lit';
import type { MemberEventDetail } from '../../events/member-detail.js';
import type { Host } from '../shared/client-controller.js';

/** The most alerts waiting behind the one shown; older ones are dropped past it. */
export const MAX_QUEUED = 20;

export class ToastQueue implements ReactiveController {
  /** The alert shown now. */
  current: MemberEventDetail | undefined;
  /** True while the pointer is over the toast or focus is inside it: it does not hide by itself. */
  paused = false;
  private readonly waiting: MemberEventDetail[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hovered = false;
  private focused = false;

  constructor(
    private readonly host: Host,
    /** How long a toast stays, in milliseconds; 0 or less: until dismissed. */
    private readonly duration: () => number,
  ) {
    host.addController(this);
  }

  /** How many alerts wait behind the one shown. */
  get queued(): number {
    return this.waiting.length;
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  hostConnected(): void {
    if (this.current) this.schedule();
  }

  show(alert: MemberEventDetail): void {
    // The same person again replaces their waiting toast rather than repeating it.
    const same = this.waiting.findIndex((a) => a.userId === alert.userId);
    if (same >= 0) this.waiting.splice(same, 1);
    if (this.current?.userId === alert.userId) this.current = alert;
    else if (this.current) this.waiting.push(alert);
    else this.current = alert;
    if (this.waiting.length > MAX_QUEUED) this.waiting.shift();
    this.schedule();
    this.host.requestUpdate();
  }

  /** Hides the toast shown (the next one, if any, comes in). */
  dismiss(): void {
    this.current = this.waiting.shift();
    this.hovered = this.focused = false;
    this.paused = false;
    this.schedule();
    this.host.requestUpdate();
  }

  /** Hides every toast. */
  clear(): void {
    this.waiting.length = 0;
    this.dismiss();
  }

  readonly onPointerEnter = (): void => this.pause('hovered', true);
  readonly onPointerLeave = (): void => this.pause('hovered', false);
  readonly onFocusIn = (): void => this.pause('focused', true);
  readonly onFocusOut = (event: FocusEvent): void => {
    const toast = event.currentTarget as HTMLElement;
    if (event.relatedTarget instanceof Node && toast.contains(event.relatedTarget)) return;
    this.pause('focused', false);
  };

  private pause(why: 'hovered' | 'focused', on: boolean): void {
    this[why] = on;
    const paused = this.hovered || this.focused;
    if (paused === this.paused) return;
    this.paused = paused;
    // Paused: no timer; resumed: the whole time again, so the toast can be read.
    this.schedule();
    this.host.requestUpdate();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ms = this.duration();
    if (!this.current || this.paused || !(ms > 0) || !this.host.isConnected) return;
    this.timer = setTimeout(() => this.dismiss(), Math.min(ms, 2 ** 31 - 1));
  }
}
