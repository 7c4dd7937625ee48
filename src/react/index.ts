'use client';
// Generated from custom-elements.json by scripts/framework-types.mjs (`npm run analyze`): do not edit.
/**
 * React components for every element, made with `@lit/react`: props are set as properties once the element is
 * in the page (also after server-rendered HTML is hydrated, where React drops custom-element properties) and
 * `onPresenceChange`-style props listen to the element's events.
 *
 * Importing this module registers the tags in the browser (side effect, listed in package.json `sideEffects`);
 * on a server with no `customElements` it registers nothing.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  PresenceAlerts as PresenceAlertsElement,
  PresenceAvatar as PresenceAvatarElement,
  PresenceBadge as PresenceBadgeElement,
  PresenceCard as PresenceCardElement,
  PresenceProvider as PresenceProviderElement,
  PresenceSignIn as PresenceSignInElement,
  PresenceStatusPicker as PresenceStatusPickerElement,
  TeamPresenceList as TeamPresenceListElement,
} from '../index.js';
import type { PresenceEventMap } from '../events/index.js';

type PresenceEventName<K extends keyof PresenceEventMap> = EventName<CustomEvent<PresenceEventMap[K]>>;

/** React props of a wrapper: React's own (ref, key, className, style, children...), the element's, its events. */
type WrapperProps<E extends HTMLElement, P> = Omit<React.HTMLAttributes<E>, keyof P> & P & React.RefAttributes<E>;

/** Listens to one event: `(event: CustomEvent<detail>) => void`. */
type Listener<K extends keyof PresenceEventMap> = (event: CustomEvent<PresenceEventMap[K]>) => void;

const presenceAction = 'presence-action' as PresenceEventName<'presence-action'>;
const presenceAlert = 'presence-alert' as PresenceEventName<'presence-alert'>;
const presenceAvailable = 'presence-available' as PresenceEventName<'presence-available'>;
const presenceChange = 'presence-change' as PresenceEventName<'presence-change'>;
const presenceError = 'presence-error' as PresenceEventName<'presence-error'>;
const presenceSelect = 'presence-select' as PresenceEventName<'presence-select'>;
const presenceSignedIn = 'presence-signed-in' as PresenceEventName<'presence-signed-in'>;
const presenceSignedOut = 'presence-signed-out' as PresenceEventName<'presence-signed-out'>;

const elements: Array<[string, CustomElementConstructor]> = [
  ['presence-alerts', PresenceAlertsElement],
  ['presence-avatar', PresenceAvatarElement],
  ['presence-badge', PresenceBadgeElement],
  ['presence-card', PresenceCardElement],
  ['presence-provider', PresenceProviderElement],
  ['presence-sign-in', PresenceSignInElement],
  ['presence-status-picker', PresenceStatusPickerElement],
  ['team-presence-list', TeamPresenceListElement],
];
if (typeof customElements !== 'undefined') {
  for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);
}

/** Props of {@link PresenceAlerts}: the element's properties and a listener per event it sends. */
export type PresenceAlertsProps = Partial<Pick<PresenceAlertsElement, 'duration' | 'hideList'>> & {
  onPresenceAlert?: Listener<'presence-alert'>;
};

/**
 * `<presence-alerts>` as a React component. "Notify me when available": a toast when someone the user waits for
 * becomes available, and the list of people waited for.
 */
export const PresenceAlerts: React.ForwardRefExoticComponent<WrapperProps<PresenceAlertsElement, PresenceAlertsProps>> =
  createComponent({
    react: React,
    tagName: 'presence-alerts',
    elementClass: PresenceAlertsElement,
    displayName: 'PresenceAlerts',
    events: { onPresenceAlert: presenceAlert },
  });

/** Props of {@link PresenceAvatar}: the element's properties and a listener per event it sends. */
export type PresenceAvatarProps = Partial<
  Pick<
    PresenceAvatarElement,
    | 'userId'
    | 'displayName'
    | 'presence'
    | 'photoUrl'
    | 'size'
    | 'shape'
    | 'showName'
    | 'showStatus'
    | 'hideBadge'
    | 'notifyWhenAvailable'
    | 'card'
  >
> & {
  onPresenceError?: Listener<'presence-error'>;
  onPresenceChange?: Listener<'presence-change'>;
  onPresenceAvailable?: Listener<'presence-available'>;
};

/**
 * `<presence-avatar>` as a React component. A person's photo, or initials on a colour of their own, with a
 * Teams-style presence badge.
 */
export const PresenceAvatar: React.ForwardRefExoticComponent<WrapperProps<PresenceAvatarElement, PresenceAvatarProps>> =
  createComponent({
    react: React,
    tagName: 'presence-avatar',
    elementClass: PresenceAvatarElement,
    displayName: 'PresenceAvatar',
    events: {
      onPresenceError: presenceError,
      onPresenceChange: presenceChange,
      onPresenceAvailable: presenceAvailable,
    },
  });

/** Props of {@link PresenceBadge}: the element's properties and a listener per event it sends. */
export type PresenceBadgeProps = Partial<
  Pick<PresenceBadgeElement, 'status' | 'outOfOffice' | 'presence' | 'size' | 'label' | 'decorative'>
> & { onPresenceError?: Listener<'presence-error'> };

/**
 * `<presence-badge>` as a React component. A Teams-style presence badge: the coloured glyph for a status, with an
 * accessible name.
 */
export const PresenceBadge: React.ForwardRefExoticComponent<WrapperProps<PresenceBadgeElement, PresenceBadgeProps>> =
  createComponent({
    react: React,
    tagName: 'presence-badge',
    elementClass: PresenceBadgeElement,
    displayName: 'PresenceBadge',
    events: { onPresenceError: presenceError },
  });

/** Props of {@link PresenceCard}: the element's properties and a listener per event it sends. */
export type PresenceCardProps = Partial<Pick<PresenceCardElement, 'userId' | 'open'>> & {
  onPresenceAction?: Listener<'presence-action'>;
};

/**
 * `<presence-card>` as a React component. A person's contact card: photo, name, job title, presence, status message
 * and automatic reply, with Teams actions (chat, call, video call), email, and "Notify me when available".
 */
export const PresenceCard: React.ForwardRefExoticComponent<WrapperProps<PresenceCardElement, PresenceCardProps>> =
  createComponent({
    react: React,
    tagName: 'presence-card',
    elementClass: PresenceCardElement,
    displayName: 'PresenceCard',
    events: { onPresenceAction: presenceAction },
  });

/** Props of {@link PresenceProvider}: the element's properties and a listener per event it sends. */
export type PresenceProviderProps = Partial<
  Pick<
    PresenceProviderElement,
    | 'client'
    | 'demo'
    | 'clientId'
    | 'tenant'
    | 'authority'
    | 'redirectUri'
    | 'transport'
    | 'negotiateUrl'
    | 'relayScope'
    | 'interval'
    | 'graphBaseUrl'
  >
> & { onPresenceError?: Listener<'presence-error'> };

/**
 * `<presence-provider>` as a React component. Gives a presence client to every element inside it: a demo tenant, or
 * Microsoft Graph signed in with MSAL.
 */
export const PresenceProvider: React.ForwardRefExoticComponent<
  WrapperProps<PresenceProviderElement, PresenceProviderProps>
> = createComponent({
  react: React,
  tagName: 'presence-provider',
  elementClass: PresenceProviderElement,
  displayName: 'PresenceProvider',
  events: { onPresenceError: presenceError },
});

/** Props of {@link PresenceSignIn}: the element's properties and a listener per event it sends. */
export type PresenceSignInProps = Partial<Pick<PresenceSignInElement, never>> & {
  onPresenceSignedIn?: Listener<'presence-signed-in'>;
  onPresenceSignedOut?: Listener<'presence-signed-out'>;
  onPresenceError?: Listener<'presence-error'>;
};

/**
 * `<presence-sign-in>` as a React component. Signed out: a sign-in button. Signed in: the user's own live avatar
 * and a sign-out button.
 */
export const PresenceSignIn: React.ForwardRefExoticComponent<WrapperProps<PresenceSignInElement, PresenceSignInProps>> =
  createComponent({
    react: React,
    tagName: 'presence-sign-in',
    elementClass: PresenceSignInElement,
    displayName: 'PresenceSignIn',
    events: {
      onPresenceSignedIn: presenceSignedIn,
      onPresenceSignedOut: presenceSignedOut,
      onPresenceError: presenceError,
    },
  });

/** Props of {@link PresenceStatusPicker}: the element's properties and a listener per event it sends. */
export type PresenceStatusPickerProps = Partial<Pick<PresenceStatusPickerElement, 'open' | 'resetAfter'>> & {
  onPresenceError?: Listener<'presence-error'>;
};

/**
 * `<presence-status-picker>` as a React component. The signed-in user's own presence, live, as a menu button:
 * choose Available, Busy, Do not disturb, Be right back, Appear away or Appear offline for a while, reset it, and
 * set or clear a status message.
 */
export const PresenceStatusPicker: React.ForwardRefExoticComponent<
  WrapperProps<PresenceStatusPickerElement, PresenceStatusPickerProps>
> = createComponent({
  react: React,
  tagName: 'presence-status-picker',
  elementClass: PresenceStatusPickerElement,
  displayName: 'PresenceStatusPicker',
  events: { onPresenceError: presenceError },
});

/** Props of {@link TeamPresenceList}: the element's properties and a listener per event it sends. */
export type TeamPresenceListProps = Partial<
  Pick<TeamPresenceListElement, 'teamId' | 'groupId' | 'userIds' | 'noFilter' | 'filter' | 'card'>
> & {
  onPresenceSelect?: Listener<'presence-select'>;
  onPresenceAvailable?: Listener<'presence-available'>;
  onPresenceError?: Listener<'presence-error'>;
};

/** `<team-presence-list>` as a React component. A team's members, sorted and grouped by availability, updated live. */
export const TeamPresenceList: React.ForwardRefExoticComponent<
  WrapperProps<TeamPresenceListElement, TeamPresenceListProps>
> = createComponent({
  react: React,
  tagName: 'team-presence-list',
  elementClass: TeamPresenceListElement,
  displayName: 'TeamPresenceList',
  events: { onPresenceSelect: presenceSelect, onPresenceAvailable: presenceAvailable, onPresenceError: presenceError },
});
