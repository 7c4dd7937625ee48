// The keys of the WAI-ARIA menu pattern that move focus among a menu's items
// (https://www.w3.org/WAI/ARIA/apg/patterns/menubar/): pure, for the picker's menu.

/** The item to focus after `key` from `index` among `count` items (wrapping), or undefined for other keys. */
export function movedIndex(key: string, index: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
    case 'PageUp':
      return 0;
    case 'End':
    case 'PageDown':
      return count - 1;
    default:
      return undefined;
  }
}

/** The next item whose label starts with `typed` (type-ahead), after `index`; undefined when none does. */
export function typedIndex(typed: string, index: number, labels: string[]): number | undefined {
  const wanted = typed.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step++) {
    const at = (index + step) % labels.length;
    if (labels[at]!.trim().toLocaleLowerCase().startsWith(wanted)) return at;
  }
  return undefined;
}
