// Prints the size of the script-tag bundles (dist/cdn) and checks them (exit code 1 when a check fails):
// - every file, bytes as shipped (minified) and gzipped;
// - the full bundle (presence-elements.js) never imports the heavy, lazily loaded libraries statically;
// - per page kind, the script that page loads in all with the autoloader: the autoloader, the file it loads for each
//   of the page's tags, their static imports, and the chunks that page loads with import() (a page of avatars
//   signed in with MSAL loads MSAL). Each
//   kind with a ceiling must fit under it (a page over its budget, the target, is said, not failed), and must not
//   load what it does not use (the team list, sign-in, MSAL...).
// The chunk graph comes from the build (build/cdn-*.json, written by rollup.config.mjs). Each file is gzipped on
// its own (level 9), as a browser downloads it. KB = 1,000 bytes.
// `--json` prints the same figures as JSON.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../dist/cdn', import.meta.url));
const graphs = fileURLToPath(new URL('../build', import.meta.url));
const LAZY = /msal|signalr/i;
const KB = 1000;

/** Modules that are a page kind's business only: a page that does not use them must not load them. */
const PIECES = {
  'team list': /dist\/elements\/team-presence-list\//,
  'sign-in button': /dist\/elements\/presence-sign-in\//,
  'status picker': /dist\/elements\/presence-status-picker\//,
  card: /dist\/elements\/presence-card\/presence-card\.js$/,
  'card opener': /dist\/elements\/presence-card\/card-opener\.js$/,
  'notify me': /dist\/elements\/shared\/notify-controller\.js$/,
  alerts: /dist\/elements\/presence-alerts\//,
  // MSAL, and our wrapper that loads it (dist/auth/msal.js, itself loaded when a client first asks for a token).
  MSAL: /@azure\/msal-|dist\/auth\/msal\.js$/,
  // Graph is called with the page's fetch (src/graph/graph-fetch.ts): no page may bring the Graph SDK back.
  'Graph client': /@microsoft\/microsoft-graph-client\//,
  SignalR: /@microsoft\/signalr\//,
  'demo tenant': /dist\/sources\/demo\.js$/,
  'non-English words': /dist\/presence\/locales\/(fr|de|ar|he)\.js$/,
  // Lit's element classes and template engine: the avatar, the badge and the provider render without them.
  Lit: /node_modules\/(lit-element\/lit-element|lit-html\/lit-html|@lit\/reactive-element\/reactive-element)\.js$/,
};

/**
 * What each kind of page loads. `tags`: the tags in the page, with the autoloader (its script tag): the page loads
 * autoloader.js, and the file the autoloader imports for each tag when it appears (none for the avatar and the
 * badge, which the autoloader's file holds). `entries`: the files a page loads otherwise (the full bundle). `loads`:
 * modules the page then imports on demand (the chunk holding each, with its static imports). `budget` in bytes
 * gzipped: the target; `ceiling`: what the page may load at most today (a little above what it loads now), so that
 * it never grows while the target is not met; `without`: pieces of PIECES it must not load.
 */
/** Every piece of PIECES but those named: what a page using them must not load. */
const allBut = (...used) => Object.keys(PIECES).filter((piece) => !used.includes(piece));
/** Loaded first: MSAL's chunk is loaded from it. */
const MSAL_WRAPPER = /dist\/auth\/msal\.js$/;
const PAGES = [
  {
    kind: 'static avatars and badges (presence given, no client)',
    tags: ['presence-avatar', 'presence-badge'],
    loads: [],
    budget: 13 * KB,
    // Met: the budget is the ceiling.
    ceiling: 13 * KB,
    without: Object.keys(PIECES),
  },
  {
    kind: 'live avatars, polling Graph (token from the page: no MSAL)',
    tags: ['presence-provider', 'presence-avatar'],
    loads: [/dist\/graph\/graph-source\.js$/, /dist\/transports\/polling\.js$/],
    budget: 24 * KB,
    ceiling: 25.9 * KB,
    without: Object.keys(PIECES),
  },
  {
    kind: 'live avatars, polling Graph, signed in with MSAL',
    tags: ['presence-provider', 'presence-avatar'],
    loads: [/dist\/graph\/graph-source\.js$/, /dist\/transports\/polling\.js$/, MSAL_WRAPPER, PIECES.MSAL],
    without: allBut('MSAL'),
  },
  {
    kind: 'live avatars pushed by the relay (SignalR), MSAL',
    tags: ['presence-provider', 'presence-avatar'],
    loads: [
      /dist\/graph\/graph-source\.js$/,
      /dist\/transports\/signalr\.js$/,
      MSAL_WRAPPER,
      PIECES.MSAL,
      PIECES.SignalR,
    ],
    without: allBut('MSAL', 'SignalR'),
  },
  {
    kind: 'demo tenant with avatars (<presence-provider demo>)',
    tags: ['presence-provider', 'presence-avatar'],
    loads: [PIECES['demo tenant']],
    without: allBut('demo tenant'),
  },
  {
    kind: 'avatars in Arabic (lang="ar", no client)',
    tags: ['presence-avatar', 'presence-badge'],
    loads: [/dist\/presence\/locales\/ar\.js$/],
    without: allBut('non-English words'),
  },
  {
    kind: 'an avatar opening its card (card attribute)',
    tags: ['presence-avatar', 'presence-card'],
    loads: [PIECES['card opener']],
    without: ['team list', 'sign-in button', 'MSAL', 'Graph client', 'SignalR'],
  },
  {
    kind: 'team list, polling Graph, signed in (sign-in button, MSAL)',
    tags: ['presence-provider', 'team-presence-list', 'presence-sign-in'],
    // Members are paged by code loaded with the first list (graph/members.js, client/presence-hold.js).
    loads: [
      /dist\/graph\/graph-source\.js$/,
      /dist\/transports\/polling\.js$/,
      /dist\/graph\/members\.js$/,
      /dist\/client\/presence-hold\.js$/,
      MSAL_WRAPPER,
      PIECES.MSAL,
    ],
    without: ['Graph client'],
  },
  {
    kind: 'every element, full bundle (presence-elements.js)',
    graph: 'cdn-full.json',
    entries: ['presence-elements.js'],
    loads: [],
    without: ['Graph client'],
  },
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.js') ? [path] : [];
  });
}

function staticImports(code) {
  const found = [];
  for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{},\s$]+from\s*)?["']([^"']+)["']/g))
    found.push(match[1]);
  return found;
}

let list;
try {
  list = files(root);
} catch {
  console.error('dist/cdn is missing: run `npm run build` first.');
  process.exit(1);
}
const rows = list.map((path) => {
  const code = readFileSync(path);
  return {
    file: relative(root, path).replaceAll('\\', '/'),
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    staticImports: staticImports(code.toString('utf8')),
  };
});
const byFile = new Map(rows.map((r) => [r.file, r]));
const entry = byFile.get('presence-elements.js');
const entryStatic = new Set(entry ? entry.staticImports.map((s) => s.replace(/^\.\//, '')) : []);
const eagerHeavy = rows.filter((r) => entryStatic.has(r.file) && LAZY.test(r.file)).map((r) => r.file);
const problems = eagerHeavy.map((f) => `the full bundle loads ${f} eagerly`);

/**
 * The file the autoloader loads to define `tag`: the tag's entry, or else the file holding the element's class (the
 * autoloader defines the avatar and the badge from their classes), which may be the autoloader's own.
 */
function tagFile(graph, tag) {
  const { dynamicImports, modules } = graph['autoloader.js'];
  const entry = `elements/${tag}.js`;
  if (dynamicImports.includes(entry)) return entry;
  const element = `dist/elements/${tag}/${tag}.js`;
  if (modules.includes(element)) return 'autoloader.js';
  const holder = dynamicImports.find((file) => graph[file].modules.includes(element));
  if (!holder) throw new Error(`the autoloader neither loads ${entry} nor the class of <${tag}>`);
  return holder;
}

/** A page kind's files: entries and the chunks holding `loads`, each with its static imports, closed over. */
function measure(page) {
  const path = join(graphs, page.graph ?? 'cdn-autoload.json');
  if (!existsSync(path)) throw new Error(`${relative(process.cwd(), path)} is missing: run \`npm run build\`.`);
  const graph = JSON.parse(readFileSync(path, 'utf8'));
  const seen = new Set();
  const reachable = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    if (!graph[file]) throw new Error(`${page.kind}: ${file} is not in the build`);
    seen.add(file);
    for (const next of graph[file].imports) visit(next);
    for (const next of graph[file].dynamicImports) reachable.add(next);
  };
  for (const file of page.entries ?? ['autoloader.js', ...page.tags.map((tag) => tagFile(graph, tag))]) visit(file);
  for (const wanted of page.loads) {
    const holders = Object.keys(graph).filter((f) => graph[f].modules.some((m) => wanted.test(m)));
    if (!holders.length) throw new Error(`${page.kind}: no chunk holds ${wanted}`);
    for (const file of holders) {
      // Loaded on demand means reachable with import() from what the page has: anything else is a mistake here.
      if (!seen.has(file) && !reachable.has(file) && ![...seen].some((f) => graph[f].dynamicImports.includes(file)))
        throw new Error(`${page.kind}: ${file} (holding ${wanted}) is not loaded by anything this page loads`);
      visit(file);
    }
  }
  const modules = [...seen].flatMap((f) => graph[f].modules);
  const loaded = (page.without ?? []).filter((piece) => modules.some((m) => PIECES[piece].test(m)));
  const sum = (key) => [...seen].reduce((s, f) => s + (byFile.get(f)?.[key] ?? 0), 0);
  const parts = [...seen].map((f) => ({ file: f, gzip: byFile.get(f)?.gzip ?? 0 })).sort((a, b) => b.gzip - a.gzip);
  return {
    kind: page.kind,
    files: seen.size,
    bytes: sum('bytes'),
    gzip: sum('gzip'),
    budget: page.budget,
    ceiling: page.ceiling,
    loaded,
    parts,
  };
}

/** Pages over their target budget but within their ceiling: said, not failed. */
const overBudget = [];
let pages;
try {
  pages = PAGES.map(measure);
} catch (error) {
  console.error(`ERROR: ${error.message}`);
  process.exit(1);
}
for (const p of pages) {
  if (p.ceiling !== undefined && p.gzip > p.ceiling)
    problems.push(`${p.kind}: ${(p.gzip / KB).toFixed(1)} KB gzipped, over its ceiling of ${p.ceiling / KB} KB`);
  if (p.budget !== undefined && p.gzip > p.budget)
    overBudget.push(`${p.kind}: ${(p.gzip / KB).toFixed(1)} KB gzipped, over its budget of ${p.budget / KB} KB`);
  if (p.loaded.length) problems.push(`${p.kind}: loads what it does not use: ${p.loaded.join(', ')}`);
}

const summary = {
  files: rows.map(({ staticImports: _, ...r }) => r),
  pages,
  heavyLibrariesLoadedEagerly: eagerHeavy,
  overBudget,
  problems,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const pad = (v, n) => String(v).padStart(n);
  const kb = (b) => (b / KB).toFixed(1);
  console.log(`${'file'.padEnd(48)} ${pad('minified B', 11)} ${pad('gzip B', 8)}`);
  for (const r of summary.files)
    console.log(`${r.file.padEnd(48)} ${pad(r.bytes.toLocaleString('en'), 11)} ${pad(r.gzip.toLocaleString('en'), 8)}`);
  console.log('');
  console.log(
    `${'page kind (script loaded in all)'.padEnd(62)} ${pad('files', 5)} ${pad('min KB', 7)} ${pad('gzip KB', 8)} ${pad('budget', 7)} ${pad('ceiling', 8)}`,
  );
  for (const p of pages) {
    const verdict =
      p.budget === undefined
        ? ''
        : p.gzip <= p.budget
          ? '  ok'
          : p.ceiling !== undefined && p.gzip <= p.ceiling
            ? '  over budget, under ceiling'
            : '  OVER';
    console.log(
      `${p.kind.padEnd(62)} ${pad(p.files, 5)} ${pad(kb(p.bytes), 7)} ${pad(kb(p.gzip), 8)} ${pad(p.budget === undefined ? '-' : kb(p.budget), 7)} ${pad(p.ceiling === undefined ? '-' : kb(p.ceiling), 8)}${verdict}`,
    );
  }
  console.log('');
  console.log(
    eagerHeavy.length
      ? `ERROR: loaded eagerly: ${eagerHeavy.join(', ')}`
      : 'MSAL and SignalR: none in the full bundle entry; lazily loaded only. The Graph client: on no page.',
  );
  for (const p of problems.filter((x) => !x.startsWith('the full bundle'))) console.log(`ERROR: ${p}`);
  for (const p of overBudget) console.log(`NOT YET: ${p}`);
  // Where the bytes of a page over its budget go: what to make smaller, or load later.
  for (const p of pages.filter((x) => x.budget !== undefined && x.gzip > x.budget))
    console.log(`  ${p.kind}: ${p.parts.map((x) => `${x.file} ${kb(x.gzip)}`).join(', ')}`);
}
// Loading a heavy library on every page, or a page over its ceiling, is a build error, not a matter of taste; a
// page over its budget (the target) but under its ceiling is said, so that the gap stays in view.
if (problems.length) process.exitCode = 1;
