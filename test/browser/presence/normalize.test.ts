/** normalizePresence on garbage, on out-of-office signals, on the optional fields, and on its own output. */
import { expect } from '@open-wc/testing';
import {
  badgeFor,
  describePresence,
  normalizePresence,
  statusText,
  type Presence,
} from '../../../src/presence/index.js';
import { LONE_SURROGATE } from './fixtures.js';

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

interface GarbageCase {
  name: string;
  input: unknown;
  rawAvailability?: string;
  rawActivity?: string;
}

/** Inputs that are not a usable presence: each must become PresenceUnknown (never Offline) and never throw. */
const GARBAGE: GarbageCase[] = [
  { name: 'undefined', input: undefined },
  { name: 'null', input: null },
  { name: 'a number', input: 42 },
  { name: 'a bare string (not an object)', input: 'Busy' },
  { name: 'an array', input: [{ availability: 'Busy' }] },
  { name: 'a function', input: () => ({ availability: 'Busy' }) },
  { name: 'an empty object', input: {} },
  {
    name: 'null fields',
    input: { availability: null, activity: null, outOfOfficeSettings: null, statusMessage: null, workLocation: null },
  },
  { name: 'an undocumented availability', input: { availability: 'Lunch' }, rawAvailability: 'Lunch' },
  {
    name: 'an undocumented availability with messy whitespace',
    input: { availability: '  Lunch \n\t break ' },
    rawAvailability: 'Lunch break',
  },
  { name: 'a numeric availability', input: { availability: 42 }, rawAvailability: '42' },
  { name: 'a boolean availability', input: { availability: false }, rawAvailability: 'false' },
  { name: 'an object availability', input: { availability: { value: 'Busy' } }, rawAvailability: '{"value":"Busy"}' },
  { name: 'an array availability', input: { availability: ['Busy'] }, rawAvailability: '["Busy"]' },
  { name: 'a blank availability', input: { availability: '  ' } },
  { name: 'an empty availability', input: { availability: '' } },
  {
    name: 'an Object.prototype name as availability',
    input: { availability: 'constructor', activity: '__proto__' },
    rawAvailability: 'constructor',
    rawActivity: '__proto__',
  },
  {
    name: 'a spelling with inner spaces',
    input: { availability: 'Do Not Disturb' },
    rawAvailability: 'Do Not Disturb',
  },
  { name: 'an undocumented activity only', input: { activity: 'OnBreak' }, rawActivity: 'OnBreak' },
  { name: 'a BigInt availability', input: { availability: BigInt(7) }, rawAvailability: '7' },
  { name: 'a circular object availability', input: { availability: circular }, rawAvailability: '[object Object]' },
  {
    name: 'a prototype-less object availability',
    input: { availability: Object.create(null) as object },
    rawAvailability: '{}',
  },
];

describe('normalizePresence', () => {
  describe('unknown, missing and malformed input never becomes Offline', () => {
    for (const { name, input, rawAvailability, rawActivity } of GARBAGE) {
      it(`${name} -> PresenceUnknown${rawAvailability ? ` (raw "${rawAvailability}")` : ''}${rawActivity ? ` (raw activity "${rawActivity}")` : ''}`, () => {
        let presence!: Presence;
        expect(() => (presence = normalizePresence(input))).not.to.throw();
        expect(presence.availability).to.equal('PresenceUnknown');
        expect(presence.activity).to.equal('PresenceUnknown');
        expect(presence.rawAvailability).to.equal(rawAvailability);
        expect(presence.rawActivity).to.equal(rawActivity);
        expect(presence.isOutOfOffice).to.equal(false);
        expect(badgeFor(presence)).to.deep.equal({ status: 'unknown', outOfOffice: false });
        expect(statusText(presence)).not.to.match(/offline/i);
        if (rawAvailability) expect(describePresence(presence)[0]).to.equal(`Unrecognised status “${rawAvailability}”`);
        if (rawActivity) expect(describePresence(presence)).to.include(`Unrecognised status “${rawActivity}”`);
      });
    }

    it('"OnBreak" as the activity keeps a documented availability and shows the raw activity', () => {
      const presence = normalizePresence({ availability: 'Busy', activity: 'OnBreak' });
      expect(presence).to.deep.equal({
        availability: 'Busy',
        activity: 'PresenceUnknown',
        rawActivity: 'OnBreak',
        isOutOfOffice: false,
      });
      expect(badgeFor(presence)).to.deep.equal({ status: 'busy', outOfOffice: false });
      expect(statusText(presence)).to.equal('Busy, Unrecognised status “OnBreak”');
    });

    it('bounds a 10,000-character raw value, keeping its start', () => {
      const presence = normalizePresence({ availability: 'x'.repeat(10_000), activity: 'y'.repeat(10_000) });
      expect(presence.rawAvailability).to.equal(`${'x'.repeat(63)}…`);
      expect(presence.rawActivity).to.equal(`${'y'.repeat(63)}…`);
      expect(statusText(presence).length).to.be.below(200);
    });

    it('bounds a huge non-string raw value', () => {
      const presence = normalizePresence({ availability: Array.from({ length: 10_000 }, (_, i) => i) });
      expect(presence.rawAvailability!.length).to.equal(64);
      expect(presence.rawAvailability!.startsWith('[0,1,2,3')).to.equal(true);
    });

    it('does not cut an emoji in half when bounding a raw value', () => {
      const presence = normalizePresence({ availability: `${'x'.repeat(62)}😀😀` });
      expect(presence.rawAvailability!.length).to.be.at.most(64);
      expect(presence.rawAvailability!.endsWith('…')).to.equal(true);
      expect(LONE_SURROGATE.test(presence.rawAvailability!), presence.rawAvailability).to.equal(false);
    });

    it('keeps a raw value that is exactly at the bound', () => {
      const value = 'z'.repeat(64);
      expect(normalizePresence({ availability: value }).rawAvailability).to.equal(value);
    });
  });

  describe('out of office', () => {
    const SOURCES: Array<[string, unknown, boolean]> = [
      ['activity OutOfOffice', { availability: 'Away', activity: 'OutOfOffice' }, true],
      ['activity OffWork', { availability: 'Offline', activity: 'OffWork' }, true],
      ['activity outofoffice in lower case', { availability: 'Away', activity: 'outofoffice' }, true],
      ['automatic replies on', { availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: true } }, true],
      [
        'automatic replies on, with a message',
        { availability: 'Available', outOfOfficeSettings: { isOutOfOffice: true, message: 'Back Monday' } },
        true,
      ],
      ['the flattened isOutOfOffice of a normalised presence', { availability: 'Busy', isOutOfOffice: true }, true],
      ['automatic replies off', { availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: false } }, false],
      [
        'automatic replies "true" as a string',
        { availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: 'true' } },
        false,
      ],
      ['automatic replies 1', { availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: 1 } }, false],
      ['settings null', { availability: 'Busy', outOfOfficeSettings: null }, false],
      ['settings as an array', { availability: 'Busy', outOfOfficeSettings: [true] }, false],
      ['a message without the flag', { availability: 'Busy', outOfOfficeSettings: { message: 'I am away' } }, false],
      ['an undocumented activity', { availability: 'Away', activity: 'OutOfOfficeish' }, false],
      ['nothing', { availability: 'Away', activity: 'Away' }, false],
    ];
    for (const [name, input, expected] of SOURCES) {
      it(`${name} -> isOutOfOffice ${expected}`, () => {
        const presence = normalizePresence(input);
        expect(presence.isOutOfOffice).to.equal(expected);
        expect(badgeFor(presence).outOfOffice).to.equal(expected);
      });
    }

    const MESSAGES: Array<[string, unknown, string | undefined]> = [
      [
        'an HTML automatic reply',
        { outOfOfficeSettings: { isOutOfOffice: true, message: '<p>Back <b>Monday</b></p>' } },
        'Back Monday',
      ],
      [
        'a text automatic reply',
        { outOfOfficeSettings: { isOutOfOffice: true, message: '  Back\n Monday ' } },
        'Back Monday',
      ],
      ['a blank automatic reply', { outOfOfficeSettings: { isOutOfOffice: true, message: '   ' } }, undefined],
      ['a non-string automatic reply', { outOfOfficeSettings: { isOutOfOffice: true, message: 42 } }, undefined],
      ['a null automatic reply', { outOfOfficeSettings: { isOutOfOffice: true, message: null } }, undefined],
      [
        'the flattened message of a normalised presence',
        { isOutOfOffice: true, outOfOfficeMessage: 'Back Monday' },
        'Back Monday',
      ],
    ];
    for (const [name, input, expected] of MESSAGES) {
      it(`${name} -> outOfOfficeMessage ${JSON.stringify(expected)}`, () => {
        const presence = normalizePresence(input);
        expect(presence.outOfOfficeMessage).to.equal(expected);
        if (expected === undefined) expect(presence).not.to.have.property('outOfOfficeMessage');
      });
    }
  });

  describe('status message field', () => {
    const CASES: Array<[string, unknown, string | undefined]> = [
      [
        'Graph text content',
        { statusMessage: { message: { content: 'Heads down', contentType: 'text' } } },
        'Heads down',
      ],
      [
        'Graph HTML content',
        { statusMessage: { message: { content: '<p>At <b>lunch</b></p>', contentType: 'html' } } },
        'At lunch',
      ],
      ['content without a content type', { statusMessage: { message: { content: 'Heads down' } } }, 'Heads down'],
      ['a flattened string (a normalised presence)', { statusMessage: 'Heads down' }, 'Heads down'],
      ['blank content', { statusMessage: { message: { content: ' \n ', contentType: 'text' } } }, undefined],
      [
        'only a script',
        { statusMessage: { message: { content: '<svg onload=alert(1)>', contentType: 'html' } } },
        undefined,
      ],
      ['non-string content', { statusMessage: { message: { content: 42 } } }, undefined],
      [
        'no message',
        { statusMessage: { expiryDateTime: { dateTime: '2026-01-01T00:00:00', timeZone: 'UTC' } } },
        undefined,
      ],
      ['a number', { statusMessage: 42 }, undefined],
    ];
    for (const [name, input, expected] of CASES) {
      it(`${name} -> ${JSON.stringify(expected)}`, () => {
        const presence = normalizePresence(input);
        expect(presence.statusMessage).to.equal(expected);
        if (expected === undefined) expect(presence).not.to.have.property('statusMessage');
      });
    }
  });

  describe('id, sequenceNumber and workLocation', () => {
    const CASES: Array<[string, unknown, Partial<Presence>]> = [
      [
        'strings',
        { id: 'u1', sequenceNumber: 'C0001', workLocation: { workLocationType: 'remote' } },
        { id: 'u1', sequenceNumber: 'C0001', workLocation: 'remote' },
      ],
      [
        'strings with spaces',
        { id: ' u1 ', sequenceNumber: ' C0001\n', workLocation: { workLocationType: ' office ' } },
        { id: 'u1', sequenceNumber: 'C0001', workLocation: 'office' },
      ],
      ['the flattened workLocation of a normalised presence', { workLocation: 'timeOff' }, { workLocation: 'timeOff' }],
      ['numbers', { id: 7, sequenceNumber: 12, workLocation: { workLocationType: 3 } }, {}],
      ['objects', { id: {}, sequenceNumber: {}, workLocation: {} }, {}],
      ['blank strings', { id: '  ', sequenceNumber: '', workLocation: { workLocationType: '  ' } }, {}],
      ['nulls', { id: null, sequenceNumber: null, workLocation: null }, {}],
      ['booleans', { id: true, sequenceNumber: false, workLocation: true }, {}],
    ];
    for (const [name, input, expected] of CASES) {
      it(`${name} -> ${JSON.stringify(expected)}`, () => {
        const presence = normalizePresence(input);
        for (const key of ['id', 'sequenceNumber', 'workLocation'] as const) {
          if (key in expected) expect(presence[key], key).to.equal(expected[key]);
          else expect(presence, key).not.to.have.property(key);
        }
      });
    }
  });

  describe('a normalised presence normalised again', () => {
    const INPUTS: Array<[string, unknown]> = [
      [
        'a full Graph presence',
        {
          id: 'u1',
          availability: 'Busy',
          activity: 'InAMeeting',
          statusMessage: { message: { content: '<p>At <b>lunch</b> &amp; back at 2</p>', contentType: 'html' } },
          outOfOfficeSettings: { isOutOfOffice: true, message: '<p>Back Monday</p>' },
          sequenceNumber: 'C0042',
          workLocation: { workLocationType: 'remote', source: 'manual' },
        },
      ],
      ['undocumented values', { availability: 'Lunch', activity: 'OnBreak' }],
      ['a huge undocumented value', { availability: 'q'.repeat(500) }],
      ['nothing', undefined],
      ['off work', { availability: 'Offline', activity: 'OffWork' }],
    ];
    for (const [name, input] of INPUTS) {
      it(`${name}: is unchanged`, () => {
        const once = normalizePresence(input);
        expect(normalizePresence(once)).to.deep.equal(once);
        expect(normalizePresence(JSON.parse(JSON.stringify(once)))).to.deep.equal(once);
      });
    }

    it('does not share or mutate its input', () => {
      const input = { availability: 'Busy', outOfOfficeSettings: { isOutOfOffice: true } };
      const copy = JSON.parse(JSON.stringify(input)) as unknown;
      const presence = normalizePresence(input);
      expect(input).to.deep.equal(copy);
      expect(presence).not.to.equal(input);
    });
  });
});
