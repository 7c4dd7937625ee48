// The template tags of the elements that render without Lit in the browser (see presence-element.ts). A template
// is the same plain object Lit's own `html` and `svg` make ({ _$litType$, strings, values }: the shape Lit's
// renderers, its server renderer included, accept from any tag), so the same template renders on the server with
// Lit, inside a Lit element's template, and in the browser with template-render.ts.
import type { SVGTemplateResult, TemplateResult } from 'lit';

/** Lit's "render nothing" value (the same global symbol as Lit's `nothing`). */
export const nothing: unique symbol = Symbol.for('lit-nothing') as never;

/** An HTML template, as Lit's `html` makes it. */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): TemplateResult<1> => ({
  ['_$litType$']: 1,
  strings,
  values,
});

/** An SVG fragment, as Lit's `svg` makes it. */
export const svg = (strings: TemplateStringsArray, ...values: unknown[]): SVGTemplateResult => ({
  ['_$litType$']: 2,
  strings,
  values,
});
