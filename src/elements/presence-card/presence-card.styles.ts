import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    inline-size: var(--presence-card-width, 320px);
    max-inline-size: calc(100vw - 16px);
    font-family: var(--presence-font-family, 'Segoe UI', 'Segoe UI Web (West European)', system-ui, -apple-system, sans-serif);
    font-size: 14px;
    line-height: 1.4;
    color: var(--presence-name-color, light-dark(#242424, #ffffff));
    background: var(--presence-card-background, light-dark(#ffffff, #292929));
    border: 1px solid var(--presence-card-border-color, light-dark(#e0e0e0, #404040));
    border-radius: var(--presence-card-radius, 8px);
  }
  :host([hidden]) {
    display: none;
  }
  /* Opened as a popup: fixed next to its anchor (the top layer with popover; above the page without). */
  :host([popover]),
  :host([data-fallback]) {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: 0;
    box-shadow: var(--presence-card-shadow, 0 8px 16px rgb(0 0 0 / 14%), 0 0 2px rgb(0 0 0 / 12%));
    overflow: auto;
    max-block-size: calc(100vh - 16px);
  }
  :host([data-fallback]) {
    z-index: 2147483000;
  }
  :host([data-fallback]:not([open])) {
    display: none;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: 12px;
    padding: 16px;
    outline: none;
  }
  .header {
    display: flex;
    align-items: flex-start;
    gap: 12px;
  }
  .identity {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-inline-size: 0;
  }
  .name {
    font-size: 16px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .title,
  .presence,
  .message,
  .oof {
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
    overflow-wrap: anywhere;
  }
  .message,
  .oof p {
    margin: 0;
    white-space: pre-line;
  }
  .oof .label {
    display: block;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .action,
  ::slotted(*) {
    font: inherit;
  }
  .action {
    display: inline-flex;
    align-items: center;
    padding: 4px 10px;
    border: 1px solid var(--presence-card-border-color, light-dark(#d1d1d1, #666666));
    border-radius: 4px;
    background: transparent;
    color: var(--presence-card-action-color, light-dark(#0f6cbd, #479ef5));
    text-decoration: none;
    cursor: pointer;
  }
  .action:hover {
    background: light-dark(#f5f5f5, #3d3d3d);
  }
  .action:focus-visible,
  .close:focus-visible {
    outline: 2px solid var(--presence-card-action-color, light-dark(#0f6cbd, #479ef5));
    outline-offset: 1px;
  }
  .notified {
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
  }
  .close {
    flex: none;
    inline-size: 28px;
    block-size: 28px;
    border: none;
    border-radius: 4px;
    background: transparent;
    color: inherit;
    font-size: 18px;
    line-height: 1;
    cursor: pointer;
  }
  @media (forced-colors: active) {
    :host {
      border-color: CanvasText;
      background: Canvas;
      color: CanvasText;
    }
    .action {
      border-color: LinkText;
      color: LinkText;
    }
    button.action,
    .close {
      border: 1px solid ButtonText;
      color: ButtonText;
    }
    .action:focus-visible,
    .close:focus-visible {
      outline-color: Highlight;
    }
  }
`;
