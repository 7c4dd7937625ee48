import type { NotifyMessages } from '../notify-messages.js';

/** The English words of "notify me when available". */
export const enNotify: NotifyMessages = {
  notifyMe: 'Notify me when available',
  stopNotify: 'Stop notifying me',
  armed: 'you will be notified when available',
  nowAvailable: '{name} is now available',
  dismiss: 'Dismiss',
  waitingFor: 'Notify me when available ({count})',
  nobody: 'You are not waiting for anyone.',
  remove: 'Remove {name}',
  clearAll: 'Clear all',
  desktop: 'Also notify me on the desktop',
  desktopOn: 'Desktop notifications are on.',
  desktopBlocked: 'This browser blocks desktop notifications from this page.',
  keyHint: 'Press N to be notified when the selected person becomes available.',
};
