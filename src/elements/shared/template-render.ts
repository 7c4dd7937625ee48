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

/**
 * A place in a template's nodes, given the template's values at each render and the indexes of its own. Places are
 * objects, not closures: a closure and its scope cost twice the memory, and a page may show thousands of avatars.
 */
interface Place {
  apply(values: readonly unknown[], indexes: number[]): void;
}

/** A place between nodes, before its end marker, holding text or a template. */
class ChildPlace implements Place {
  private nodes: ChildNode[] = [];
  private text: Text | undefined;
  private instance: Instance | undefined;

  constructor(
    private readonly end: ChildNode,
    private readonly host: object,
  ) {}

  apply(values: readonly unknown[], indexes: number[]): void {
    this.set(values[indexes[0]!]);
  }

  set(value: unknown): void {
    if (isResult(value)) {
      if (this.instance?.strings !== value.strings) {
        this.clear();
        this.instance = new Instance(value, this.host);
        this.nodes = this.instance.nodes;
        this.end.before(...this.nodes);
      }
      this.instance.update(value.values);
    } else if (value === nothing || value == null || value === '') {
      this.clear();
    } else {
      const text = String(value);
      if (!this.text) {
        this.clear();
        this.nodes = [(this.text = document.createTextNode(text))];
        this.end.before(this.text);
      } else if (this.text.data !== text) this.text.data = text;
    }
  }

  private clear(): void {
    for (const node of this.nodes) node.remove();
    this.nodes = [];
    this.text = this.instance = undefined;
  }
}

/**
 * An attribute: its text, the values between its static parts. Bound alone to nothing, null or undefined, or to
 * nothing anywhere, it is removed; null and undefined among other text are empty, as Lit has them.
 */
class AttributePlace implements Place {
  private last: string | null | undefined;

  constructor(
    private readonly element: Element,
    private readonly name: string,
    private readonly statics: string[],
  ) {}

  apply(values: readonly unknown[], indexes: number[]): void {
    const { statics } = this;
    const own = indexes.map((i) => values[i]);
    const alone = statics.length === 2 && !statics[0] && !statics[1];
    const text =
      own.includes(nothing) || (alone && own[0] == null)
        ? null
        : statics.reduce((out, part, i) => out + part + String(own[i] ?? ''), '');
    if (text === this.last) return;
    this.last = text;
    if (text === null) this.element.removeAttribute(this.name);
    else this.element.setAttribute(this.name, text);
  }
}

/** A listener, called with the host as `this`: the place is the node's listener object itself. */
class EventPlace implements Place {
  private listener: unknown;

  constructor(
    node: Node,
    name: string,
    private readonly host: object,
  ) {
    node.addEventListener(name, this);
  }

  apply(values: readonly unknown[], indexes: number[]): void {
    this.listener = values[indexes[0]!];
  }

  handleEvent(event: Event): void {
    if (typeof this.listener == 'function') this.listener.call(this.host, event);
  }
}

/** A Lit directive on an element, made once, updated with the element as Lit's element part gives it. */
class ElementPlace implements Place {
  private directive: Updater | undefined;
  private kind: unknown;
  private readonly part: { type: 6; element: Element; options: { host: object } };

  constructor(element: Element, host: object) {
    this.part = { type: 6, element, options: { host } };
  }

  apply(values: readonly unknown[], indexes: number[]): void {
    const value = values[indexes[0]!] as DirectiveResult | null | undefined;
    const ctor = value?.['_$litDirective$'];
    if (!ctor) return;
    if (this.kind !== ctor) this.directive = new (this.kind = ctor)(this.part);
    this.directive!.update(this.part, value.values);
  }
}

/** One rendering of a template: its top-level nodes, and a place for each of its slots. */
class Instance {
  readonly strings: TemplateStringsArray;
  readonly nodes: ChildNode[];
  private readonly slots: Slot[];
  private readonly places: Place[] = [];

  constructor(result: Result, host: object) {
    this.strings = result.strings;
    const prepared = prepare(result);
    this.slots = prepared.slots;
    const fragment = document.importNode(prepared.fragment, true);
    this.nodes = [...fragment.childNodes];
    const nodes: Node[] = [];
    // 129: elements and comments.
    const walk = document.createTreeWalker(fragment, 129);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) nodes.push(node);
    for (const slot of this.slots) {
      const node = nodes[slot.node]!;
      this.places.push(
        slot.kind === CHILD
          ? new ChildPlace(node as ChildNode, host)
          : slot.kind === ATTRIBUTE
            ? new AttributePlace(node as Element, slot.name, slot.statics)
            : slot.kind === EVENT
              ? new EventPlace(node, slot.name, host)
              : new ElementPlace(node as Element, host),
      );
    }
  }

  update(values: readonly unknown[]): void {
    this.places.forEach((place, n) => place.apply(values, this.slots[n]!.values));
  }
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
