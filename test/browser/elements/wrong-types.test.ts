import { expect, fixture, html } from '@open-wc/testing';
import type { LitElement, TemplateResult } from 'lit';
import '../../../src/define.js';

interface ManifestMember {
  kind: string;
  name: string;
  static?: boolean;
  readonly?: boolean;
  privacy?: string;
}
interface ManifestDeclaration {
  tagName?: string;
  customElement?: boolean;
  members?: ManifestMember[];
}
interface Manifest {
  modules: Array<{ declarations?: ManifestDeclaration[] }>;
}

/** Values of every type but the one a property documents: what frameworks and typos hand elements. */
const WRONG: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['0', 0],
  ['123', 123],
  ['NaN', NaN],
  ['-Infinity', -Infinity],
  ['true', true],
  ['an empty object', {}],
  ['an object', { availability: 5, id: [], displayName: {} }],
  ['an object without a prototype', Object.create(null)],
  ['an empty array', []],
  ['an array', ['a', 1, null]],
  ['a Symbol', Symbol('wrong')],
  ['a function', () => 'wrong'],
  ['a Date', new Date(0)],
  ['a big integer', 10n],
];

/** Each element where it is meant to be, with what it needs to draw something. */
const SETTINGS: Record<string, { template: () => TemplateResult; rendered: string }> = {
  'presence-avatar': {
    template: () =>
      html`<presence-avatar user-id="u1" display-name="Adele Vance" presence="Busy" show-name show-status></presence-avatar>`,
    rendered: '[part~="base"]',
  },
  'presence-badge': {
    template: () => html`<presence-badge status="busy"></presence-badge>`,
    rendered: '[part~="base"]',
  },
  'presence-provider': {
    template: () => html`<presence-provider demo><presence-avatar user-id="u1"></presence-avatar></presence-provider>`,
    rendered: 'slot',
  },
  'presence-sign-in': {
    template: () => html`<presence-provider demo><presence-sign-in></presence-sign-in></presence-provider>`,
    rendered: 'button, presence-avatar',
  },
  'team-presence-list': {
    template: () =>
      html`<presence-provider demo><team-presence-list user-ids="a b c"></team-presence-list></presence-provider>`,
    rendered: '[part~="list"]',
  },
  'presence-status-picker': {
    template: () => html`<presence-provider demo><presence-status-picker></presence-status-picker></presence-provider>`,
    rendered: '[part~="button"]',
  },
  'presence-alerts': {
    template: () => html`<presence-provider demo><presence-alerts></presence-alerts></presence-provider>`,
    rendered: '[part~="region"]',
  },
  'presence-card': {
    template: () => html`<presence-provider demo><presence-card user-id="u1"></presence-card></presence-provider>`,
    rendered: '[part~="base"]',
  },
};

async function publicProperties(): Promise<Map<string, string[]>> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
  const found = new Map<string, string[]>();
  for (const declaration of manifest.modules.flatMap((m) => m.declarations ?? [])) {
    if (!declaration.customElement || !declaration.tagName) continue;
    const names = (declaration.members ?? [])
      .filter((m) => m.kind === 'field' && !m.static && !m.readonly && (m.privacy ?? 'public') === 'public')
      .map((m) => m.name);
    found.set(declaration.tagName, names);
  }
  return found;
}

/** Runs `body`, collecting what the page reports as broken meanwhile: uncaught errors and console errors. */
async function problemsDuring(body: () => Promise<void>): Promise<string[]> {
  const problems: string[] = [];
  const onError = (event: ErrorEvent) => problems.push(`error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent) => problems.push(`unhandled rejection: ${String(event.reason)}`);
  const consoleError = console.error;
  console.error = (...args: unknown[]) =>
    problems.push(`console.error: ${args.map((a) => (typeof a === 'symbol' ? a.toString() : String(a))).join(' ')}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    await body();
    // Work that properties set off (a reload, a watch) has a task to fail in.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  } catch (error) {
    problems.push(`thrown: ${String(error)}`);
  } finally {
    console.error = consoleError;
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  }
  return problems;
}

describe('every public property, given a value of the wrong type', () => {
  it('the manifest lists the public properties of every element', async () => {
    const properties = await publicProperties();
    expect([...properties.keys()].sort()).to.deep.equal(Object.keys(SETTINGS).sort());
    expect(properties.get('presence-avatar')).to.include.members(['userId', 'displayName', 'presence', 'size']);
  });

  for (const [tag, setting] of Object.entries(SETTINGS)) {
    it(`<${tag}> never throws and still renders`, async () => {
      const properties = (await publicProperties()).get(tag) ?? [];
      const failures: string[] = [];
      for (const property of properties) {
        for (const [name, value] of WRONG) {
          let el: LitElement | undefined;
          const problems = await problemsDuring(async () => {
            const root = await fixture(setting.template());
            el = (root.localName === tag ? root : root.querySelector(tag)) as LitElement;
            await el.updateComplete;
            (el as unknown as Record<string, unknown>)[property] = value;
            await el.updateComplete;
            // Once more, with the next value arriving on top of a wrong one.
            (el as unknown as Record<string, unknown>)[property] = value;
            await el.updateComplete;
          });
          const drawn = !!el?.shadowRoot?.querySelector(setting.rendered);
          if (problems.length || !drawn)
            failures.push(`${property} = ${name}: ${drawn ? '' : 'nothing rendered; '}${problems.join('; ')}`);
        }
      }
      expect(failures).to.deep.equal([]);
    });
  }
});
