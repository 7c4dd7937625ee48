import type { CardMessages } from '../card-messages.js';

/** `<presence-card>`'s English words. */
export const enCard: Required<CardMessages> = {
  chat: 'Chat',
  call: 'Call',
  videoCall: 'Video call',
  email: 'Email',
  notify: 'Notify me when available',
  notifying: 'You will be notified when they are available',
  automaticReply: 'Automatic reply',
  actionsLabel: 'Contact {name}',
  close: 'Close',
  loading: 'Loading…',
  noSource: 'No data source',
};
