// The base of the elements every page of avatars loads (<presence-avatar>, <presence-badge>, <presence-provider>) in
// the browser: the reactive update cycle of Lit's ReactiveElement (https://lit.dev/docs/components/lifecycle/),
// as far as these elements use it, in a fraction of Lit's size, with templates rendered by template-render.ts. On
// the server these elements are LitElements (element-base.ts), so that Lit's server renderer renders them.
//
// What it keeps of Lit's contract: `static properties` (attribute, type Boolean, converter, reflect), properties set
// before the element was defined kept, updates batched in a microtask and made only once connected,
// `scheduleUpdate`, `willUpdate`, `render`, `firstUpdated`, `updated`, `updateComplete`, `requestUpdate`, and
// reactive controllers. An element that arrives with a shadow root from the server (declarative shadow DOM) has it
// emptied and rendered again: nothing is hydrated, so its first render need not match the server's.
import type { CSSResultOrNative, PropertyValues, ReactiveController } from 'lit';
import { renderTemplate } from './template-render.js';

/** How a property meets its attribute (Lit's `PropertyDeclaration`, the parts used here). */
export interface PropertyOptions {
  attribute?: string | boolean;
  type?: unknown;
  reflect?: boolean;
  converter?: {
    fromAttribute?(value: string | null, type?: unknown): unknown;
    toAttribute?(value: unknown, type?: unknown): unknown;
  };
}

type Styles = CSSResultOrNative | Array<Styles>;

/** HTMLElement, or a stand-in where there is none (a server without a DOM imports this module too). */
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

type Ctor = typeof PresenceElement;

export class PresenceElement extends Base {
  static properties: Record<string, PropertyOptions> = {};
  static styles?: Styles;

  /** Attribute name to property name, and each property's options (made when the element is defined). */
  private static attributeProperties: Map<string, string>;
  private static options: Map<string, PropertyOptions>;

  static get observedAttributes(): string[] {
    this.finalize();
    return [...this.attributeProperties.keys()];
  }

  /** Makes the accessors of the declared properties; once per class, when the element is defined. */
  static finalize(): void {
    if (Object.hasOwn(this, 'options')) return;
    const parent = Object.getPrototypeOf(this) as Ctor;
    if (parent.finalize) parent.finalize();
    this.options = new Map(parent.options);
    this.attributeProperties = new Map(parent.attributeProperties);
    for (const [name, options] of Object.entries(this.properties)) {
      this.options.set(name, options);
      if (options.attribute !== false)
        this.attributeProperties.set(
          typeof options.attribute == 'string' ? options.attribute : name.toLowerCase(),
          name,
        );
      // The value lives in a field of the element's own (`__name`), as Lit keeps it: fields cost far less memory
      // than a map per element.
      const field = `__${name}`;
      Object.defineProperty(this.prototype, name, {
        get(this: Record<string, unknown>) {
          return this[field];
        },
        set(this: PresenceElement & Record<string, unknown>, value: unknown) {
          const old = this[field];
          this[field] = value;
          this.requestUpdate(name, old);
        },
        configurable: true,
        enumerable: true,
      });
    }
  }

  /** True once the element has rendered. */
  hasUpdated = false;
  /** True while an update is waiting to be made. */
  isUpdatePending = false;
  /** The shadow root the element renders into, made when first connected. */
  renderRoot!: ShadowRoot;

  private changed: PropertyValues = new Map();
  /** Properties to reflect to their attributes at the next update; made when first needed, as the next two. */
  private reflecting: Set<string> | undefined;
  private reflectingNow: string | undefined;
  private controllers: Set<ReactiveController> | undefined;
  /** Properties set before the element was defined. */
  private early: Map<string, unknown> | undefined;
  private enable!: () => void;
  private pending: Promise<boolean> = new Promise<void>((resolve) => (this.enable = resolve)).then(() => true);

  constructor() {
    super();
    // Properties set on the element before it was defined hide the accessors: kept, and set once it updates.
    for (const name of (this.constructor as Ctor).options.keys()) {
      if (!Object.hasOwn(this, name)) continue;
      (this.early ??= new Map()).set(name, (this as Record<string, unknown>)[name]);
      delete (this as Record<string, unknown>)[name];
    }
    this.requestUpdate();
  }

  addController(controller: ReactiveController): void {
    (this.controllers ??= new Set()).add(controller);
    if (this.renderRoot && this.isConnected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.controllers?.delete(controller);
  }

  connectedCallback(): void {
    if (!this.renderRoot) {
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      root.replaceChildren();
      const sheets: CSSStyleSheet[] = [];
      const add = (styles: Styles | undefined): unknown =>
        Array.isArray(styles)
          ? styles.forEach(add)
          : styles && sheets.push(styles instanceof CSSStyleSheet ? styles : styles.styleSheet!);
      add((this.constructor as Ctor).styles);
      root.adoptedStyleSheets = sheets;
      this.renderRoot = root;
    }
    this.enable();
    this.controllers?.forEach((controller) => controller.hostConnected?.());
  }

  disconnectedCallback(): void {
    this.controllers?.forEach((controller) => controller.hostDisconnected?.());
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const ctor = this.constructor as Ctor;
    const name = ctor.attributeProperties.get(attribute);
    if (!name || name === this.reflectingNow) return;
    const { type, converter } = ctor.options.get(name)!;
    (this as Record<string, unknown>)[name] = converter?.fromAttribute
      ? converter.fromAttribute(value, type)
      : type === Boolean
        ? value !== null
        : type === Number && value !== null
          ? Number(value)
          : value;
  }

  /** Asks for an update; with a property's name, notes that it changed (unless it kept its value). */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined) {
      const value = (this as Record<string, unknown>)[name];
      // Lit's notEqual: NaN is NaN.
      if (old === value || (old !== old && value !== value)) return;
      if (!this.changed.has(name)) this.changed.set(name, old);
      if ((this.constructor as Ctor).options.get(name)?.reflect) (this.reflecting ??= new Set()).add(name);
    }
    if (!this.isUpdatePending) this.pending = this.enqueue();
  }

  private async enqueue(): Promise<boolean> {
    this.isUpdatePending = true;
    try {
      await this.pending;
    } catch (error) {
      // An earlier update threw: reported there, this one goes on.
      void Promise.reject(error);
    }
    const waiting = this.scheduleUpdate();
    if (waiting != null) await waiting;
    return !this.isUpdatePending;
  }

  /** Makes the update now; an element may override it to wait for something first. */
  protected scheduleUpdate(): void | Promise<unknown> {
    this.performUpdate();
  }

  protected performUpdate(): void {
    if (!this.isUpdatePending) return;
    this.early?.forEach((value, name) => ((this as Record<string, unknown>)[name] = value));
    this.early = undefined;
    const changed = this.changed;
    try {
      this.willUpdate(changed);
      this.controllers?.forEach((controller) => controller.hostUpdate?.());
      this.update(changed);
    } catch (error) {
      this.changed = new Map();
      this.isUpdatePending = false;
      throw error;
    }
    this.controllers?.forEach((controller) => controller.hostUpdated?.());
    if (!this.hasUpdated) {
      this.hasUpdated = true;
      this.firstUpdated(changed);
    }
    this.updated(changed);
  }

  protected willUpdate(_changed: PropertyValues): void {}

  protected update(_changed: PropertyValues): void {
    const template = this.render();
    const { options } = this.constructor as Ctor;
    for (const name of this.reflecting ?? []) {
      const { type, converter, attribute } = options.get(name)!;
      const value = (this as Record<string, unknown>)[name];
      const text = converter?.toAttribute
        ? converter.toAttribute(value, type)
        : type === Boolean
          ? value
            ? ''
            : null
          : value;
      const attributeName = typeof attribute == 'string' ? attribute : name.toLowerCase();
      this.reflectingNow = name;
      if (text == null) this.removeAttribute(attributeName);
      else this.setAttribute(attributeName, String(text));
      this.reflectingNow = undefined;
    }
    this.reflecting = undefined;
    this.changed = new Map();
    this.isUpdatePending = false;
    renderTemplate(template, this.renderRoot, this);
  }

  protected render(): unknown {
    return undefined;
  }

  protected firstUpdated(_changed: PropertyValues): void {}

  protected updated(_changed: PropertyValues): void {}

  /** Settles once the element has no update pending: true, unless another update was asked for meanwhile. */
  get updateComplete(): Promise<boolean> {
    return this.pending;
  }
}
