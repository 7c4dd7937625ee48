import { expect } from '@open-wc/testing';
import {
  ACTIVITIES,
  AVAILABILITIES,
  accessibleName,
  activityLabel,
  availabilityLabel,
  badgeFor,
  describePresence,
  messageToText,
  messagesFor,
  normalizePresence,
  parsePresence,
  registerLocale,
  statusText,
  type Availability,
  type BadgeStatus,
} from '../../../src/index.js';

const LOCALES = ['en', 'fr', 'de', 'ar', 'he'];

const badgeByAvailability: Record<Availability, BadgeStatus> = {
  Available: 'available',
  AvailableIdle: 'away',
  Away: 'away',
  BeRightBack: 'away',
  Busy: 'busy',
  BusyIdle: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Offline: 'offline',
  PresenceUnknown: 'unknown',
};

const englishActivity: Record<string, string> = {
  Available: 'Available',
  Away: 'Away',
  BeRightBack: 'Be right back',
  Busy: 'Busy',
  DoNotDisturb: 'Do not disturb',
  InACall: 'In a call',
  InAConferenceCall: 'In a conference call',
  Inactive: 'Inactive',
  InAMeeting: 'In a meeting',
  Offline: 'Offline',
  OffWork: 'Off work',
  OutOfOffice: 'Out of office',
  PresenceUnknown: 'Status unknown',
  Presenting: 'Presenting',
  UrgentInterruptionsOnly: 'Urgent interruptions only',
};

describe('presence domain', () => {
  describe('every availability', () => {
    for (const availability of AVAILABILITIES) {
      it(`${availability}: kept, mapped to the ${badgeByAvailability[availability]} badge, labelled in every locale`, () => {
        const presence = normalizePresence({ availability });
        expect(presence.availability).to.equal(availability);
        expect(presence.rawAvailability).to.equal(undefined);
        expect(normalizePresence({ availability: availability.toLowerCase() }).availability).to.equal(availability);
        expect(normalizePresence({ availability: ` ${availability.toUpperCase()} ` }).availability).to.equal(availability);
        expect(badgeFor(presence)).to.deep.equal({ status: badgeByAvailability[availability], outOfOffice: false });
        for (const locale of LOCALES) {
          const label = availabilityLabel(presence, messagesFor(locale));
          expect(label, locale).to.be.a('string').and.not.equal('');
          const same = locale === 'de' && availability === 'Offline';
          if (locale !== 'en' && !same) expect(label, `${locale} is translated`).not.to.equal(availabilityLabel(presence, messagesFor('en')));
        }
      });
    }
  });

  describe('every activity', () => {
    for (const activity of ACTIVITIES) {
      it(`${activity}: kept and labelled "${englishActivity[activity]}", translated in every locale`, () => {
        const presence = normalizePresence({ availability: 'Busy', activity });
        expect(presence.activity).to.equal(activity);
        expect(presence.rawActivity).to.equal(undefined);
        expect(normalizePresence({ activity: activity.toLowerCase() }).activity).to.equal(activity);
        expect(activityLabel(presence)).to.equal(englishActivity[activity]);
        for (const locale of LOCALES.slice(1)) {
          const label = activityLabel(presence, messagesFor(locale));
          expect(label, locale).to.be.a('string').and.not.equal('');
          if (activity !== 'Offline' || locale !== 'de') expect(label, `${locale} is translated`).not.to.equal(englishActivity[activity]);
        }
      });
    }
  });

  it('every locale has exactly the documented keys', () => {
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      expect(m.locale).to.equal(locale);
      expect(Object.keys(m.availability).sort(), locale).to.deep.equal([...AVAILABILITIES].sort());
      expect(Object.keys(m.activity).sort(), locale).to.deep.equal([...ACTIVITIES].sort());
    }
  });

  describe('unknown, missing and malformed input', () => {
    const garbage: Array<[string, unknown]> = [
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['a string', 'Busy'],
      ['an array', ['Busy']],
      ['an empty object', {}],
      ['a numeric availability', { availability: 42 }],
      ['a blank availability', { availability: '   ' }],
      ['an object availability', { availability: { value: 'Busy' } }],
      ['null fields', { availability: null, activity: null, outOfOfficeSettings: null, statusMessage: null }],
    ];
    for (const [name, input] of garbage) {
      it(`${name} becomes PresenceUnknown with the unknown badge, never Offline`, () => {
        const presence = normalizePresence(input);
        expect(presence.availability).to.equal('PresenceUnknown');
        expect(presence.activity).to.equal('PresenceUnknown');
        expect(presence.isOutOfOffice).to.equal(false);
        expect(badgeFor(presence).status).to.equal('unknown');
      });
    }

    it('keeps an undocumented value for display', () => {
      const presence = normalizePresence({ availability: 'Lunch', activity: 'OnBreak' });
      expect(presence).to.include({ availability: 'PresenceUnknown', rawAvailability: 'Lunch', activity: 'PresenceUnknown', rawActivity: 'OnBreak' });
      expect(describePresence(presence)).to.deep.equal(['Unrecognised status “Lunch”', 'Unrecognised status “OnBreak”']);
      expect(statusText(presence, messagesFor('fr'))).to.equal('Statut non reconnu « Lunch », Statut non reconnu « OnBreak »');
    });

    it('bounds a huge raw value', () => {
      const presence = normalizePresence({ availability: 'x'.repeat(10_000) });
      expect(presence.rawAvailability!.length).to.be.at.most(64);
      expect(presence.rawAvailability!.endsWith('…')).to.equal(true);
    });

    it('normalising twice changes nothing', () => {
      const once = normalizePresence({
        id: 'u1',
        availability: 'Lunch',
        activity: 'InAMeeting',
        outOfOfficeSettings: { isOutOfOffice: true, message: 'Away until Monday' },
        statusMessage: { message: { content: 'Hi', contentType: 'text' } },
        sequenceNumber: 'C1',
      });
      expect(normalizePresence(once)).to.deep.equal(once);
    });
  });

  describe('out of office', () => {
    it('comes from the OutOfOffice and OffWork activities and from the automatic-reply settings', () => {
      expect(normalizePresence({ availability: 'Away', activity: 'OutOfOffice' }).isOutOfOffice).to.equal(true);
      expect(normalizePresence({ availability: 'Offline', activity: 'OffWork' }).isOutOfOffice).to.equal(true);
      expect(normalizePresence({ availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: true } }).isOutOfOffice).to.equal(true);
      expect(normalizePresence({ availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: false } }).isOutOfOffice).to.equal(false);
      expect(normalizePresence({ availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: 'yes' } }).isOutOfOffice).to.equal(false);
    });

    const variants: Array<[Availability, BadgeStatus]> = [
      ['Available', 'available'],
      ['AvailableIdle', 'out-of-office'],
      ['Away', 'out-of-office'],
      ['BeRightBack', 'out-of-office'],
      ['Busy', 'busy'],
      ['BusyIdle', 'busy'],
      ['DoNotDisturb', 'do-not-disturb'],
      ['Offline', 'out-of-office'],
      ['PresenceUnknown', 'unknown'],
    ];
    for (const [availability, status] of variants) {
      it(`${availability} while out of office: the ${status} badge in its out-of-office variant`, () => {
        const presence = normalizePresence({ availability, outOfOfficeSettings: { isOutOfOffice: true, message: '<p>Back <b>Monday</b></p>' } });
        expect(badgeFor(presence)).to.deep.equal({ status, outOfOffice: true });
        expect(presence.outOfOfficeMessage).to.equal('Back Monday');
        expect(describePresence(presence).at(-1)).to.equal('Out of office');
      });
    }

    it('does not say out of office twice', () => {
      expect(describePresence(normalizePresence({ availability: 'Away', activity: 'OutOfOffice' }))).to.deep.equal(['Away', 'Out of office']);
      expect(describePresence(normalizePresence({ availability: 'Offline', activity: 'OffWork' }))).to.deep.equal(['Offline', 'Off work']);
    });
  });

  describe('descriptions', () => {
    const cases: Array<[object, string]> = [
      [{ availability: 'Available', activity: 'Available' }, 'Available'],
      [{ availability: 'AvailableIdle', activity: 'Available' }, 'Available, idle'],
      [{ availability: 'Busy', activity: 'InACall' }, 'Busy, In a call'],
      [{ availability: 'BusyIdle', activity: 'Busy' }, 'Busy, idle'],
      [{ availability: 'DoNotDisturb', activity: 'Presenting' }, 'Do not disturb, Presenting'],
      [{ availability: 'Away', activity: 'BeRightBack' }, 'Away, Be right back'],
      [{ availability: 'Busy' }, 'Busy'],
      [{ availability: 'PresenceUnknown', activity: 'PresenceUnknown' }, 'Status unknown'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} -> "${expected}"`, () => {
        expect(statusText(normalizePresence(input))).to.equal(expected);
      });
    }

    it('names the person first, in the locale, with its separator', () => {
      const busy = normalizePresence({ availability: 'Busy', activity: 'InACall' });
      expect(accessibleName('Adele Vance', busy)).to.equal('Adele Vance, Busy, In a call');
      expect(accessibleName('محمد علي', busy, messagesFor('ar'))).to.equal('محمد علي، مشغول، في مكالمة');
      expect(accessibleName('  ', busy)).to.equal('Unknown person, Busy, In a call');
      expect(accessibleName(null, undefined, messagesFor('de'))).to.equal('Unbekannte Person');
      expect(accessibleName('  Adele \n Vance ', undefined)).to.equal('Adele Vance');
    });
  });

  describe('status messages', () => {
    it('turns HTML into text, dropping scripts and decoding entities', () => {
      expect(messageToText('<p>At <b>lunch</b> &amp; back at 2</p><script>alert(1)</script>', 'html')).to.equal('At lunch & back at 2');
      expect(messageToText('caf&#233; &#x1F600; &lt;3', 'text')).to.equal('café 😀 <3');
      expect(messageToText('  several\n\n  lines\t here ')).to.equal('several lines here');
    });

    it('never hands back a tag', () => {
      expect(messageToText('<img src=x onerror=alert(1)>Hello', 'text')).to.equal('Hello');
      expect(normalizePresence({ statusMessage: { message: { content: '<svg onload=alert(1)>', contentType: 'html' } } }).statusMessage).to.equal(undefined);
    });

    it('bounds a very long message', () => {
      expect(messageToText('a'.repeat(5000)).length).to.equal(1000);
    });

    it('reads statusMessage.message.content', () => {
      const presence = normalizePresence({ statusMessage: { message: { content: 'Heads down', contentType: 'text' } } });
      expect(presence.statusMessage).to.equal('Heads down');
    });
  });

  describe('other fields', () => {
    it('keeps id, sequenceNumber and workLocation when they are strings, and drops them otherwise', () => {
      const kept = normalizePresence({ id: 'u1', sequenceNumber: 'C0001', workLocation: { workLocationType: 'remote' } });
      expect(kept).to.include({ id: 'u1', sequenceNumber: 'C0001', workLocation: 'remote' });
      const dropped = normalizePresence({ id: 7, sequenceNumber: {}, workLocation: 'remote' });
      expect(dropped.id).to.equal(undefined);
      expect(dropped.sequenceNumber).to.equal(undefined);
      expect(dropped.workLocation).to.equal(undefined);
    });
  });

  describe('parsePresence', () => {
    it('reads a JSON object', () => {
      const { presence, error } = parsePresence('{"availability":"Busy","activity":"InACall"}');
      expect(error).to.equal(undefined);
      expect(presence).to.include({ availability: 'Busy', activity: 'InACall' });
    });
    it('accepts a bare availability', () => {
      expect(parsePresence('DoNotDisturb').presence.availability).to.equal('DoNotDisturb');
    });
    it('treats empty as no presence, without an error', () => {
      for (const text of ['', '  ', null, undefined]) {
        const parsed = parsePresence(text);
        expect(parsed.error).to.equal(undefined);
        expect(parsed.presence.availability).to.equal('PresenceUnknown');
      }
    });
    it('says what is wrong with invalid JSON or non-objects', () => {
      const invalid = parsePresence('{availability: Busy');
      expect(invalid.presence.availability).to.equal('PresenceUnknown');
      expect(invalid.error).to.match(/not valid JSON/);
      for (const text of ['[1,2]', '42', '"Busy"', 'null']) {
        const parsed = parsePresence(text);
        expect(parsed.error, text).to.match(/JSON object/);
        expect(parsed.presence.availability).to.equal('PresenceUnknown');
      }
    });
  });

  describe('locales', () => {
    it('picks the best registered locale for a tag', () => {
      expect(messagesFor('fr-CA').locale).to.equal('fr');
      expect(messagesFor('AR').dir).to.equal('rtl');
      expect(messagesFor('he-IL').dir).to.equal('rtl');
      expect(messagesFor('de_AT').locale).to.equal('de');
      expect(messagesFor('xx', 'de').locale).to.equal('de');
      expect(messagesFor(undefined).locale).to.equal('en');
      expect(messagesFor('zz').locale).to.equal('en');
    });

    it('takes a partial translation, falling back to English for the rest', () => {
      registerLocale({ locale: 'es', availability: { Busy: 'Ocupado' } as never });
      const es = messagesFor('es-MX');
      expect(es.availability.Busy).to.equal('Ocupado');
      expect(es.availability.Away).to.equal('Away');
      expect(es.activity.InACall).to.equal('In a call');
      expect(es.dir).to.equal('ltr');
    });
  });
});
