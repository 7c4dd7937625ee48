import { css, unsafeCSS } from '../shared/css.js';
import { BADGE_SIZES, namedSizeRules } from '../shared/size.js';
import { badgeStyles } from './badge.styles.js';

export const styles = [
  badgeStyles,
  css`
    :host {
      display: inline-block;
      vertical-align: middle;
      line-height: 0;
      --_badge-size: var(--presence-badge-size, 16px);
    }
    :host([hidden]) {
      display: none;
    }
  `,
  unsafeCSS(namedSizeRules('--_badge-size', BADGE_SIZES)),
];
