// The base of the avatar, the badge and the provider in the browser (PresenceElement) and the renderer of their
// templates, tested through small elements of their own: what a page sees of the update cycle and of the DOM.
import { expect } from '@open-wc/testing';
import { directive, Directive, type ElementPart, type PartInfo } from 'lit/directive.js';
import { PresenceElement } from '../../../src/elements/shared/presence-element.js';
import { css } from '../../../src/elements/shared/css.js';
import { html, nothing, svg } from '../../../src/elements/shared/template.js';

let count = 0;
/** Defines `element` under a tag of its own and returns the tag. */
function define(element: CustomElementConstructor): string {
  const tag = `test-presence-element-${++count}`;
  customElements.define(tag, element);
  return tag;
}

/** An element whose template is whatever the test gives it. */
class Shown extends PresenceElement {
  static override properties = {
    value: { attribute: false },
    label: {},
    on: { type: Boolean, reflect: true, attribute: 'is-on' },
    count: { type: Number },
  };
  static override styles = css`
    span {
      color: rgb(1, 2, 3);
    }
  `;
  value: unknown = null;
  label: string | null = null;
  on = false;
  count: number | null = null;
  template: (self: Shown) => unknown = (self) => html`<span>${self.value}</span>`;
  renders = 0;
  protected override render(): unknown {
    this.renders++;
    return this.template(this);
  }
}
const SHOWN = define(Shown);

async function make(setup?: (el: Shown) => void): Promise<Shown> {
  const el = document.createElement(SHOWN) as Shown;
  setup?.(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

afterEach(() => document.querySelectorAll('[data-test]').forEach((e) => e.remove()));

describe('PresenceElement: the update cycle', () => {
  it('renders once connected, with its styles adopted, and updates once for several changes', async () => {
    const el = await make((e) => (e.value = 'first'));
    expect(el.shadowRoot!.querySelector('span')!.textContent).to.equal('first');
    expect(getComputedStyle(el.shadowRoot!.querySelector('span')!).color).to.equal('rgb(1, 2, 3)');
    const before = el.renders;
    el.value = 'a';
    el.value = 'b';
    el.label = 'c';
    await el.updateComplete;
    expect(el.renders).to.equal(before + 1);
    expect(el.shadowRoot!.querySelector('span')!.textContent).to.equal('b');
    el.remove();
  });

  it('does not render before it is connected', async () => {
    const el = document.createElement(SHOWN) as Shown;
    el.value = 'x';
    await new Promise((r) => setTimeout(r, 20));
    expect(el.renders).to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.renders).to.equal(1);
    el.remove();
  });

  it('keeps a property set before the element was defined (a framework setting it early)', async () => {
    class Late extends Shown {}
    const tag = `test-presence-element-late-${++count}`;
    const el = document.createElement(tag) as Shown;
    (el as unknown as { value: unknown }).value = { early: true };
    document.body.append(el);
    customElements.define(tag, Late);
    await (el as Shown).updateComplete;
    expect(el.value).to.deep.equal({ early: true });
    expect(el.shadowRoot!.querySelector('span')!.textContent).to.equal('[object Object]');
    el.remove();
  });

  it('reads attributes into properties (text, boolean, number) and reflects without looping', async () => {
    const el = await make();
    el.setAttribute('label', 'hello');
    el.setAttribute('is-on', '');
    el.setAttribute('count', '12');
    expect([el.label, el.on, el.count]).to.deep.equal(['hello', true, 12]);
    el.on = false;
    await el.updateComplete;
    expect(el.hasAttribute('is-on')).to.equal(false);
    el.on = true;
    await el.updateComplete;
    expect(el.getAttribute('is-on')).to.equal('');
    el.remove();
  });

  it('a render that throws does not stop the next update', async () => {
    const el = await make();
    const errors: unknown[] = [];
    const onRejection = (e: PromiseRejectionEvent) => {
      errors.push(e.reason);
      e.preventDefault();
    };
    window.addEventListener('unhandledrejection', onRejection);
    el.template = () => {
      throw new Error('broken render');
    };
    el.value = 'breaks';
    await el.updateComplete.catch((e: unknown) => errors.push(e));
    el.template = (self) => html`<span>${self.value}</span>`;
    el.value = 'mended';
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    window.removeEventListener('unhandledrejection', onRejection);
    expect(el.shadowRoot!.querySelector('span')!.textContent).to.equal('mended');
    expect(String(errors[0])).to.contain('broken render');
    el.remove();
  });

  it('runs controllers: connected, before and after each update, disconnected', async () => {
    const calls: string[] = [];
    const el = document.createElement(SHOWN) as Shown;
    el.addController({
      hostConnected: () => calls.push('connected'),
      hostUpdate: () => calls.push('update'),
      hostUpdated: () => calls.push('updated'),
      hostDisconnected: () => calls.push('disconnected'),
    });
    document.body.append(el);
    await el.updateComplete;
    el.remove();
    expect(calls).to.deep.equal(['connected', 'update', 'updated', 'disconnected']);
  });

  it('a shadow root from the server is emptied and rendered again, nothing shown twice', async () => {
    class FromServer extends Shown {}
    const tag = `test-presence-element-ssr-${++count}`;
    const el = document.createElement(tag) as Shown;
    el.attachShadow({ mode: 'open' }).append(Object.assign(document.createElement('span'), { textContent: 'server' }));
    document.body.append(el);
    customElements.define(tag, FromServer);
    el.value = 'client';
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('span')].map((s) => s.textContent)).to.deep.equal(['client']);
    el.remove();
  });
});

describe('the template renderer', () => {
  it('renders values as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const el = await make((e) => {
      e.value = hostile;
      e.label = hostile;
      e.template = (self) => html`<span title=${self.label} class="a ${self.label}">${self.value}</span>`;
    });
    const span = el.shadowRoot!.querySelector('span')!;
    expect(span.textContent).to.equal(hostile);
    expect(span.children.length).to.equal(0);
    expect(span.getAttribute('title')).to.equal(hostile);
    expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    el.remove();
  });

  it('removes an attribute bound alone to nothing, null or undefined; empty among other text', async () => {
    const el = await make((e) => {
      e.template = (self) => html`<span data-alone=${self.value} class="a ${self.value} b"></span>`;
    });
    const span = () => el.shadowRoot!.querySelector('span')!;
    for (const value of [nothing, null, undefined]) {
      el.value = 'x';
      await el.updateComplete;
      expect(span().getAttribute('data-alone')).to.equal('x');
      el.value = value;
      await el.updateComplete;
      expect(span().hasAttribute('data-alone'), String(value)).to.equal(false);
      expect(span().getAttribute('class'), String(value)).to.equal(value === nothing ? null : 'a  b');
    }
    el.value = 0;
    await el.updateComplete;
    expect([span().getAttribute('data-alone'), span().getAttribute('class')]).to.deep.equal(['0', 'a 0 b']);
    el.remove();
  });

  it('updates a nested template in place, and replaces it by another', async () => {
    const one = (v: unknown) => html`<b>${v}</b>`;
    const two = (v: unknown) => html`<i>${v}</i><i>${v}</i>`;
    const el = await make((e) => {
      e.value = 1;
      e.template = (self) => html`<p>${(self.value as number) < 10 ? one(self.value) : two(self.value)}</p>`;
    });
    const b = el.shadowRoot!.querySelector('b')!;
    el.value = 2;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('b')).to.equal(b);
    expect(b.textContent).to.equal('2');
    el.value = 20;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('p')!.innerHTML.replace(/<!---->/g, '')).to.equal('<i>20</i><i>20</i>');
    el.value = nothing;
    el.template = (self) => html`<p>${self.value}</p>`;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('p')!.textContent).to.equal('');
    el.remove();
  });

  it('makes SVG elements in the SVG namespace, in an html template or an svg one', async () => {
    const dot = svg`<circle cx="8" cy="8" r="${4}"></circle>`;
    const el = await make((e) => {
      e.template = () => html`<svg viewBox="0 0 16 16">${dot}</svg>`;
    });
    const circle = el.shadowRoot!.querySelector('circle')!;
    expect(circle.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(circle.getAttribute('r')).to.equal('4');
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('viewBox')).to.equal('0 0 16 16');
    el.remove();
  });

  it('calls a listener with the host as `this`, the newest one given', async () => {
    const seen: unknown[] = [];
    const el = await make((e) => {
      e.value = function (this: unknown) {
        seen.push(['first', this]);
      };
      e.template = (self) => html`<button @click=${self.value}>go</button>`;
    });
    el.shadowRoot!.querySelector('button')!.click();
    el.value = function (this: unknown) {
      seen.push(['second', this]);
    };
    await el.updateComplete;
    el.shadowRoot!.querySelector('button')!.click();
    expect(seen).to.deep.equal([
      ['first', el],
      ['second', el],
    ]);
    el.remove();
  });

  it('gives a Lit directive on an element its element, made once and updated', async () => {
    let made = 0;
    class Mark extends Directive {
      constructor(info: PartInfo) {
        super(info);
        made++;
      }
      render(_value: string): unknown {
        return nothing;
      }
      override update(part: ElementPart, [value]: [string]): unknown {
        part.element.setAttribute('data-mark', value);
        return nothing;
      }
    }
    const mark = directive(Mark);
    const el = await make((e) => {
      e.value = 'one';
      e.template = (self) => html`<span ${mark(self.value as string)}></span>`;
    });
    el.value = 'two';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('span')!.getAttribute('data-mark')).to.equal('two');
    expect(made).to.equal(1);
    el.remove();
  });
});
