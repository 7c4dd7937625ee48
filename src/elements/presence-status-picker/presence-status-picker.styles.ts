import { visuallyHidden } from '../shared/visually-hidden.js';
import { css } from 'lit';
import { badgeStyles } from '../presence-badge/badge.styles.js';

export const styles = [
  visuallyHidden,
  badgeStyles,
  css`
    :host {
      --_bg: var(--presence-picker-background, light-dark(#ffffff, #292929));
      --_fg: var(--presence-picker-color, light-dark(#242424, #ffffff));
      --_border: var(--presence-picker-border-color, light-dark(#d1d1d1, #666666));
      --_hover: var(--presence-picker-hover-background, light-dark(#f5f5f5, #3d3d3d));
      --_accent: var(--presence-picker-accent-color, light-dark(#0f6cbd, #479ef5));
      --_radius: var(--presence-picker-radius, 4px);
      --_badge-size: var(--presence-badge-size, 12px);
      display: inline-block;
      position: relative;
      vertical-align: middle;
      font-family: var(--presence-font-family, 'Segoe UI', system-ui, -apple-system, sans-serif);
      font-size: 14px;
      color: var(--_fg);
    }
    :host([hidden]) {
      display: none;
    }
    .base {
      position: relative;
    }
    .button {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      max-inline-size: 100%;
      padding: 5px 10px;
      font: inherit;
      color: var(--_fg);
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      cursor: pointer;
    }
    .button[aria-disabled='true'] {
      cursor: not-allowed;
      opacity: 0.6;
    }
    .button:focus-visible,
    .item:focus-visible,
    .editor :focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 1px;
    }
    .status {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .chevron {
      inline-size: 12px;
      block-size: 12px;
      flex: none;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.5;
    }
    .popup {
      position: absolute;
      z-index: 10;
      inset-block-start: calc(100% + 4px);
      inset-inline-start: 0;
      box-sizing: border-box;
      inline-size: var(--presence-picker-menu-width, 280px);
      max-inline-size: 90vw;
      padding: 4px;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 8px 16px rgb(0 0 0 / 0.14);
    }
    .popup[hidden] {
      display: none;
    }
    .item {
      display: flex;
      align-items: center;
      gap: 8px;
      min-block-size: 32px;
      padding: 4px 8px;
      border-radius: var(--_radius);
      cursor: pointer;
      outline: none;
    }
    .item:hover,
    .item:focus {
      background: var(--_hover);
    }
    .item[aria-disabled='true'] {
      opacity: 0.6;
      cursor: default;
    }
    .check {
      inline-size: 12px;
      block-size: 12px;
      flex: none;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.5;
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1;
      min-inline-size: 0;
    }
    .detail {
      font-size: 12px;
      color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      unicode-bidi: isolate;
    }
    .saving {
      font-size: 12px;
    }
    .separator {
      block-size: 1px;
      margin: 4px 0;
      background: var(--_border);
    }
    .group-label {
      padding: 4px 8px 0;
      font-size: 12px;
      font-weight: 600;
    }
    .form {
      display: grid;
      gap: 8px;
      padding: 8px;
    }
    .title {
      font-weight: 600;
    }
    .field {
      display: grid;
      gap: 4px;
      font-size: 12px;
    }
    textarea,
    select {
      font: inherit;
      font-size: 14px;
      color: inherit;
      background: transparent;
      border: 1px solid #8a8a8a;
      border-radius: var(--_radius);
      padding: 4px 6px;
    }
    textarea {
      resize: vertical;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .actions button {
      font: inherit;
      padding: 4px 12px;
      color: var(--_fg);
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      cursor: pointer;
    }
    .actions .primary {
      color: #ffffff;
      background: var(--_accent);
      border-color: transparent;
    }
    .actions button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .error:empty {
      display: none;
    }
    .error {
      padding: 4px 8px;
      font-size: 12px;
      color: var(--presence-picker-error-color, light-dark(#b10e1c, #f1707b));
    }
    @media (forced-colors: active) {
      .button,
      .popup,
      .actions button {
        border-color: ButtonText;
      }
      .item:hover,
      .item:focus {
        background: Highlight;
        color: HighlightText;
        forced-color-adjust: none;
      }
      .button[aria-disabled='true'] {
        color: GrayText;
        opacity: 1;
      }
      .separator {
        background: CanvasText;
      }
    }
  `,
];
