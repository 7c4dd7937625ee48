/** Bidi controls, zero-width characters and other invisible marks that must never become an initial. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Innermost brackets only: text with a megabyte of `(` is read in one pass, never once per bracket. */
const BRACKETED = /\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}|<[^<>]*>/g;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** Scripts written without spaces between family and given names, where one character is the custom. */
const ONE_CHARACTER_SCRIPTS = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Scripts whose letters join: a zero-width non-joiner keeps two initials apart. */
const JOINING_SCRIPTS = /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Mongolian}\p{Script=Nko}]/u;

/**
 * A language tag Intl accepts, or undefined: `en_US` becomes `en-US`; `C`, `*` or `x-default` (seen in `lang`
 * attributes) are dropped, since `toLocaleUpperCase` throws on them.
 */
export function canonicalLocale(tag: string | null | undefined): string | undefined {
  if (typeof tag !== 'string' || !tag.trim()) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

type Segmenter = { segment(text: string): Iterable<{ segment: string }> };
let segmenter: Segmenter | null | undefined;

function graphemes(text: string): string[] {
  if (segmenter === undefined) {
    const Ctor = (Intl as unknown as { Segmenter?: new (l?: string, o?: object) => Segmenter }).Segmenter;
    segmenter = Ctor ? new Ctor(undefined, { granularity: 'grapheme' }) : null;
  }
  return segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text);
}

function firstGrapheme(word: string): string {
  return graphemes(word)[0] ?? '';
}

/** Splits a display name into the words that can give initials, in the order a person reads them. */
function nameWords(displayName: string): string[] {
  let name = displayName.normalize('NFC').replace(INVISIBLE, '').replace(BRACKETED, ' ').trim();
  if (EMAIL.test(name)) {
    name = name.slice(0, name.indexOf('@')).replace(/[._+-]+/g, ' ');
  } else {
    const commaParts = name.split(/[,،]/).map((part) => part.trim());
    // "Vance, Adele" is family name first; "Adele Vance, PhD" is not (more than one word before the comma).
    if (commaParts.length === 2 && commaParts[0] && commaParts[1] && !/\s/.test(commaParts[0])) {
      name = `${commaParts[1]} ${commaParts[0]}`;
    } else if (commaParts.length > 1) {
      name = commaParts[0] ?? '';
    }
  }
  return name
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((word) => LETTER_OR_DIGIT.test(word));
}

/**
 * Up to two initials for a display name, as Teams shows them: "Adele Vance" -> "AV", "Vance, Adele" -> "AV",
 * "adele.vance@contoso.com" -> "AV", "Cher" -> "C", "山田太郎" -> "山". Emoji and punctuation are skipped unless the
 * name has nothing else, then the first emoji is used; an empty string when nothing fits (show an icon instead).
 */
export function initialsOf(displayName: string | null | undefined, locale?: string): string {
  if (typeof displayName !== 'string' || !displayName) return '';
  const words = nameWords(displayName);
  if (words.length === 0) {
    const pictograph = graphemes(displayName).find((g) => PICTOGRAPH.test(g));
    return pictograph ?? '';
  }
  const first = words[0] as string;
  if (ONE_CHARACTER_SCRIPTS.test(first)) return firstGrapheme(first);
  const picked = [firstGrapheme(first)];
  if (words.length > 1) picked.push(firstGrapheme(words[words.length - 1] as string));
  const joiner = picked.length > 1 && picked.every((g) => JOINING_SCRIPTS.test(g)) ? '\u200c' : '';
  const language = canonicalLocale(locale);
  return picked.map((g) => g.toLocaleUpperCase(language)).join(joiner);
}
