// Server-side rendering for the SSR tests: the built package's elements rendered in Node with @lit-labs/ssr, as an
// app's server would, and the page the hydration test serves.
import { join } from 'node:path';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { root } from './support.js';

/** Registers the built package's elements in the server's registry (Lit's shim), once. */
export async function defineOnServer(): Promise<void> {
  await import(join(root, 'dist/define.js'));
}

/** The HTML the server sends for this markup: each element with its shadow root as a declarative template. */
export async function renderToString(markup: string): Promise<string> {
  await defineOnServer();
  return collectResult(render(html`${unsafeHTML(markup)}`));
}

/** A JSON attribute value, escaped for a single-quoted attribute. */
export function jsonAttribute(value: unknown): string {
  return JSON.stringify(value).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
}

export const BUSY = jsonAttribute({ availability: 'Busy', activity: 'InACall' });
export const AVAILABLE = jsonAttribute({ availability: 'Available', activity: 'Available' });

/** The body of the hydration test's page: one of each element, with the attributes a server knows. */
export const PAGE_BODY = `
  <presence-badge id="badge" size="large" presence='${BUSY}'></presence-badge>
  <presence-avatar id="avatar" display-name="Adele Vance" presence='${AVAILABLE}' show-name show-status></presence-avatar>
  <presence-avatar id="arabic" lang="ar" display-name="Adele Vance" presence='${BUSY}' show-status></presence-avatar>
  <presence-avatar id="photo" size="Large" display-name="Megan Bowen" photo-url="./megan.svg" presence='${AVAILABLE}'></presence-avatar>
  <div lang="fr"><presence-badge id="french" presence='${BUSY}'></presence-badge></div>
  <presence-provider id="provider" demo>
    <presence-avatar id="live" user-id="me" show-name show-status></presence-avatar>
    <team-presence-list id="team" user-ids="alex megan nestor"></team-presence-list>
    <presence-sign-in id="sign-in"></presence-sign-in>
    <presence-status-picker id="picker"></presence-status-picker>
    <presence-card id="card" user-id="me"></presence-card>
  </presence-provider>
  <team-presence-list id="lonely" user-ids="a b"></team-presence-list>
  <presence-alerts id="alerts"></presence-alerts>
`;

/** The whole page: server-rendered elements, and the client module (hydrate support first, then the elements). */
export async function renderPage(client: string): Promise<string> {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Server-rendered presence</title>
  <link rel="icon" href="data:,">
  <script type="module" src="${client}"></script>
</head>
<body>
${await renderToString(PAGE_BODY)}
</body>
</html>
`;
}
