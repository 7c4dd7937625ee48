import {
  Directive,
  PartType,
  directive,
  type ElementPart,
  type PartInfo,
  type DirectiveResult,
} from 'lit/directive.js';

/** Lit's "leave it as it is" value (the same global symbol as Lit's `noChange`, which lives in Lit's template engine). */
const noChange = Symbol.for('lit-noChange');

export type StyleProperties = Record<string, string | undefined>;

/**
 * Sets CSS properties on an element through the CSSOM (`style.setProperty`), never through a `style` attribute, so
 * that a Content Security Policy without `style-src-attr 'unsafe-inline'` lets them through. (`styleMap` writes its
 * first render as an attribute, which such a policy blocks.) A property left out or `undefined` is removed.
 * Use it on an element: `<div ${styleProperties({ top: '48px' })}>`. Nothing is rendered on the server.
 */
class StylePropertiesDirective extends Directive {
  private applied = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT)
      throw new Error('styleProperties() belongs on an element, as in <div ${styleProperties({...})}>');
  }

  render(_properties: StyleProperties): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [StyleProperties]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    const next = new Set<string>();
    for (const [name, value] of Object.entries(properties)) {
      if (value === undefined) continue;
      next.add(name);
      if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
    }
    for (const name of this.applied) if (!next.has(name)) style.removeProperty(name);
    this.applied = next;
    return noChange;
  }
}

export const styleProperties: (properties: StyleProperties) => DirectiveResult<typeof StylePropertiesDirective> =
  directive(StylePropertiesDirective);
