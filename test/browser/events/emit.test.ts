import { expect } from '@open-wc/testing';
import type { PresenceErrorEvent, PresenceSignedInEvent } from '../../../src/index.js';
import { emit } from '../../../src/events/emit.js';

describe('emit', () => {
  it('sends the event bubbling and composed, out of a shadow root, with its detail', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    try {
      const heard: PresenceErrorEvent[] = [];
      // Typed by the global event map: `e` is a PresenceErrorEvent, no cast.
      document.addEventListener('presence-error', (e) => heard.push(e), { once: true });
      emit(inner, 'presence-error', { kind: 'photo', message: 'the photo did not load', userId: 'u1' });
      expect(heard.length).to.equal(1);
      expect(heard[0]!.detail).to.deep.equal({ kind: 'photo', message: 'the photo did not load', userId: 'u1' });
      expect(heard[0]!.bubbles).to.equal(true);
      expect(heard[0]!.composed).to.equal(true);
    } finally {
      host.remove();
    }
  });

  it('lets listeners read every detail by the event name', () => {
    const el = document.createElement('div');
    let username = '';
    el.addEventListener('presence-signed-in', (e: PresenceSignedInEvent) => (username = e.detail.username));
    emit(el, 'presence-signed-in', { username: 'adele@contoso.example' });
    expect(username).to.equal('adele@contoso.example');
  });
});

/**
 * Type-level test, checked by `npx tsc --noEmit -p .` and never run: each call below is a compile error, and an
 * unused `@ts-expect-error` fails the check, so a detail of the wrong shape for its event can never compile.
 */
export function wrongDetails(el: EventTarget): void {
  // @ts-expect-error: a presence-error without its kind
  emit(el, 'presence-error', { message: 'no kind' });
  // @ts-expect-error: a kind no element sends
  emit(el, 'presence-error', { kind: 'oops', message: 'unknown kind' });
  // @ts-expect-error: the detail of presence-signed-in, sent as presence-change
  emit(el, 'presence-change', { username: 'adele@contoso.example' });
  // @ts-expect-error: an event that is not one of the public events
  emit(el, 'presence-nothing', {});
  // @ts-expect-error: presence-signed-out carries nothing
  emit(el, 'presence-signed-out', { username: 'adele@contoso.example' });
  // @ts-expect-error: a member event without the member
  emit(el, 'presence-select', { availability: 'Available' });
}
