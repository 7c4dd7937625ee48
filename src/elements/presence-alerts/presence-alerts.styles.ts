import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-family: var(--presence-font-family, 'Segoe UI', system-ui, -apple-system, sans-serif);
    font-size: 14px;
    color: var(--presence-alerts-color, light-dark(#242424, #ffffff));
  }
  :host([hidden]) {
    display: none;
  }
  .region {
    position: fixed;
    inset-block-end: var(--presence-alerts-inset, 16px);
    inset-inline-end: var(--presence-alerts-inset, 16px);
    z-index: 1000;
    max-inline-size: min(var(--presence-alerts-width, 360px), calc(100vw - 2 * var(--presence-alerts-inset, 16px)));
  }
  .toast {
    display: flex;
    align-items: flex-start;
    gap: 12px;
    padding: 12px;
    border-radius: var(--presence-alerts-radius, 8px);
    border-inline-start: 4px solid var(--presence-alerts-accent, light-dark(#0f6cbd, #479ef5));
    background: var(--presence-alerts-background, light-dark(#ffffff, #292929));
    color: var(--presence-alerts-color, light-dark(#242424, #ffffff));
    box-shadow: var(--presence-alerts-shadow, 0 8px 16px rgb(0 0 0 / 0.14), 0 0 2px rgb(0 0 0 / 0.12));
  }
  .body {
    flex: 1;
    min-inline-size: 0;
  }
  .message {
    margin: 4px 0 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  ::slotted([slot='actions']) {
    margin-block-start: 8px;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--presence-alerts-accent, light-dark(#0f6cbd, #479ef5));
    outline-offset: 2px;
  }
  .dismiss,
  .remove {
    flex: none;
    inline-size: 28px;
    block-size: 28px;
    display: grid;
    place-items: center;
    padding: 0;
    border: none;
    border-radius: 4px;
    background: transparent;
  }
  .dismiss:hover,
  .remove:hover {
    background: light-dark(#f0f0f0, #3d3d3d);
  }
  .dismiss svg,
  .remove svg {
    inline-size: 16px;
    block-size: 16px;
  }
  .heading {
    margin: 0 0 4px;
    font-weight: 600;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .item {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding-block: 2px;
  }
  .item presence-avatar {
    min-inline-size: 0;
  }
  .link {
    padding: 4px 0;
    border: none;
    background: transparent;
    color: var(--presence-alerts-accent, light-dark(#0f6cbd, #479ef5));
    text-decoration: underline;
  }
  .list > .link {
    display: block;
  }
  .note {
    margin: 4px 0;
    color: var(--presence-status-color, light-dark(#616161, #d6d6d6));
  }
  @media (forced-colors: active) {
    .toast {
      border: 1px solid CanvasText;
      border-inline-start-width: 4px;
    }
    .link {
      color: LinkText;
    }
  }
`;
