// Closing the picker's menu when the user moves elsewhere: a press outside it, or focus moving to another element of
// the page. Not while a write is under way (its consent popup takes focus away from the page for a while).
import type { ReactiveController } from 'lit';
import type { Host } from '../shared/client-controller.js';

export interface LightDismissOptions {
  open(): boolean;
  busy(): boolean;
  close(): void;
}

export class LightDismiss implements ReactiveController {
  constructor(
    private readonly host: Host & { renderRoot: HTMLElement | DocumentFragment },
    private readonly options: LightDismissOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('pointerdown', this.onPress, true);
  }

  hostDisconnected(): void {
    document.removeEventListener('pointerdown', this.onPress, true);
  }

  /** For the host's `focusout`: focus gone to another element of the page (not to another window) closes the menu. */
  readonly onFocusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (to && !this.host.renderRoot.contains(to) && this.dismissable()) this.options.close();
  };

  private readonly onPress = (event: Event): void => {
    if (!event.composedPath().includes(this.host) && this.dismissable()) this.options.close();
  };

  private dismissable(): boolean {
    return this.options.open() && !this.options.busy();
  }
}
