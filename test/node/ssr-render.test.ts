// Server-side rendering with @lit-labs/ssr: every element renders in Node, where there is no Element, document or
// window, to declarative shadow DOM holding the words a reader sees before any script runs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AVAILABLE, BUSY, renderToString } from './ssr-support.js';
import { requireBuild } from './support.js';

before(() => requireBuild('dist/define.js'));

/** The element's HTML with its styles and Lit's markers left out, spaces collapsed: what to read. */
function readable(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->|<\?>/g, '')
    .replace(/\s+/g, ' ');
}

/** The shadow root's HTML of the first `tag` in `html`: its declarative template's content. */
function shadowOf(html: string, tag: string): string {
  const start = html.indexOf(`<${tag}`);
  assert.ok(start >= 0, `<${tag}> was not rendered`);
  const template = html.slice(start).match(/^<[^>]*>\s*<template shadowroot="open" shadowrootmode="open">/);
  assert.ok(template, `<${tag}> has no declarative shadow root`);
  return readable(html.slice(start + template[0].length));
}

test('a badge says its status', async () => {
  const shadow = shadowOf(
    await renderToString(`<presence-badge presence='${BUSY}'></presence-badge>`),
    'presence-badge',
  );
  assert.match(shadow, /role="img" aria-label="Busy, In a call"/);
  assert.match(shadow, /data-status="busy"/);
});

test('an avatar shows initials, name and status from its attributes', async () => {
  const html = await renderToString(
    `<presence-avatar user-id="adele" display-name="Adele Vance" presence='${AVAILABLE}' show-name show-status></presence-avatar>`,
  );
  const shadow = shadowOf(html, 'presence-avatar');
  assert.match(shadow, /aria-label="Adele Vance, Available"/);
  assert.match(shadow, /<span part="initials" class="initials" aria-hidden="true">AV<\/span>/);
  assert.match(shadow, /<span part="name" class="name" dir="auto" title="Adele Vance">Adele Vance<\/span>/);
  assert.match(shadow, /<span part="status" class="status">Available<\/span>/);
  assert.match(shadow, /data-status="available"/);
});

test('an avatar with lang="ar" speaks Arabic; with a photo, the photo is in the HTML', async () => {
  const html = await renderToString(
    `<presence-avatar lang="ar" display-name="Adele Vance" photo-url="/adele.png" presence='${BUSY}' show-status></presence-avatar>`,
  );
  const shadow = shadowOf(html, 'presence-avatar');
  assert.match(shadow, /aria-label="Adele Vance، مشغول، في مكالمة"/);
  assert.match(shadow, /<span part="status" class="status">مشغول، في مكالمة<\/span>/);
  assert.match(shadow, /<img part="image" class="image " src="\/adele.png"/);
});

test('an avatar waiting for its client shows an unknown person, not an error', async () => {
  const shadow = shadowOf(
    await renderToString(`<presence-avatar user-id="adele"></presence-avatar>`),
    'presence-avatar',
  );
  assert.match(shadow, /aria-label="Unknown person"/);
  assert.doesNotMatch(shadow, /data-status=/);
});

test('a provider renders its children, each with its own shadow root', async () => {
  const html = await renderToString(
    `<presence-provider demo><presence-avatar display-name="Megan Bowen"></presence-avatar></presence-provider>`,
  );
  assert.match(shadowOf(html, 'presence-provider'), /^<slot><\/slot><\/template>/);
  assert.match(shadowOf(html, 'presence-avatar'), /aria-label="Megan Bowen"/);
});

test('a team list renders its toolbar once and says it is loading its members', async () => {
  for (const source of ['user-ids="adele megan"', 'team-id="team-1"', 'group-id="group-1"']) {
    const shadow = shadowOf(
      await renderToString(`<team-presence-list ${source}></team-presence-list>`),
      'team-presence-list',
    );
    assert.equal(shadow.match(/part="toolbar"/g)?.length, 1, source);
    assert.match(shadow, /aria-label="Filter by name" placeholder="Filter by name"/);
    assert.match(shadow, /role="listbox"/);
    assert.match(shadow, /aria-busy="true"/);
    assert.match(shadow, /<div class="empty">Loading members…<\/div>/);
  }
  const arabic = shadowOf(
    await renderToString(`<team-presence-list lang="ar" user-ids="adele" no-filter></team-presence-list>`),
    'team-presence-list',
  );
  assert.doesNotMatch(arabic, /part="toolbar"/);
  assert.match(arabic, /جارٍ تحميل الأعضاء…/);
});

test('a team list with no members to show says so', async () => {
  const shadow = shadowOf(await renderToString(`<team-presence-list></team-presence-list>`), 'team-presence-list');
  assert.match(shadow, /<span class="summary" role="status" title="">0 people<\/span>/);
  assert.match(shadow, /aria-busy="false"/);
});

test('sign-in, status picker, alerts and card render their waiting state', async () => {
  const signIn = shadowOf(await renderToString(`<presence-sign-in></presence-sign-in>`), 'presence-sign-in');
  assert.match(signIn, /<button part="button" class="primary" disabled >Sign in<\/button>/);

  const picker = shadowOf(
    await renderToString(`<presence-status-picker></presence-status-picker>`),
    'presence-status-picker',
  );
  assert.match(picker, /<span part="status" class="status">Getting your status…<\/span>/);
  assert.match(picker, /aria-disabled="true"/);
  assert.match(picker, /<span class="label">Do not disturb<\/span>/);

  const alerts = shadowOf(await renderToString(`<presence-alerts></presence-alerts>`), 'presence-alerts');
  assert.match(alerts, /Notify me when available \(0\)/);
  assert.match(alerts, /You are not waiting for anyone\./);
  // Whether the browser allows notifications is not known on the server: no button about it.
  assert.doesNotMatch(alerts, /part="desktop/);

  const card = await renderToString(`<presence-card user-id="adele" lang="ar"></presence-card>`);
  const shadow = shadowOf(card, 'presence-card');
  assert.match(shadow, /<div part="name" class="name" dir="auto">جارٍ التحميل…<\/div>/);
  // The card's avatar is rendered too, and waits for the card to hydrate it.
  assert.match(shadow, /<presence-avatar part="photo"[^>]* defer-hydration><template shadowroot="open"/);
});
