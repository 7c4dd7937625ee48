import type { PresenceMessages } from '../messages.js';

/**
 * English, the fallback of every other locale. The words of the status picker, the card, "notify me", the team list
 * and the sign-in button are in modules of their own (en-picker.ts, en-card.ts, en-notify.ts, en-list.ts), which
 * only those features load: a page of avatars does not download them. The package's entries add them to this table (locales/all.ts).
 */
export const en: PresenceMessages = {
  locale: 'en',
  dir: 'ltr',
  availability: {
    Available: 'Available',
    AvailableIdle: 'Available, idle',
    Away: 'Away',
    BeRightBack: 'Be right back',
    Busy: 'Busy',
    BusyIdle: 'Busy, idle',
    DoNotDisturb: 'Do not disturb',
    Offline: 'Offline',
    PresenceUnknown: 'Status unknown',
  },
  activity: {
    Available: 'Available',
    Away: 'Away',
    BeRightBack: 'Be right back',
    Busy: 'Busy',
    DoNotDisturb: 'Do not disturb',
    InACall: 'In a call',
    InAConferenceCall: 'In a conference call',
    Inactive: 'Inactive',
    InAMeeting: 'In a meeting',
    Offline: 'Offline',
    OffWork: 'Off work',
    OutOfOffice: 'Out of office',
    PresenceUnknown: 'Status unknown',
    Presenting: 'Presenting',
    UrgentInterruptionsOnly: 'Urgent interruptions only',
  },
  outOfOffice: 'Out of office',
  unrecognised: 'Unrecognised status “{value}”',
  unnamed: 'Unknown person',
  loadingName: 'Loading name…',
  stale: 'may be out of date',
  separator: ', ',
};
