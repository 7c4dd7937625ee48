import { css } from './css.js';

/** The bell an avatar shows while the user waits for its person: at the top corner, opposite the badge. */
export const bellStyles = css`
  .bell {
    position: absolute;
    inset-block-start: -2px;
    inset-inline-end: -2px;
    inline-size: clamp(10px, calc(var(--_size) * 0.36), 20px);
    block-size: clamp(10px, calc(var(--_size) * 0.36), 20px);
    display: grid;
    place-items: center;
    border-radius: 50%;
    color: var(--presence-bell-color, light-dark(#0f6cbd, #479ef5));
    background: var(--presence-badge-ring-color, light-dark(#ffffff, #292929));
  }
  .bell svg {
    inline-size: 80%;
    block-size: 80%;
  }
  @media (forced-colors: active) {
    .bell {
      color: CanvasText;
      background: Canvas;
    }
  }
`;
