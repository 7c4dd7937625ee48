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

/** Where a template's value goes: the node's place in a walk of the template, and what kind of place it is. */
type Slot =
  | { kind: 'child'; node: number; value: number }
  | { kind: 'attribute'; node: number; name: string; statics: string[]; values: number[] }
  | { kind: 'event'; node: number; name: string; value: number }
  | { kind: 'element'; node: number; value: number };

interface Prepared {
  fragment: DocumentFragment;
  slots: Slot[];
}

const SVG = 'http://www.w3.org/2000/svg';
const prepared = new WeakMap<TemplateStringsArray, Prepared>();

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
  let i = 0;
  const space = (c: string | undefined) => c !== undefined && /\s/.test(c);
  while (i < src.length) {
    const parent = open[open.length - 1]!;
    if (src[i] === '\0') {
      parent.append(document.createComment(''));
      slots.push({ kind: 'child', node: ++node, value: value++ });
      i++;
    } else if (src[i] === '<' && src[i + 1] === '/') {
      open.pop();
      i = src.indexOf('>', i) + 1;
    } else if (src[i] === '<' && /[a-z]/i.test(src[i + 1] ?? '')) {
      let j = ++i;
      while (j < src.length && !space(src[j]) && src[j] !== '>' && src[j] !== '/') j++;
      const tag = src.slice(i, j);
      const inSvg =
        tag === 'svg' || (parent === fragment ? result['_$litType$'] === 2 : (parent as Element).namespaceURI === SVG);
      const element = inSvg ? document.createElementNS(SVG, tag) : document.createElement(tag);
      parent.append(element);
      const index = ++node;
      i = j;
      for (;;) {
        while (space(src[i])) i++;
        if (src[i] === '>' || i >= src.length) {
          i++;
          if (tag !== 'img') open.push(element);
          break;
        }
        if (src[i] === '/') {
          i = src.indexOf('>', i) + 1;
          break;
        }
        if (src[i] === '\0') {
          slots.push({ kind: 'element', node: index, value: value++ });
          i++;
          continue;
        }
        let k = i;
        while (k < src.length && !space(src[k]) && !'=/>\0'.includes(src[k]!)) k++;
        const name = src.slice(i, k);
        i = k;
        if (src[i] !== '=') {
          element.setAttribute(name, '');
          continue;
        }
        const quote = src[++i] === '"' || src[i] === "'" ? src[i++] : '';
        const statics = [''];
        const values: number[] = [];
        for (; i < src.length && (quote ? src[i] !== quote : !space(src[i]) && src[i] !== '>'); i++) {
          if (src[i] === '\0') {
            values.push(value++);
            statics.push('');
          } else statics[statics.length - 1] += src[i];
        }
        if (quote) i++;
        if (!values.length) element.setAttribute(name, statics[0]!);
        else if (name[0] === '@') slots.push({ kind: 'event', node: index, name: name.slice(1), value: values[0]! });
        else slots.push({ kind: 'attribute', node: index, name, statics, values });
      }
    } else {
      let k = i + 1;
      while (k < src.length && src[k] !== '<' && src[k] !== '\0') k++;
      parent.append(src.slice(i, k));
      i = k;
    }
  }
  ready = { fragment, slots };
  prepared.set(result.strings, ready);
  return ready;
}

function walker(root: Node): TreeWalker {
  // 129: elements and comments.
  return document.createTreeWalker(root, 129);
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

type Place = { set(value: unknown): void };

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
    const walk = walker(this.fragment);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) nodes.push(node);
    for (const slot of slots) {
      const node = nodes[slot.node]!;
      if (slot.kind === 'child') this.places.push([new ChildPlace(node as ChildNode, host), [slot.value]]);
      else if (slot.kind === 'attribute')
        this.places.push([attributePlace(node as Element, slot.name, slot.statics), slot.values]);
      else if (slot.kind === 'event') this.places.push([eventPlace(node, slot.name, host), [slot.value]]);
      else this.places.push([elementPlace(node as Element, host), [slot.value]]);
    }
  }

  update(values: readonly unknown[]): void {
    for (const [place, indexes] of this.places)
      place.set(indexes.length === 1 ? values[indexes[0]!] : indexes.map((i) => values[i]));
  }
}

function attributePlace(element: Element, name: string, statics: string[]): Place {
  let last: string | null | undefined;
  return {
    set(value) {
      let text: string | null;
      if (statics.length === 2 && !statics[0] && !statics[1]) {
        text = value === nothing || value == null ? null : String(value);
      } else {
        const values = statics.length === 2 ? [value] : (value as unknown[]);
        text = values.includes(nothing)
          ? null
          : statics.reduce((out, s, i) => out + s + (i < values.length ? (values[i] ?? '') : ''), '');
      }
      if (text === last) return;
      last = text;
      if (text === null) element.removeAttribute(name);
      else element.setAttribute(name, text);
    },
  };
}

function eventPlace(node: Node, name: string, host: object): Place {
  let listener: unknown;
  node.addEventListener(name, (event) => {
    if (typeof listener === 'function') listener.call(host, event);
  });
  return { set: (value) => void (listener = value) };
}

function elementPlace(element: Element, host: object): Place {
  let directive: Updater | undefined;
  let kind: unknown;
  const part = { type: 6, element, options: { host } };
  return {
    set(value) {
      const given = value as DirectiveResult | null | undefined;
      const ctor = given?.['_$litDirective$'];
      if (!ctor) return;
      if (kind !== ctor) directive = new (kind = ctor)(part);
      directive!.update(part, given.values);
    },
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
