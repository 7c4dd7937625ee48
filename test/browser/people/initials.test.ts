import { expect } from '@open-wc/testing';
import { AVATAR_COLORS, avatarColorFor, initialsOf } from '../../../src/index.js';

describe('initialsOf', () => {
  const cases: Array<[string | null | undefined, string]> = [
    ['Adele Vance', 'AV'],
    ['adele vance', 'AV'],
    ['Vance, Adele', 'AV'],
    ['adele.vance@contoso.com', 'AV'],
    ['ADELE_VANCE@contoso.onmicrosoft.com', 'AV'],
    ['Cher', 'C'],
    ['Jean-Luc Picard', 'JP'],
    ['Adele Van Der Vance', 'AV'],
    ['Adele Vance (Contoso)', 'AV'],
    ['Adele Vance [EXT]', 'AV'],
    ['Adele Vance, PhD', 'AV'],
    ['  Adele   Vance  ', 'AV'],
    ['Ådne Øvrebø', 'ÅØ'],
    ['élodie durand', 'ÉD'],
    ['Владимир Петров', 'ВП'],
    ['Γιώργος Παπαδόπουλος', 'ΓΠ'],
    ['山田太郎', '山'],
    ['山田 太郎', '山'],
    ['김민준', '김'],
    ['やまだ', 'や'],
    ['محمد علي', 'م\u200cع'],
    ['דוד לוי', 'דל'],
    ['Adele 🎉 Vance', 'AV'],
    ['🎉 Party Bot', 'PB'],
    ['🎉', '🎉'],
    ['👩🏽‍💻', '👩🏽‍💻'],
    ['\u202eecnaV eledA', 'EE'],
    ['Adele\u200b Vance\u200f', 'AV'],
    ['<img src=x onerror=alert(1)>', ''],
    ['', ''],
    ['   ', ''],
    [null, ''],
    [undefined, ''],
    ['---', ''],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name)} -> ${JSON.stringify(expected)}`, () => {
      expect(initialsOf(name)).to.equal(expected);
    });
  }

  it('upper-cases with the locale (Turkish dotted i)', () => {
    expect(initialsOf('ilker işık', 'tr')).to.equal('İİ');
    expect(initialsOf('ilker işık', 'en')).to.equal('II');
  });
});

describe('avatarColorFor', () => {
  it('gives the same colour for the same id, whatever its case or spacing', () => {
    expect(avatarColorFor('48d31887-5fad-4d73-a9f5-3c356e68a038')).to.equal(
      avatarColorFor(' 48D31887-5FAD-4D73-A9F5-3C356E68A038 '),
    );
  });

  it('spreads 500 ids over every colour of the palette', () => {
    const used = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const name = avatarColorFor(`user-${i}@contoso.com`).name;
      used.set(name, (used.get(name) ?? 0) + 1);
    }
    expect(used.size).to.equal(AVATAR_COLORS.length);
    for (const count of used.values()) expect(count).to.be.greaterThan(15);
  });

  it('has a colour for people with no id', () => {
    expect(AVATAR_COLORS).to.include(avatarColorFor(''));
    expect(AVATAR_COLORS).to.include(avatarColorFor(null));
  });

  function luminance(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a: string, b: string): number {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  }

  for (const color of AVATAR_COLORS) {
    it(`${color.name}: initials pass WCAG AA (4.5:1) on light and dark pages`, () => {
      expect(contrast(color.light.background, color.light.foreground)).to.be.at.least(4.5);
      expect(contrast(color.dark.background, color.dark.foreground)).to.be.at.least(4.5);
    });
  }
});
