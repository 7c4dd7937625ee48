import type { SVGTemplateResult } from 'lit';
import { svg } from '../shared/template.js';
import type { BadgeStatus } from '../../presence/types.js';
import type { PresenceMessages } from '../../presence/messages.js';

/**
 * The glyph a status is drawn with, on a 16 x 16 grid like Fluent's presence icons. Filled glyphs carry a white
 * mark on the status colour; out-of-office variants are outlined rings on the ring colour, so shape alone tells
 * the statuses apart (which is what Windows high-contrast mode relies on).
 */
type Glyph = 'filled' | 'ring';

const RING = svg`<circle class="ring" cx="8" cy="8" r="7.1"></circle>`;
const DISC = svg`<circle class="disc" cx="8" cy="8" r="8"></circle>`;

const marks: Record<string, SVGTemplateResult> = {
  check: svg`<path class="mark" d="M4.7 8.3l2.2 2.2 4.4-4.6"></path>`,
  bar: svg`<path class="mark" d="M4.6 8h6.8"></path>`,
  clock: svg`<path class="mark" d="M8 4.4v3.9l2.5 1.5"></path>`,
  cross: svg`<path class="mark" d="M5.7 5.7l4.6 4.6m0-4.6l-4.6 4.6"></path>`,
  arrow: svg`<path class="mark arrow" d="M11.2 8H5.3m2.4-2.5L5.2 8l2.5 2.5"></path>`,
  none: svg``,
};

function shape(status: BadgeStatus, outOfOffice: boolean): { glyph: Glyph; mark: keyof typeof marks } {
  if (status === 'out-of-office' || (outOfOffice && (status === 'away' || status === 'offline'))) {
    return { glyph: 'ring', mark: 'arrow' };
  }
  switch (status) {
    case 'available':
      return { glyph: outOfOffice ? 'ring' : 'filled', mark: 'check' };
    case 'busy':
      return { glyph: outOfOffice ? 'ring' : 'filled', mark: 'none' };
    case 'do-not-disturb':
      return { glyph: outOfOffice ? 'ring' : 'filled', mark: 'bar' };
    case 'away':
      return { glyph: 'filled', mark: 'clock' };
    case 'offline':
      return { glyph: 'ring', mark: 'cross' };
    default:
      return { glyph: 'ring', mark: 'none' };
  }
}

/** The status actually drawn: away and offline become out-of-office in their out-of-office variant. */
export function drawnStatus(status: BadgeStatus, outOfOffice: boolean): BadgeStatus {
  return outOfOffice && (status === 'away' || status === 'offline') ? 'out-of-office' : status;
}

/** The SVG of a badge. Its class names the status and variant, for styling and tests. */
export function badgeGlyph(status: BadgeStatus, outOfOffice: boolean): SVGTemplateResult {
  const drawn = drawnStatus(status, outOfOffice);
  const { glyph, mark } = shape(drawn, outOfOffice);
  return svg`<svg class="glyph ${glyph} status-${drawn}" viewBox="0 0 16 16" aria-hidden="true" focusable="false"
    data-status=${drawn} data-glyph=${glyph}>${glyph === 'filled' ? DISC : RING}${marks[mark]}</svg>`;
}

/** The words for a badge status in a locale. */
export function badgeStatusLabel(status: BadgeStatus, outOfOffice: boolean, messages: PresenceMessages): string {
  const labels: Record<BadgeStatus, string> = {
    available: messages.availability.Available,
    away: messages.availability.Away,
    busy: messages.availability.Busy,
    'do-not-disturb': messages.availability.DoNotDisturb,
    offline: messages.availability.Offline,
    'out-of-office': messages.outOfOffice,
    unknown: messages.availability.PresenceUnknown,
  };
  const label = labels[status] ?? labels.unknown;
  return outOfOffice && status !== 'out-of-office' ? `${label}${messages.separator}${messages.outOfOffice}` : label;
}
