import { css } from 'lit';

export const styles = css`
  :host {
    --_row: var(--team-list-row-height, 48px);
    display: block;
    font-family: var(--presence-font-family, 'Segoe UI', system-ui, -apple-system, sans-serif);
    color: var(--presence-name-color, light-dark(#242424, #ffffff));
    border: 1px solid var(--team-list-border-color, light-dark(#e0e0e0, #3d3d3d));
    border-radius: 8px;
    overflow: hidden;
    background: var(--team-list-background, light-dark(#ffffff, #1f1f1f));
  }
  :host([hidden]) {
    display: none;
  }
  .toolbar {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 8px;
    border-block-end: 1px solid var(--team-list-border-color, light-dark(#e0e0e0, #3d3d3d));
  }
  input {
    flex: 1;
    min-inline-size: 0;
    font: inherit;
    font-size: 14px;
    padding: 6px 8px;
    border: 1px solid light-dark(#8a8a8a, #8a8a8a);
    border-radius: 4px;
    background: transparent;
    color: inherit;
  }
  .summary {
    font-size: 12px;
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
    white-space: nowrap;
  }
  .scroller {
    position: relative;
    block-size: var(--team-list-height, 420px);
    overflow-y: auto;
    outline: none;
  }
  .scroller:focus-visible {
    box-shadow: inset 0 0 0 2px var(--team-list-focus-color, light-dark(#0f6cbd, #479ef5));
  }
  .spacer {
    position: relative;
  }
  .item {
    position: absolute;
    inset-inline: 0;
    block-size: var(--_row);
    box-sizing: border-box;
    display: flex;
    align-items: center;
    padding-inline: 12px;
  }
  .header {
    font-size: 12px;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
    background: var(--team-list-header-background, light-dark(#f5f5f5, #292929));
  }
  .row {
    cursor: pointer;
  }
  .row:hover {
    background: light-dark(#f5f5f5, #2e2e2e);
  }
  .row.active {
    background: light-dark(#ebf3fc, #0f3b5e);
    box-shadow: inset 3px 0 0 var(--team-list-focus-color, light-dark(#0f6cbd, #479ef5));
  }
  presence-avatar {
    min-inline-size: 0;
  }
  /* Rows have one height, for scrolling 10,000 of them: the status message stays in the accessible name only. */
  presence-avatar::part(message) {
    display: none;
  }
  .empty,
  .error {
    padding: 16px;
    font-size: 14px;
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
  }
  .error p {
    margin: 0 0 8px;
  }
  .error button {
    font: inherit;
    font-weight: 600;
    padding: 5px 12px;
    border-radius: 4px;
    border: 1px solid transparent;
    background: var(--team-list-focus-color, #0f6cbd);
    color: #ffffff;
    cursor: pointer;
  }
  .error button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .error button:focus-visible {
    outline: 2px solid var(--team-list-focus-color, #0f6cbd);
    outline-offset: 2px;
  }
  @media (forced-colors: active) {
    .row.active {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
  }
`;
