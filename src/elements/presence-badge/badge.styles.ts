import { css } from '../shared/css.js';

/**
 * The look of a badge, shared by `<presence-badge>` and the badge inside `<presence-avatar>`. Status colours are
 * Fluent v9's palette tokens as Teams uses them; every one can be overridden with a custom property.
 */
export const badgeStyles = css`
  .badge {
    --_available: var(--presence-color-available, #13a10e);
    --_busy: var(--presence-color-busy, #d13438);
    --_dnd: var(--presence-color-do-not-disturb, #d13438);
    --_away: var(--presence-color-away, #eaa300);
    --_offline: var(--presence-color-offline, light-dark(#616161, #adadad));
    --_oof: var(--presence-color-out-of-office, light-dark(#c239b3, #d24cc4));
    --_unknown: var(--presence-color-unknown, light-dark(#616161, #adadad));
    --_ring: var(--presence-badge-ring-color, light-dark(#ffffff, #292929));
    --_mark: var(--presence-badge-mark-color, #ffffff);
    display: inline-flex;
    box-sizing: border-box;
    inline-size: var(--_badge-size);
    block-size: var(--_badge-size);
    border-radius: 50%;
    background: var(--_ring);
    box-shadow: 0 0 0 var(--presence-badge-ring-width, max(1px, calc(var(--_badge-size) / 12))) var(--_ring);
    line-height: 0;
    forced-color-adjust: none;
  }
  .glyph {
    inline-size: 100%;
    block-size: 100%;
    overflow: visible;
    --_color: var(--_unknown);
  }
  .status-available { --_color: var(--_available); }
  .status-busy { --_color: var(--_busy); }
  .status-do-not-disturb { --_color: var(--_dnd); }
  .status-away { --_color: var(--_away); }
  .status-offline { --_color: var(--_offline); }
  .status-out-of-office { --_color: var(--_oof); }
  .disc { fill: var(--_color); }
  .ring { fill: var(--_ring); stroke: var(--_color); stroke-width: 1.8; }
  .mark { fill: none; stroke-width: 1.6; stroke-linecap: round; stroke-linejoin: round; }
  .filled .mark { stroke: var(--_mark); }
  .ring ~ .mark { stroke: var(--_color); }
  :host(:dir(rtl)) .arrow { transform: scaleX(-1); transform-origin: center; }

  @media (forced-colors: active) {
    .badge { --_ring: Canvas; --_mark: Canvas; }
    .glyph { --_color: CanvasText !important; }
  }
`;
