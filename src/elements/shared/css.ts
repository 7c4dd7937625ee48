// Styles for the elements built on our own base (presence-element.ts), without Lit's `css` module. A style is the
// shape Lit reads from its own (`cssText`, and `styleSheet` for `adoptedStyleSheets`), so the same styles serve Lit's
// elements and Lit's server renderer, which writes `cssText` into the declarative shadow root.
import type { CSSResult } from 'lit';

/** Styles from CSS text; the constructed sheet made once, when first adopted. */
export function unsafeCSS(cssText: string): CSSResult {
  let sheet: CSSStyleSheet | undefined;
  return {
    ['_$cssResult$']: true,
    cssText,
    get styleSheet() {
      if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(cssText);
      return sheet;
    },
    toString: () => cssText,
  } as unknown as CSSResult;
}

/** Styles written as a template: its values are other styles (their text) or numbers. */
export const css = (strings: TemplateStringsArray, ...values: Array<CSSResult | number>): CSSResult =>
  unsafeCSS(values.reduce<string>((text, value, i) => text + String(value) + strings[i + 1], strings[0]!));
