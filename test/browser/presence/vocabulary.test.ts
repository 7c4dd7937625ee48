/**
 * Every documented availability and activity, one test each: normalisation keeps it (whatever its case), it maps
 * to the right badge, and every built-in locale has a human label for it.
 */
import { expect } from '@open-wc/testing';
import {
  ACTIVITIES,
  AVAILABILITIES,
  activityLabel,
  availabilityLabel,
  badgeFor,
  isActivity,
  isAvailability,
  messagesFor,
  normalizePresence,
  statusText,
  type Activity,
} from '../../../src/presence/index.js';
import {
  BADGE_BY_AVAILABILITY,
  BUILT_IN_LOCALES,
  ENGLISH_ACTIVITY,
  ENGLISH_AVAILABILITY,
  SAME_AS_ENGLISH,
  isCompound,
} from './fixtures.js';

/** How "Busy" plus each activity reads in English: the activity is added unless it says nothing more. */
const BUSY_WITH_ACTIVITY: Record<Activity, string> = {
  Available: 'Busy, Available',
  Away: 'Busy, Away',
  BeRightBack: 'Busy, Be right back',
  Busy: 'Busy',
  DoNotDisturb: 'Busy, Do not disturb',
  InACall: 'Busy, In a call',
  InAConferenceCall: 'Busy, In a conference call',
  Inactive: 'Busy, Inactive',
  InAMeeting: 'Busy, In a meeting',
  Offline: 'Busy, Offline',
  OffWork: 'Busy, Off work',
  OutOfOffice: 'Busy, Out of office',
  PresenceUnknown: 'Busy',
  Presenting: 'Busy, Presenting',
  UrgentInterruptionsOnly: 'Busy, Urgent interruptions only',
};

const OUT_OF_OFFICE_ACTIVITIES: ReadonlyArray<Activity> = ['OutOfOffice', 'OffWork'];

function checkLocalisedLabel(kind: 'availability' | 'activity', value: string, label: string, locale: string): void {
  const where = `${locale} ${kind} ${value}`;
  expect(label, where).to.be.a('string');
  expect(label.trim(), where).not.to.equal('');
  expect(label, `${where} has no stray whitespace`).to.equal(label.replace(/\s+/g, ' ').trim());
  expect(label, `${where} is not a placeholder`).not.to.include('{');
  if (isCompound(value)) {
    expect(label, `${where} is a human label, not the Graph value`).not.to.equal(value);
    expect(isCompound(label), `${where} "${label}" does not look like a Graph value`).to.equal(false);
  }
}

describe('presence vocabulary', () => {
  it('is exactly the documented Graph values, without duplicates', () => {
    expect([...AVAILABILITIES]).to.deep.equal([
      'Available',
      'AvailableIdle',
      'Away',
      'BeRightBack',
      'Busy',
      'BusyIdle',
      'DoNotDisturb',
      'Offline',
      'PresenceUnknown',
    ]);
    expect([...ACTIVITIES].sort()).to.deep.equal(Object.keys(ENGLISH_ACTIVITY).sort());
    expect(new Set(AVAILABILITIES).size).to.equal(AVAILABILITIES.length);
    expect(new Set(ACTIVITIES).size).to.equal(ACTIVITIES.length);
  });

  describe('every availability', () => {
    for (const availability of AVAILABILITIES) {
      it(`${availability}: kept in any case, the "${BADGE_BY_AVAILABILITY[availability]}" badge, labelled "${ENGLISH_AVAILABILITY[availability]}" and translated`, () => {
        expect(isAvailability(availability)).to.equal(true);

        const presence = normalizePresence({ availability });
        expect(presence.availability).to.equal(availability);
        expect(presence).not.to.have.property('rawAvailability');

        for (const spelling of [availability.toLowerCase(), availability.toUpperCase(), `  ${availability}\n`]) {
          const again = normalizePresence({ availability: spelling });
          expect(again.availability, spelling).to.equal(availability);
          expect(again, spelling).not.to.have.property('rawAvailability');
        }

        expect(badgeFor(presence)).to.deep.equal({ status: BADGE_BY_AVAILABILITY[availability], outOfOffice: false });
        expect(presence.isOutOfOffice).to.equal(false);

        expect(availabilityLabel(presence)).to.equal(ENGLISH_AVAILABILITY[availability]);
        expect(availabilityLabel(presence, messagesFor('en'))).to.equal(ENGLISH_AVAILABILITY[availability]);
        for (const locale of BUILT_IN_LOCALES) {
          const label = availabilityLabel(presence, messagesFor(locale));
          checkLocalisedLabel('availability', availability, label, locale);
          if (locale !== 'en' && !SAME_AS_ENGLISH.includes(`${locale}:${availability}`)) {
            expect(label, `${locale} translates ${availability}`).not.to.equal(ENGLISH_AVAILABILITY[availability]);
          }
        }
      });
    }
  });

  describe('every activity', () => {
    for (const activity of ACTIVITIES) {
      it(`${activity}: kept in any case, labelled "${ENGLISH_ACTIVITY[activity]}" and translated`, () => {
        expect(isActivity(activity)).to.equal(true);

        const presence = normalizePresence({ availability: 'Busy', activity });
        expect(presence.activity).to.equal(activity);
        expect(presence.availability).to.equal('Busy');
        expect(presence).not.to.have.property('rawActivity');

        for (const spelling of [activity.toLowerCase(), activity.toUpperCase(), ` ${activity} `]) {
          const again = normalizePresence({ activity: spelling });
          expect(again.activity, spelling).to.equal(activity);
          expect(again, spelling).not.to.have.property('rawActivity');
        }

        const outOfOffice = OUT_OF_OFFICE_ACTIVITIES.includes(activity);
        expect(presence.isOutOfOffice, 'out of office').to.equal(outOfOffice);
        expect(badgeFor(presence)).to.deep.equal({ status: 'busy', outOfOffice });
        expect(statusText(presence)).to.equal(BUSY_WITH_ACTIVITY[activity]);

        expect(activityLabel(presence)).to.equal(ENGLISH_ACTIVITY[activity]);
        for (const locale of BUILT_IN_LOCALES) {
          const label = activityLabel(presence, messagesFor(locale));
          checkLocalisedLabel('activity', activity, label, locale);
          if (locale !== 'en' && !SAME_AS_ENGLISH.includes(`${locale}:${activity}`)) {
            expect(label, `${locale} translates ${activity}`).not.to.equal(ENGLISH_ACTIVITY[activity]);
          }
        }
      });
    }
  });

  describe('isAvailability / isActivity', () => {
    const notValues: unknown[] = [
      'busy',
      ' Busy',
      'InAMeeting ',
      '',
      'Lunch',
      'constructor',
      'toString',
      '__proto__',
      42,
      null,
      undefined,
      {},
      ['Busy'],
    ];
    for (const value of notValues) {
      it(`reject ${JSON.stringify(value) ?? String(value)}`, () => {
        expect(isAvailability(value)).to.equal(false);
        expect(isActivity(value)).to.equal(false);
      });
    }
    it('tell the two vocabularies apart', () => {
      expect(isAvailability('InAMeeting')).to.equal(false);
      expect(isActivity('InAMeeting')).to.equal(true);
      expect(isAvailability('BusyIdle')).to.equal(true);
      expect(isActivity('BusyIdle')).to.equal(false);
    });
  });

  describe('built-in locale tables', () => {
    for (const locale of BUILT_IN_LOCALES) {
      it(`${locale} has exactly the documented keys and a label for each, consistent across tables`, () => {
        const m = messagesFor(locale);
        expect(m.locale).to.equal(locale);
        expect(Object.keys(m.availability).sort()).to.deep.equal([...AVAILABILITIES].sort());
        expect(Object.keys(m.activity).sort()).to.deep.equal([...ACTIVITIES].sort());

        // A value both tables have is said the same way, so a description never reads "Away, Away" in other words.
        for (const value of AVAILABILITIES) {
          if (isActivity(value)) expect(m.activity[value], `${locale} ${value}`).to.equal(m.availability[value]);
        }
        expect(m.outOfOffice).to.equal(m.activity.OutOfOffice);

        // Two values English tells apart are told apart in every locale.
        const distinct = (labels: Record<string, string>): number => new Set(Object.values(labels)).size;
        expect(distinct(m.availability)).to.equal(distinct(ENGLISH_AVAILABILITY));
        expect(distinct(m.activity)).to.equal(distinct(ENGLISH_ACTIVITY));

        for (const key of [
          'outOfOffice',
          'unrecognised',
          'unnamed',
          'loadingName',
          'stale',
          'filterLabel',
          'peopleCount',
          'noMatch',
          'loading',
          'signIn',
          'signOut',
          'separator',
        ] as const) {
          expect(m[key], `${locale} ${key}`).to.be.a('string').and.not.equal('');
        }
        expect(m.unrecognised.split('{value}').length, `${locale} unrecognised has one {value}`).to.equal(2);
        expect(m.peopleCount!.split('{count}').length, `${locale} peopleCount has one {count}`).to.equal(2);
        expect(m.dir).to.equal(locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr');
      });
    }
  });
});
