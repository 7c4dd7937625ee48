// The React wrappers of `presence-elements/react` as a server-rendered React app uses them: rendered to HTML in Node
// with react-dom/server, then hydrated in Chromium with react-dom/client. After hydration the element must have its
// properties (an object included) and the wrapper's listener must hear the element's events: the part React drops
// when it hydrates a custom element itself.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { build } from 'esbuild';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import ts from 'typescript';
import { chromiumStage, noChromium } from './stage.js';
import { root } from './support.js';

const site = mkdtempSync(join(tmpdir(), 'presence-elements-react-'));
after(() => rmSync(site, { recursive: true, force: true }));

// The same props on both sides, one only a property can carry (an object); the browser adds a listener.
const props = {
  id: 'adele',
  displayName: 'Adele Vance',
  presence: { availability: 'Busy', activity: 'InACall' },
  showStatus: true,
};

const stage = chromiumStage({
  requires: ['dist/react/index.js'],
  site: async () => {
    await build({
      stdin: {
        contents: `
          import { createElement } from 'react';
          import { hydrateRoot } from 'react-dom/client';
          import { PresenceAvatar } from './dist/react/index.js';
          const props = ${JSON.stringify(props)};
          window.heard = [];
          window.hydrate = () => {
            const element = createElement(PresenceAvatar, {
              ...props,
              onPresenceChange: (event) => window.heard.push(event.detail.availability),
            });
            hydrateRoot(document.getElementById('root'), element, {
              onRecoverableError: (error) => console.error('recoverable: ' + error.message),
            });
          };
        `,
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      define: { 'process.env.NODE_ENV': '"development"' },
      outfile: join(site, 'app.js'),
      logLevel: 'silent',
    });
    const { PresenceAvatar } = await import(join(root, 'dist/react/index.js'));
    const html = renderToString(createElement(PresenceAvatar, props));
    writeFileSync(
      join(site, 'index.html'),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><div id="root">${html}</div><script type="module" src="app.js"></script>`,
    );
    return site;
  },
});

// A React Server Components bundler (Next.js App Router) runs a module as a server component unless it opens with
// the 'use client' directive; there the wrappers' hooks do not exist, and a page that renders `<PresenceProvider
// demo>` fails to build (`useRef is not a function`). https://react.dev/reference/rsc/use-client
test('the wrappers module is a client module, so a server component can render the wrappers', () => {
  const text = readFileSync(join(root, 'dist/react/index.js'), 'utf8');
  const module = ts.createSourceFile('index.js', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const first = module.statements[0];
  assert.ok(
    first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression),
    'the module opens with a directive',
  );
  assert.equal(first.expression.text, 'use client');
});

test('on the server the wrapper renders the bare tag, its properties left for the browser', async () => {
  const { PresenceAvatar } = await import(join(root, 'dist/react/index.js'));
  const html = renderToString(createElement(PresenceAvatar, { id: 'adele', displayName: 'Adele Vance' }));
  assert.match(html, /^<presence-avatar id="adele"[^>]*><\/presence-avatar>$/);
});

test(
  'after hydration the element has its properties and the wrapper hears its events',
  { skip: noChromium },
  async () => {
    const page = await stage.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(`${stage.origin}/index.html`);
    await page.waitForFunction(() => typeof (window as { hydrate?: unknown }).hydrate === 'function');
    await page.evaluate(() => (window as unknown as { hydrate: () => void }).hydrate());
    const seen = await page.evaluate(async () => {
      const avatar = document.getElementById('adele') as HTMLElement & {
        presence: unknown;
        displayName: string | null;
        updateComplete: Promise<unknown>;
      };
      // Hydration sets the properties in a layout effect; the next frame is after it.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await avatar.updateComplete;
      avatar.dispatchEvent(
        new CustomEvent('presence-change', {
          detail: { userId: 'adele', availability: 'Away', activity: 'Away', previousAvailability: 'Busy' },
          bubbles: true,
          composed: true,
        }),
      );
      return {
        defined: customElements.get('presence-avatar') !== undefined,
        count: document.querySelectorAll('presence-avatar').length,
        presence: avatar.presence,
        displayName: avatar.displayName,
        label: avatar.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('aria-label'),
        heard: (window as unknown as { heard: string[] }).heard,
      };
    });
    assert.deepEqual(seen, {
      defined: true,
      count: 1,
      presence: { availability: 'Busy', activity: 'InACall' },
      displayName: 'Adele Vance',
      label: 'Adele Vance, Busy, In a call',
      heard: ['Away'],
    });
    assert.deepEqual(problems, []);
    await page.close();
  },
);
