// A `cem analyze` plugin: where an element's attribute or property is typed with a named union of string literals
// (`ResetAfter`, `BadgeStatus`, `AvatarSizeName = keyof typeof AVATAR_SIZES`), adds `expandedType` with the literals
// spelled out, so tools that read only the manifest (the IDE data, framework types) know the values without the
// TypeScript source. `type.text` stays as written, as the README tables show it.

/** A union's members, split on the `|` that are not inside brackets or quotes. */
export function unionMembers(text) {
  const members = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === '|' && depth === 0) {
      members.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  members.push(text.slice(start).trim());
  return members.filter(Boolean);
}

/** The string a literal type member stands for (`'small'` gives `small`), or undefined. */
export function stringLiteral(member) {
  const match = /^(['"])(.*)\1$/.exec(member);
  return match ? match[2] : undefined;
}

export function expandedTypesPlugin() {
  /** Type alias name → its members as written (literals or other names). */
  const aliases = new Map();
  /** `const NAME = { ... }` → the object's keys, for `keyof typeof NAME`. */
  const objectKeys = new Map();

  const quoted = (key) => `'${key}'`;

  function expand(member, seen = new Set()) {
    if (seen.has(member)) return [member];
    const members = aliases.get(member);
    if (!members) return [member];
    seen.add(member);
    return members.flatMap((m) => expand(m, seen));
  }

  function expandedText(text) {
    if (!text) return undefined;
    const members = unionMembers(text);
    const expanded = members.flatMap((m) => expand(m));
    if (expanded.join(' | ') === members.join(' | ')) return undefined;
    return [...new Set(expanded)].join(' | ');
  }

  return {
    name: 'presence-elements/expanded-types',
    collectPhase({ ts, node }) {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        let init = node.initializer;
        while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) {
          init = init.expression;
        }
        if (ts.isObjectLiteralExpression(init)) {
          const keys = init.properties
            .filter((p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            .map((p) => p.name.text);
          objectKeys.set(node.name.text, keys);
        }
      }
      if (!ts.isTypeAliasDeclaration(node)) return;
      const type = node.type;
      const name = node.name.text;
      // keyof typeof SOME_OBJECT
      if (
        ts.isTypeOperatorNode(type) &&
        type.operator === ts.SyntaxKind.KeyOfKeyword &&
        ts.isTypeQueryNode(type.type) &&
        ts.isIdentifier(type.type.exprName)
      ) {
        aliases.set(name, { keyofTypeof: type.type.exprName.text });
        return;
      }
      const parts = ts.isUnionTypeNode(type) ? type.types : [type];
      const members = [];
      for (const part of parts) {
        if (ts.isLiteralTypeNode(part) && ts.isStringLiteral(part.literal)) members.push(quoted(part.literal.text));
        else if (ts.isTypeReferenceNode(part) && ts.isIdentifier(part.typeName) && !part.typeArguments) {
          members.push(part.typeName.text);
        } else return; // not a plain union of string literals: left as it is
      }
      aliases.set(name, members);
    },
    packageLinkPhase({ customElementsManifest }) {
      // `keyof typeof` aliases become literal lists once every object is known.
      for (const [name, value] of aliases) {
        if (Array.isArray(value)) continue;
        const keys = objectKeys.get(value.keyofTypeof);
        if (keys) aliases.set(name, keys.map(quoted));
        else aliases.delete(name);
      }
      // Only aliases that end in literals alone are expanded (a union with an interface in it is not a value list).
      for (const [name] of aliases) {
        if (!expand(name).every((m) => stringLiteral(m) !== undefined)) aliases.delete(name);
      }
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (!declaration.customElement) continue;
          for (const item of [...(declaration.attributes ?? []), ...(declaration.members ?? [])]) {
            const text = expandedText(item.type?.text);
            if (text) item.expandedType = { text };
          }
        }
      }
    },
  };
}
