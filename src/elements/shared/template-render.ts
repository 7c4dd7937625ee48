// Renders templates (template.ts: the shape Lit's `html` and `svg` make) into the DOM, for the elements that render
// without Lit in the browser. It knows what those elements' templates use, and only that:
// - text and nested templates between tags, `nothing`, null and undefined rendering nothing;
// - attribute values, whole or part of the value (`class="a ${b}"`), an attribute bound to nothing, null or
//   undefined alone being removed;
// - listeners (`@load=${fn}`), called with the host as `this`;
// - a Lit directive on an element (`<div ${directive()}>`), given the element as Lit gives it.
// Values only ever become text nodes, attribute values or listeners: a template's own static text is the only
// markup read, and never through `innerHTML`.
import { nothing } from './template.js';

type Result = { ['_$litType$']: 1 | 2; strings: TemplateStringsArray; values: readonly unknown[] };
type DirectiveResult = { ['_$litDirective$']: new (part: unknown) => Updater; values: unknown[] };
type Updater = { update(part: unknown, values: unknown[]): unknown };

/**
 * Where a template's values go: the node's place in a walk of the template (elements and comments), what kind of
 * place it is, and the values it takes (several for an attribute written around more than one).
 */
type Slot =
  | { kind: typeof CHILD | typeof ELEMENT; node: number; values: number[] }
  | { kind: typeof EVENT; node: number; name: string; values: number[] }
  | { kind: typeof ATTRIBUTE; node: number; name: string; statics: string[]; values: number[] };

const CHILD = 0;
const ATTRIBUTE = 1;
const EVENT = 2;
const ELEMENT = 3;

interface Prepared {
  fragment: DocumentFragment;
  slots: Slot[];
}

const SVG = 'http://www.w3.org/2000/svg';
const prepared = new WeakMap<TemplateStringsArray, Prepared>();
/** Between tags: a value, a closing tag, an opening tag (its name), or text. */
const BETWEEN = /\0|<\/[^>]*>|<([a-z][^\s/>\0]*)|[^<\0]+|</iy;
/** In a tag: its end, a value on the element, or an attribute with its value (quoted, or not). */
const IN_TAG = /\s*(?:(\/?>)|(\0)|([^\s=/>\0]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?)/y;

/**
 * Builds a template's nodes from its static text, read by a small parser of our own (the templates are the
 * library's own markup: tags, attributes and text, no entities), never through `innerHTML`, which a page requiring
 * Trusted Types would refuse. Each value's place (the joins between the static strings) becomes a slot.
 */
function prepare(result: Result): Prepared {
  let ready = prepared.get(result.strings);
  if (ready) return ready;
  // The k-th NUL stands for the k-th value.
  const src = result.strings.join('\0');
  const fragment = document.createDocumentFragment();
  const slots: Slot[] = [];
  const open: ParentNode[] = [fragment];
  let value = 0;
  let node = -1;
  for (BETWEEN.lastIndex = 0; BETWEEN.lastIndex < src.length;) {
    const [token, tag] = BETWEEN.exec(src)!;
    const parent = open[open.length - 1]!;
    if (token === '\0') {
      parent.append(document.createComment(''));
      slots.push({ kind: CHILD, node: ++node, values: [value++] });
    } else if (token[1] === '/') {
      open.pop();
    } else if (tag) {
      const inSvg =
        tag === 'svg' || (parent === fragment ? result['_$litType$'] === 2 : (parent as Element).namespaceURI === SVG);
      const element = inSvg ? document.createElementNS(SVG, tag) : document.createElement(tag);
      parent.append(element);
      const index = ++node;
      for (IN_TAG.lastIndex = BETWEEN.lastIndex; ;) {
        const [, end, bound, name, ...quoted] = IN_TAG.exec(src) ?? ['', '>'];
        if (end) {
          if (end === '>' && tag !== 'img') open.push(element);
          break;
        }
        if (bound) {
          slots.push({ kind: ELEMENT, node: index, values: [value++] });
          continue;
        }
        const text = quoted.find((v) => v !== undefined);
        const statics = (text ?? '').split('\0');
        const values = statics.slice(1).map(() => value++);
        if (!values.length) element.setAttribute(name!, statics[0]!);
        else if (name![0] === '@') slots.push({ kind: EVENT, node: index, name: name!.slice(1), values });
        else slots.push({ kind: ATTRIBUTE, node: index, name: name!, statics, values });
      }
      BETWEEN.lastIndex = IN_TAG.lastIndex;
    } else {
      parent.append(token);
    }
  }
  ready = { fragment, slots };
  prepared.set(result.strings, ready);
  return ready;
}

const isResult = (value: unknown): value is Result =>
  typeof value === 'object' && value !== null && '_$litType$' in value;

/** A place between nodes, before its end marker, holding text or a template. */
class ChildPlace {
  private nodes: ChildNode[] = [];
  private text: Text | undefined;
  private instance: Instance | undefined;

  constructor(
    private readonly end: ChildNode,
    private readonly host: object,
  ) {}

  set(value: unknown): void {
    if (isResult(value)) {
      if (this.instance?.strings !== value.strings) {
        this.clear();
        this.instance = new Instance(value, this.host);
        this.insert([...this.instance.fragment.childNodes]);
      }
      this.instance.update(value.values);
    } else if (value === nothing || value == null || value === '') {
      this.clear();
    } else {
      const text = String(value);
      if (!this.text) {
        this.clear();
        this.insert([(this.text = document.createTextNode(text))]);
      } else if (this.text.data !== text) this.text.data = text;
    }
  }

  private insert(nodes: ChildNode[]): void {
    this.nodes = nodes;
    for (const node of nodes) this.end.parentNode!.insertBefore(node, this.end);
  }

  private clear(): void {
    for (const node of this.nodes) node.remove();
    this.nodes = [];
    this.text = this.instance = undefined;
  }
}

/** A place in a template's nodes, given its values at each render. */
type Place = (values: unknown[]) => void;

/** One rendering of a template: its nodes, and a place for each of its values. */
class Instance {
  readonly strings: TemplateStringsArray;
  readonly fragment: DocumentFragment;
  private readonly places: Array<[Place, number[]]> = [];

  constructor(result: Result, host: object) {
    this.strings = result.strings;
    const { fragment, slots } = prepare(result);
    this.fragment = document.importNode(fragment, true);
    const nodes: Node[] = [];
    // 129: elements and comments.
    const walk = document.createTreeWalker(this.fragment, 129);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) nodes.push(node);
    for (const slot of slots) {
      const node = nodes[slot.node]!;
      let place: Place;
      if (slot.kind === CHILD) {
        const child = new ChildPlace(node as ChildNode, host);
        place = ([value]) => child.set(value);
      } else if (slot.kind === ATTRIBUTE) place = attributePlace(node as Element, slot.name, slot.statics);
      else if (slot.kind === EVENT) place = eventPlace(node, slot.name, host);
      else place = elementPlace(node as Element, host);
      this.places.push([place, slot.values]);
    }
  }

  update(values: readonly unknown[]): void {
    for (const [place, indexes] of this.places) place(indexes.map((i) => values[i]));
  }
}

/**
 * An attribute: its text, the values between its static parts. Bound alone to nothing, null or undefined, or to
 * nothing anywhere, it is removed; null and undefined among other text are empty, as Lit has them.
 */
function attributePlace(element: Element, name: string, statics: string[]): Place {
  let last: string | null | undefined;
  const alone = statics.length === 2 && !statics[0] && !statics[1];
  return (values) => {
    const text =
      values.includes(nothing) || (alone && values[0] == null)
        ? null
        : statics.reduce((out, part, i) => out + part + String(values[i] ?? ''), '');
    if (text === last) return;
    last = text;
    if (text === null) element.removeAttribute(name);
    else element.setAttribute(name, text);
  };
}

/** A listener, called with the host as `this`. */
function eventPlace(node: Node, name: string, host: object): Place {
  let listener: unknown;
  node.addEventListener(name, (event) => typeof listener == 'function' && listener.call(host, event));
  return ([value]) => void (listener = value);
}

/** A Lit directive on an element, made once, updated with the element as Lit's element part gives it. */
function elementPlace(element: Element, host: object): Place {
  let directive: Updater | undefined;
  let kind: unknown;
  const part = { type: 6, element, options: { host } };
  return ([value]) => {
    const ctor = (value as DirectiveResult | null | undefined)?.['_$litDirective$'];
    if (!ctor) return;
    if (kind !== ctor) directive = new (kind = ctor)(part);
    directive!.update(part, (value as DirectiveResult).values);
  };
}

const rendered = new WeakMap<ParentNode, ChildPlace>();

/** Renders `value` (a template, text or nothing) into `container`, updating what an earlier render put there. */
export function renderTemplate(value: unknown, container: ParentNode, host: object): void {
  let place = rendered.get(container);
  if (!place) {
    const end = document.createComment('');
    container.append(end);
    rendered.set(container, (place = new ChildPlace(end, host)));
  }
  place.set(value);
}
