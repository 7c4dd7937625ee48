// What the picker's menu holds at a moment: its words, the choices Graph takes now, and which are checked. Pure.
import type { PresenceMessages } from '../../presence/messages.js';
import type { PickerMessages } from '../../presence/picker-messages.js';
import type { Presence } from '../../presence/types.js';
import { oneOf } from '../shared/coerce.js';
import {
  availabilityChoices,
  currentChoice,
  firstDayOfWeek,
  offeredResetAfter,
  RESET_AFTER,
  resetAfterMs,
  type AvailabilityChoice,
  type ResetAfter,
} from './choices.js';
import { menuItems, type MenuItem } from './picker-templates.js';
import { pickerWords } from './picker-words.js';

export interface PickerModel {
  words: PickerMessages;
  choices: AvailabilityChoice[];
  /** The checked "reset after", one of those offered now. */
  after: ResetAfter;
  /** It in milliseconds from `now`. */
  afterMs: number;
  firstDay: number;
  items: MenuItem[];
}

export interface PickerInput {
  messages: PresenceMessages;
  language: string | undefined;
  presence: Presence | undefined;
  /** The "reset after" the user checked in the menu, if any. */
  chosen: ResetAfter | undefined;
  /** The element's `reset-after` (any value: others are `today`). */
  initial: unknown;
  now: Date;
}

export function pickerModel(input: PickerInput): PickerModel {
  const words = pickerWords(input.messages);
  const choices = availabilityChoices(input.messages, words);
  const firstDay = firstDayOfWeek(input.language);
  const offered = offeredResetAfter(input.now, firstDay);
  const wanted = input.chosen ?? oneOf(input.initial, RESET_AFTER, 'today');
  // Late in the day "today" is too short for Graph: the longest expiry is taken instead.
  const after = offered.includes(wanted) ? wanted : 'never';
  const presence = input.presence;
  return {
    words,
    choices,
    after,
    afterMs: resetAfterMs(after, input.now, firstDay),
    firstDay,
    items: menuItems(words, choices, currentChoice(presence), offered, after, presence?.statusMessage),
  };
}
