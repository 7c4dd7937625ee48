/** Locales, labels, descriptions and accessible names. */
import { expect } from '@open-wc/testing';
import {
  AVAILABILITIES,
  FALLBACK_LOCALE,
  accessibleName,
  activityLabel,
  availabilityLabel,
  describePresence,
  messagesFor,
  normalizePresence,
  registerLocale,
  registeredLocales,
  statusText,
} from '../../../src/presence/index.js';
import { BUILT_IN_LOCALES } from './fixtures.js';

describe('i18n', () => {
  it('messagesFor skips what is not a language tag, whatever its type, and falls back to English', () => {
    const odd = [123, {}, [], Symbol('fr'), () => 'fr', 'x-default', '*', 'C'] as unknown as string[];
    expect(messagesFor(...odd).locale).to.equal('en');
    expect(messagesFor(...odd, 'fr_CA').locale).to.equal('fr');
  });

  describe('messagesFor', () => {
    const CASES: Array<[Array<string | null | undefined>, string, 'ltr' | 'rtl']> = [
      [['en'], 'en', 'ltr'],
      [['fr'], 'fr', 'ltr'],
      [['fr-CA'], 'fr', 'ltr'],
      [['fr-Latn-CA'], 'fr', 'ltr'],
      [['FR-ca'], 'fr', 'ltr'],
      [['de_AT'], 'de', 'ltr'],
      [['  de  '], 'de', 'ltr'],
      [['AR'], 'ar', 'rtl'],
      [['ar-EG'], 'ar', 'rtl'],
      [['he'], 'he', 'rtl'],
      [['he-IL'], 'he', 'rtl'],
      [['xx', 'de'], 'de', 'ltr'],
      [['xx-YY', 'he-IL', 'fr'], 'he', 'rtl'],
      [['fr', 'de'], 'fr', 'ltr'],
      [[undefined, null, '', 'ar'], 'ar', 'rtl'],
      [[undefined], 'en', 'ltr'],
      [[null], 'en', 'ltr'],
      [[''], 'en', 'ltr'],
      [[], 'en', 'ltr'],
      [['zz'], 'en', 'ltr'],
      [['-'], 'en', 'ltr'],
      [['constructor'], 'en', 'ltr'],
      [['__proto__'], 'en', 'ltr'],
    ];
    for (const [tags, locale, dir] of CASES) {
      it(`(${tags.map((t) => JSON.stringify(t) ?? 'undefined').join(', ')}) -> ${locale} ${dir}`, () => {
        const m = messagesFor(...tags);
        expect(m.locale).to.equal(locale);
        expect(m.dir).to.equal(dir);
      });
    }

    it('falls back to English', () => {
      expect(FALLBACK_LOCALE).to.equal('en');
      expect(messagesFor('zz').availability.Busy).to.equal('Busy');
    });

    it('lists the built-in locales', () => {
      expect(registeredLocales()).to.include.members([...BUILT_IN_LOCALES]);
    });
  });

  describe('registerLocale', () => {
    it('takes a partial table, falling back to English for the rest', () => {
      registerLocale({ locale: 'es', availability: { Busy: 'Ocupado' } });
      const es = messagesFor('es');
      expect(es.locale).to.equal('es');
      expect(es.dir).to.equal('ltr');
      expect(es.availability.Busy).to.equal('Ocupado');
      expect(es.availability.Away).to.equal('Away');
      expect(es.activity.InACall).to.equal('In a call');
      expect(es.separator).to.equal(', ');
      expect(messagesFor('es-MX')).to.equal(es);
      expect(registeredLocales()).to.include('es');
      expect(
        accessibleName('Adele Vance', normalizePresence({ availability: 'Busy', activity: 'InACall' }), es),
      ).to.equal('Adele Vance, Ocupado, In a call');
    });

    it('does not change English or the other locales', () => {
      registerLocale({
        locale: 'it',
        availability: { Busy: 'Occupato' },
        activity: { InACall: 'In chiamata' },
        unnamed: 'Sconosciuto',
      });
      expect(messagesFor('it').availability.Busy).to.equal('Occupato');
      expect(messagesFor('en').availability.Busy).to.equal('Busy');
      expect(messagesFor('en').activity.InACall).to.equal('In a call');
      expect(messagesFor('en').unnamed).to.equal('Unknown person');
      expect(messagesFor('fr').availability.Busy).to.equal('Occupé');
    });

    it('keeps a right-to-left direction when given one', () => {
      registerLocale({ locale: 'fa', dir: 'rtl', separator: '، ' });
      expect(messagesFor('fa-IR').dir).to.equal('rtl');
      expect(messagesFor('fa').separator).to.equal('، ');
    });

    it('registers a more specific tag that wins over the language', () => {
      registerLocale({ locale: 'fr-CA', availability: { Busy: 'Occupé·e' } });
      expect(messagesFor('fr-CA').availability.Busy).to.equal('Occupé·e');
      expect(messagesFor('fr-FR').locale).to.equal('fr');
      expect(messagesFor('fr').availability.Busy).to.equal('Occupé');
    });

    it('finds a locale registered with an underscore, as messagesFor accepts one', () => {
      registerLocale({ locale: 'pt_BR', availability: { Busy: 'Ocupado(a)' } });
      expect(messagesFor('pt-BR').availability.Busy).to.equal('Ocupado(a)');
      expect(messagesFor('pt_BR').availability.Busy).to.equal('Ocupado(a)');
    });

    it('treats a word given as undefined as missing, not as an empty word', () => {
      const unnamed: string | undefined = undefined;
      registerLocale({
        locale: 'nl',
        unnamed,
        unrecognised: undefined,
        separator: undefined,
        availability: { Busy: undefined },
      });
      const nl = messagesFor('nl');
      expect(nl.unnamed).to.equal('Unknown person');
      expect(nl.separator).to.equal(', ');
      expect(nl.availability.Busy).to.equal('Busy');
      expect(availabilityLabel(normalizePresence({ availability: 'Lunch' }), nl)).to.equal(
        'Unrecognised status “Lunch”',
      );
      expect(accessibleName('', normalizePresence({ availability: 'Busy' }), nl)).to.equal('Unknown person, Busy');
    });

    it('replaces a locale registered again', () => {
      registerLocale({ locale: 'sv', availability: { Busy: 'Upptagen' } });
      registerLocale({ locale: 'SV', availability: { Away: 'Borta' } });
      expect(messagesFor('sv').availability.Away).to.equal('Borta');
      expect(messagesFor('sv').availability.Busy).to.equal('Busy');
      expect(registeredLocales().filter((l) => l.toLowerCase() === 'sv')).to.have.length(1);
    });
  });

  describe('descriptions (English)', () => {
    /** The combinations Graph documents, and a few more. */
    const CASES: Array<[string, string, boolean, string[]]> = [
      ['Available', 'Available', false, ['Available']],
      ['AvailableIdle', 'Available', false, ['Available, idle']],
      ['Away', 'Away', false, ['Away']],
      ['BeRightBack', 'BeRightBack', false, ['Be right back']],
      ['Busy', 'Busy', false, ['Busy']],
      ['BusyIdle', 'Busy', false, ['Busy, idle']],
      ['DoNotDisturb', 'DoNotDisturb', false, ['Do not disturb']],
      ['Offline', 'Offline', false, ['Offline']],
      ['PresenceUnknown', 'PresenceUnknown', false, ['Status unknown']],
      ['Busy', 'InACall', false, ['Busy', 'In a call']],
      ['Busy', 'InAConferenceCall', false, ['Busy', 'In a conference call']],
      ['Busy', 'InAMeeting', false, ['Busy', 'In a meeting']],
      ['DoNotDisturb', 'Presenting', false, ['Do not disturb', 'Presenting']],
      ['DoNotDisturb', 'UrgentInterruptionsOnly', false, ['Do not disturb', 'Urgent interruptions only']],
      ['Away', 'BeRightBack', false, ['Away', 'Be right back']],
      ['Away', 'Inactive', false, ['Away', 'Inactive']],
      ['Away', 'OutOfOffice', true, ['Away', 'Out of office']],
      ['Available', 'OutOfOffice', true, ['Available', 'Out of office']],
      ['Offline', 'OffWork', true, ['Offline', 'Off work']],
      ['Busy', '', true, ['Busy', 'Out of office']],
      ['Away', 'Away', true, ['Away', 'Out of office']],
      ['Offline', 'Offline', true, ['Offline', 'Out of office']],
      ['Busy', 'InAMeeting', true, ['Busy', 'In a meeting', 'Out of office']],
      ['', '', false, ['Status unknown']],
      ['', 'InACall', false, ['Status unknown', 'In a call']],
      ['Lunch', '', false, ['Unrecognised status “Lunch”']],
      ['Lunch', 'OnBreak', false, ['Unrecognised status “Lunch”', 'Unrecognised status “OnBreak”']],
      ['PresenceUnknown', 'OnBreak', true, ['Status unknown', 'Unrecognised status “OnBreak”', 'Out of office']],
    ];
    for (const [availability, activity, settingsOof, parts] of CASES) {
      it(`${availability || '(none)'} / ${activity || '(none)'}${settingsOof ? ' / automatic replies on' : ''} -> "${parts.join(', ')}"`, () => {
        const presence = normalizePresence({
          availability,
          activity,
          outOfOfficeSettings: { isOutOfOffice: settingsOof },
        });
        expect(describePresence(presence)).to.deep.equal(parts);
        expect(statusText(presence)).to.equal(parts.join(', '));
        expect(new Set(describePresence(presence)).size, 'no part twice').to.equal(parts.length);
      });
    }
  });

  describe('every availability with automatic replies on', () => {
    for (const availability of AVAILABILITIES) {
      it(`${availability}: the description ends with "Out of office", said once, in every locale`, () => {
        const presence = normalizePresence({
          availability,
          outOfOfficeSettings: { isOutOfOffice: true, message: '<p>Back <b>Monday</b></p>' },
        });
        expect(presence.outOfOfficeMessage).to.equal('Back Monday');
        for (const locale of BUILT_IN_LOCALES) {
          const m = messagesFor(locale);
          const parts = describePresence(presence, m);
          expect(parts, locale).to.deep.equal([m.availability[availability], m.outOfOffice]);
        }
      });
    }
  });

  describe('descriptions in every built-in locale', () => {
    for (const locale of BUILT_IN_LOCALES) {
      it(`${locale}: no repeats, out of office said once, joined with the locale's separator`, () => {
        const m = messagesFor(locale);
        const describe = (input: unknown): string[] => describePresence(normalizePresence(input), m);

        expect(describe({ availability: 'Available', activity: 'Available' })).to.deep.equal([
          m.availability.Available,
        ]);
        expect(describe({ availability: 'BusyIdle', activity: 'Busy' })).to.deep.equal([m.availability.BusyIdle]);
        expect(describe({ availability: 'Away', activity: 'OutOfOffice' })).to.deep.equal([
          m.availability.Away,
          m.outOfOffice,
        ]);
        expect(
          describe({ availability: 'Away', activity: 'OutOfOffice', outOfOfficeSettings: { isOutOfOffice: true } }),
        ).to.deep.equal([m.availability.Away, m.outOfOffice]);
        expect(describe({ availability: 'Offline', activity: 'OffWork' })).to.deep.equal([
          m.availability.Offline,
          m.activity.OffWork,
        ]);
        expect(
          describe({ availability: 'Busy', activity: 'InACall', outOfOfficeSettings: { isOutOfOffice: true } }),
        ).to.deep.equal([m.availability.Busy, m.activity.InACall, m.outOfOffice]);

        const presence = normalizePresence({ availability: 'Busy', activity: 'InACall' });
        expect(statusText(presence, m)).to.equal(`${m.availability.Busy}${m.separator}${m.activity.InACall}`);
        expect(accessibleName('Adele Vance', presence, m)).to.equal(
          ['Adele Vance', m.availability.Busy, m.activity.InACall].join(m.separator),
        );
      });
    }

    it('a partial locale that only translates the OutOfOffice activity does not add the English "Out of office" too', () => {
      registerLocale({ locale: 'pl', activity: { OutOfOffice: 'Poza biurem' } });
      const pl = messagesFor('pl');
      expect(describePresence(normalizePresence({ availability: 'Away', activity: 'OutOfOffice' }), pl)).to.deep.equal([
        'Away',
        'Poza biurem',
      ]);
      expect(describePresence(normalizePresence({ availability: 'Offline', activity: 'OffWork' }), pl)).to.deep.equal([
        'Offline',
        'Off work',
      ]);
      expect(
        describePresence(normalizePresence({ availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: true } }), pl),
      ).to.deep.equal(['Busy', 'Out of office']);
    });
  });

  describe('undocumented values in the description', () => {
    const TEMPLATES: Record<string, string> = {
      en: 'Unrecognised status “Lunch”',
      fr: 'Statut non reconnu « Lunch »',
      de: 'Unbekannter Status „Lunch“',
      ar: 'حالة غير معروفة «Lunch»',
      he: 'מצב לא מזוהה "Lunch"',
    };
    for (const locale of BUILT_IN_LOCALES) {
      it(`${locale}: uses the locale's unrecognised template`, () => {
        const m = messagesFor(locale);
        const lunch = normalizePresence({ availability: 'Lunch' });
        expect(availabilityLabel(lunch, m)).to.equal(TEMPLATES[locale]);
        expect(describePresence(lunch, m)).to.deep.equal([TEMPLATES[locale]]);
        const onBreak = normalizePresence({ availability: 'Away', activity: 'Lunch' });
        expect(activityLabel(onBreak, m)).to.equal(TEMPLATES[locale]);
        expect(describePresence(onBreak, m)).to.deep.equal([m.availability.Away, TEMPLATES[locale]]);
      });
    }

    const AWKWARD = ['Cost$&', "A$'B", 'A$`B', '$1', '$$', '{value}', '$<name>'];
    for (const raw of AWKWARD) {
      it(`shows ${JSON.stringify(raw)} exactly as sent`, () => {
        const presence = normalizePresence({ availability: raw, activity: raw });
        expect(availabilityLabel(presence)).to.equal(`Unrecognised status “${raw}”`);
        expect(activityLabel(presence, messagesFor('fr'))).to.equal(`Statut non reconnu « ${raw} »`);
      });
    }
  });

  describe('accessibleName', () => {
    const busyInACall = normalizePresence({ availability: 'Busy', activity: 'InACall' });

    it('names the person, then the availability and the activity', () => {
      expect(accessibleName('Adele Vance', busyInACall)).to.equal('Adele Vance, Busy, In a call');
    });

    it('uses the Arabic separator in Arabic', () => {
      const ar = messagesFor('ar');
      expect(ar.separator).to.equal('، ');
      expect(accessibleName('محمد علي', busyInACall, ar)).to.equal('محمد علي، مشغول، في مكالمة');
    });

    it('does not repeat Available', () => {
      expect(
        accessibleName('Adele Vance', normalizePresence({ availability: 'Available', activity: 'Available' })),
      ).to.equal('Adele Vance, Available');
    });

    it('does not repeat Out of office', () => {
      const name = accessibleName(
        'Adele Vance',
        normalizePresence({
          availability: 'Away',
          activity: 'OutOfOffice',
          outOfOfficeSettings: { isOutOfOffice: true },
        }),
      );
      expect(name).to.equal('Adele Vance, Away, Out of office');
      expect(name.split('Out of office')).to.have.length(2);
    });

    it('includes an undocumented value through the template', () => {
      expect(accessibleName('Adele Vance', normalizePresence({ availability: 'Lunch' }))).to.equal(
        'Adele Vance, Unrecognised status “Lunch”',
      );
      expect(accessibleName('Adele Vance', normalizePresence({ availability: 'Lunch' }), messagesFor('de'))).to.equal(
        'Adele Vance, Unbekannter Status „Lunch“',
      );
    });

    const NO_NAME: Array<string | null | undefined> = ['', '   ', '\n\t ', null, undefined];
    for (const displayName of NO_NAME) {
      it(`gives the locale's "unnamed" for ${JSON.stringify(displayName) ?? 'undefined'}`, () => {
        expect(accessibleName(displayName, busyInACall)).to.equal('Unknown person, Busy, In a call');
        expect(accessibleName(displayName, undefined, messagesFor('de'))).to.equal('Unbekannte Person');
        expect(accessibleName(displayName, busyInACall, messagesFor('he'))).to.equal('אדם לא ידוע, עסוק, בשיחה');
        expect(accessibleName(displayName, undefined, messagesFor('fr'))).to.equal('Personne inconnue');
      });
    }

    it('collapses whitespace in the name', () => {
      expect(accessibleName('  Adele \n Vance ', undefined)).to.equal('Adele Vance');
      expect(accessibleName('Adele\tVance', busyInACall)).to.equal('Adele Vance, Busy, In a call');
    });

    it('is just the name with no presence', () => {
      expect(accessibleName('Adele Vance', undefined)).to.equal('Adele Vance');
    });
  });
});
