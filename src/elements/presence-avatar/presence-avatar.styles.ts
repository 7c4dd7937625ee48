import { css, unsafeCSS } from '../shared/css.js';
import { AVATAR_COLORS } from '../../people/color.js';
import { badgeStyles } from '../presence-badge/badge.styles.js';
import { AVATAR_SIZES, namedSizeRules } from '../shared/size.js';

/**
 * One rule per palette colour, chosen by the avatar's `data-color`: a class of styles rather than a `style`
 * attribute, which a strict Content Security Policy would block. The palette is the library's own constant.
 */
const palette = unsafeCSS(
  AVATAR_COLORS.map(
    (c) =>
      `.avatar[data-color='${c.name}'] { --_bg-light: ${c.light.background}; --_fg-light: ${c.light.foreground}; ` +
      `--_bg-dark: ${c.dark.background}; --_fg-dark: ${c.dark.foreground}; }`,
  ).join('\n'),
);

export const styles = [
  badgeStyles,
  palette,
  unsafeCSS(namedSizeRules('--_size', AVATAR_SIZES)),
  css`
    :host {
      --_size: var(--presence-avatar-size, 40px);
      display: inline-block;
      vertical-align: middle;
      max-inline-size: 100%;
      font-family: var(--presence-font-family, 'Segoe UI', 'Segoe UI Web (West European)', system-ui, -apple-system, sans-serif);
    }
    :host([hidden]) {
      display: none;
    }
    .base {
      display: flex;
      align-items: center;
      gap: calc(var(--_size) * 0.3);
      min-inline-size: 0;
    }
    .avatar {
      position: relative;
      flex: none;
      inline-size: var(--_size);
      block-size: var(--_size);
      border-radius: var(--presence-avatar-radius, 50%);
      background: light-dark(var(--_bg-light), var(--_bg-dark));
      color: light-dark(var(--_fg-light), var(--_fg-dark));
    }
    :host([shape='square']) .avatar {
      border-radius: var(--presence-avatar-radius, calc(var(--_size) * 0.1 + 2px));
    }
    .initials,
    .image,
    .icon {
      position: absolute;
      inset: 0;
      border-radius: inherit;
    }
    .initials {
      display: flex;
      align-items: center;
      justify-content: center;
      overflow: hidden;
      font-size: calc(var(--_size) * 0.4);
      font-weight: 600;
      line-height: 1;
      white-space: nowrap;
      user-select: none;
      unicode-bidi: isolate;
    }
    .icon {
      inline-size: 60%;
      block-size: 60%;
      margin: auto;
      fill: currentColor;
    }
    .image {
      inline-size: 100%;
      block-size: 100%;
      object-fit: cover;
      opacity: 0;
      transition: opacity 120ms ease-out;
    }
    .image.loaded {
      opacity: 1;
    }
    .badge {
      --_badge-size: var(--presence-badge-size, clamp(8px, calc(var(--_size) * 0.3), 28px));
      position: absolute;
      inset-block-end: calc(var(--_badge-size) * -0.1);
      inset-inline-end: calc(var(--_badge-size) * -0.1);
    }
    .badge.stale .glyph {
      opacity: 0.45;
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 0 1 auto;
      min-inline-size: 0;
      overflow: hidden;
      line-height: 1.3;
    }
    .name,
    .status,
    .message {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      unicode-bidi: isolate;
      text-align: match-parent;
    }
    .name {
      color: var(--presence-name-color, light-dark(#242424, #ffffff));
      font-size: var(--presence-name-font-size, 14px);
      font-weight: 600;
    }
    .status,
    .message {
      color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
      font-size: var(--presence-status-font-size, 12px);
    }
    .message {
      font-style: italic;
    }

    @media (prefers-reduced-motion: reduce) {
      .image {
        transition: none;
      }
    }
    @media (forced-colors: active) {
      .avatar {
        background: Canvas;
        color: CanvasText;
        outline: 1px solid CanvasText;
      }
      .name,
      .status,
      .message {
        color: CanvasText;
      }
    }
  `,
];
