/** One avatar colour: background and text, for light and for dark pages. */
export interface AvatarColor {
  name: string;
  light: { background: string; foreground: string };
  dark: { background: string; foreground: string };
}

function color(name: string, lightBg: string, lightFg: string, darkBg: string, darkFg: string): AvatarColor {
  return {
    name,
    light: { background: lightBg, foreground: lightFg },
    dark: { background: darkBg, foreground: darkFg },
  };
}

/** A palette in the spirit of Fluent's colourful avatars; every pair passes WCAG AA for text. */
export const AVATAR_COLORS: readonly AvatarColor[] = [
  color('red', '#f9e9eb', '#8b1b23', '#5c1116', '#f6d1d5'),
  color('pumpkin', '#fde6d5', '#8a3b0a', '#53240a', '#fbd3b7'),
  color('gold', '#fcefd0', '#6b4d00', '#463300', '#f9e2a8'),
  color('forest', '#e3f2dc', '#2c5e1a', '#1d3e11', '#c7e4ba'),
  color('teal', '#d9f2ee', '#0b5a4f', '#073b34', '#b3e3dc'),
  color('blue', '#dceefb', '#0f4f85', '#0a3458', '#bcdcf6'),
  color('royal-blue', '#e3e7fb', '#2c3c8c', '#1e285d', '#c6cef5'),
  color('lavender', '#ece6f7', '#4a2a86', '#311c59', '#d6cbf0'),
  color('grape', '#f5e3f3', '#7a1f6f', '#511449', '#ecc8e7'),
  color('pink', '#fbe4ee', '#8c1b52', '#5d1236', '#f6c9dc'),
  color('brown', '#eee9e4', '#5a4636', '#3c2f24', '#ddd2c8'),
  color('steel', '#e6eaee', '#3b4a56', '#273139', '#cdd5dc'),
];

/** FNV-1a over UTF-16 code units: small, fast and the same in every browser and in Node. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour for a person: the same id always gets the same colour, on every page and every machine. */
export function avatarColorFor(key: string | null | undefined): AvatarColor {
  const index =
    typeof key === 'string' && key ? hash(key.trim().toLowerCase()) % AVATAR_COLORS.length : AVATAR_COLORS.length - 1;
  return AVATAR_COLORS[index] as AvatarColor;
}
