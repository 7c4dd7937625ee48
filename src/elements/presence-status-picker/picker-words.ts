// The picker's words in the element's language: a registered locale without the `picker` group (or with only some of
// its words) falls back to English word by word.
import { enPicker } from '../../presence/locales/en-picker.js';
import type { PresenceMessages } from '../../presence/messages.js';
import type { PickerMessages } from '../../presence/picker-messages.js';

export function pickerWords(messages: PresenceMessages): PickerMessages {
  const english = enPicker;
  const given = (messages.picker ?? {}) as Partial<Record<keyof PickerMessages, unknown>>;
  const words = { ...english };
  for (const key of Object.keys(english) as Array<keyof PickerMessages>) {
    const word = given[key];
    if (typeof word === 'string' && word) words[key] = word;
  }
  return words;
}

/** `template` with `{status}` replaced (by a function, so `$&` in a value is not a replacement pattern). */
export function fillStatus(template: string, status: string): string {
  return template.replace('{status}', () => status);
}
