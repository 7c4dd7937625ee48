import { text } from '../shared/coerce.js';

/** `off`; `click`: click, Enter or Space open the card; `hover`: also pointing or focusing, after a delay. */
export type CardMode = 'off' | 'click' | 'hover';

/** The `card` attribute or property, whatever its type: absent, `false` or `off` is off; `hover` is hover. */
export function cardMode(value: unknown): CardMode {
  if (value === null || value === undefined || value === false) return 'off';
  const word = text(value)?.trim().toLowerCase();
  if (word === 'false' || word === 'off') return 'off';
  return word === 'hover' ? 'hover' : 'click';
}
