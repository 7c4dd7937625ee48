/** badgeFor: the status each availability draws, in and out of office. */
import { expect } from '@open-wc/testing';
import {
  AVAILABILITIES,
  BADGE_STATUSES,
  badgeFor,
  normalizePresence,
  type Availability,
  type BadgeAppearance,
} from '../../../src/presence/index.js';
import { BADGE_BY_AVAILABILITY } from './fixtures.js';

/** Following Teams: an away or offline person who is out of office gets the out-of-office glyph; others keep theirs, outlined. */
const OUT_OF_OFFICE_BADGE: Record<Availability, BadgeAppearance> = {
  Available: { status: 'available', outOfOffice: true },
  AvailableIdle: { status: 'out-of-office', outOfOffice: true },
  Away: { status: 'out-of-office', outOfOffice: true },
  BeRightBack: { status: 'out-of-office', outOfOffice: true },
  Busy: { status: 'busy', outOfOffice: true },
  BusyIdle: { status: 'busy', outOfOffice: true },
  DoNotDisturb: { status: 'do-not-disturb', outOfOffice: true },
  Offline: { status: 'out-of-office', outOfOffice: true },
  PresenceUnknown: { status: 'unknown', outOfOffice: true },
};

describe('badgeFor', () => {
  for (const availability of AVAILABILITIES) {
    it(`${availability}: ${BADGE_BY_AVAILABILITY[availability]} in office, ${OUT_OF_OFFICE_BADGE[availability].status} (outlined) out of office`, () => {
      expect(badgeFor({ availability, isOutOfOffice: false })).to.deep.equal({
        status: BADGE_BY_AVAILABILITY[availability],
        outOfOffice: false,
      });
      expect(badgeFor({ availability, isOutOfOffice: true })).to.deep.equal(OUT_OF_OFFICE_BADGE[availability]);

      // The same through normalisation, from each out-of-office signal Graph gives.
      expect(badgeFor(normalizePresence({ availability }))).to.deep.equal({
        status: BADGE_BY_AVAILABILITY[availability],
        outOfOffice: false,
      });
      expect(badgeFor(normalizePresence({ availability, outOfOfficeSettings: { isOutOfOffice: true } }))).to.deep.equal(
        OUT_OF_OFFICE_BADGE[availability],
      );
      expect(badgeFor(normalizePresence({ availability, activity: 'OutOfOffice' }))).to.deep.equal(
        OUT_OF_OFFICE_BADGE[availability],
      );
      expect(badgeFor(normalizePresence({ availability, activity: 'OffWork' }))).to.deep.equal(
        OUT_OF_OFFICE_BADGE[availability],
      );
      expect(
        badgeFor(normalizePresence({ availability, outOfOfficeSettings: { isOutOfOffice: false } })),
      ).to.deep.equal({ status: BADGE_BY_AVAILABILITY[availability], outOfOffice: false });
    });
  }

  it('only ever draws a documented badge status, and can draw each of them', () => {
    const drawn = new Set<string>();
    for (const availability of AVAILABILITIES) {
      for (const isOutOfOffice of [false, true]) drawn.add(badgeFor({ availability, isOutOfOffice }).status);
    }
    expect([...drawn].sort()).to.deep.equal([...BADGE_STATUSES].sort());
  });

  it('an availability that is not in the vocabulary (from JavaScript, not normalised) draws unknown', () => {
    for (const availability of ['Lunch', 'busy', '', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(
        badgeFor({ availability: availability as Availability, isOutOfOffice: false }),
        availability,
      ).to.deep.equal({ status: 'unknown', outOfOffice: false });
      expect(badgeFor({ availability: availability as Availability, isOutOfOffice: true }), availability).to.deep.equal(
        { status: 'unknown', outOfOffice: true },
      );
    }
  });
});
