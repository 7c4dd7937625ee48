// A Rollup plugin for the script-tag bundles: the text of css`` templates, which a JavaScript minifier leaves as it
// is, loses its comments and the whitespace CSS does not need. The html`` and svg`` templates of Lit's own tags keep
// their text: it is what Lit hydrates server-rendered HTML against (a template's digest). Those of our own tags
// (src/elements/shared/template.ts, which the browser renders afresh, never hydrating) have each run of whitespace
// made one space, which HTML renders alike.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One number in a source map's base-64 variable-length encoding. */
function vlq(value) {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * The CSS text with comments gone, each run of whitespace one space, and no space around `{`, `}`, `;` and `,`,
 * nor after `:`. Quoted strings are kept as they are.
 */
export function minifyCss(text) {
  return text
    .split(/('[^']*'|"[^"]*")/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};,]) ?/g, '$1')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('');
}

/**
 * The static parts of the css`` templates in a module, minified, and of the html`` and svg`` ones when `ownTags` (the
 * module takes them from our template.js): [start, end, text] (`start`, `end`: offsets in the code).
 */
function cssParts(ast, ownTags) {
  const parts = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'css') {
      const { quasis } = node.quasi;
      quasis.forEach((quasi, i) => {
        let text = minifyCss(quasi.value.raw);
        if (i === 0) text = text.trimStart();
        if (i === quasis.length - 1) text = text.trimEnd();
        parts.push([quasi.start, quasi.end, text]);
      });
    }
    if (ownTags && node.type === 'TaggedTemplateExpression' && /^(html|svg)$/.test(node.tag.name ?? '')) {
      for (const quasi of node.quasi.quasis) parts.push([quasi.start, quasi.end, quasi.value.raw.replace(/\s+/g, ' ')]);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast);
  return parts.sort((a, b) => a[0] - b[0]);
}

/**
 * The new code, and a source map from it to the old: each piece left alone maps to where it was, each rewritten
 * piece to the start of what it replaced.
 */
function rewrite(code, edits, id) {
  let out = '';
  let from = 0;
  const pieces = [];
  for (const [start, end, text] of edits) {
    pieces.push({ at: out.length, source: from, text: code.slice(from, start) });
    out += code.slice(from, start);
    pieces.push({ at: out.length, source: start, text });
    out += text;
    from = end;
  }
  pieces.push({ at: out.length, source: from, text: code.slice(from) });
  out += code.slice(from);

  // Line and column of every offset of the old code.
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const where = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return [low, offset - lineStarts[low]];
  };

  const lines = [];
  let segments = [];
  let column = 0;
  let previous = [0, 0];
  let lastColumn = 0;
  const mark = (source) => {
    const [line, col] = where(source);
    segments.push(vlq(column - lastColumn) + vlq(0) + vlq(line - previous[0]) + vlq(col - previous[1]));
    lastColumn = column;
    previous = [line, col];
  };
  for (const piece of pieces) {
    const original = piece.text === code.slice(piece.source, piece.source + piece.text.length);
    mark(piece.source);
    for (let i = 0; i < piece.text.length; i++) {
      if (piece.text[i] !== '\n') {
        column++;
        continue;
      }
      lines.push(segments.join(','));
      segments = [];
      column = 0;
      lastColumn = 0;
      // A line of an unchanged piece starts where that line started; of a rewritten one, where the piece did.
      if (i + 1 < piece.text.length) mark(original ? piece.source + i + 1 : piece.source);
    }
  }
  lines.push(segments.join(','));
  return { code: out, map: { version: 3, sources: [id], names: [], mappings: lines.join(';') } };
}

export function minifyCssTemplates() {
  return {
    name: 'minify-css-templates',
    transform(code, id) {
      const ownTags = /from '[^']*shared\/template\.js'/.test(code);
      if (!/[/\\]dist[/\\]/.test(id) || !(ownTags || /\bcss\s*`/.test(code))) return null;
      const edits = cssParts(this.parse(code), ownTags).filter(([start, end, text]) => text !== code.slice(start, end));
      return edits.length ? rewrite(code, edits, id) : null;
    },
  };
}
