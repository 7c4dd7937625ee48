/** parsePresence: a presence written as JSON text (an HTML attribute), with a helpful error when it cannot be read. */
import { expect } from '@open-wc/testing';
import { parsePresence, type Presence } from '../../../src/presence/index.js';

const UNKNOWN: Presence = { availability: 'PresenceUnknown', activity: 'PresenceUnknown', isOutOfOffice: false };

describe('parsePresence', () => {
  const VALID: Array<[string, string, Partial<Presence>]> = [
    ['a JSON object', '{"availability":"Busy","activity":"InACall"}', { availability: 'Busy', activity: 'InACall' }],
    [
      'a JSON object with spaces around it',
      '  {"availability":"Away","activity":"OutOfOffice"}\n',
      { availability: 'Away', activity: 'OutOfOffice', isOutOfOffice: true },
    ],
    [
      'a full Graph object',
      '{"id":"u1","availability":"DoNotDisturb","activity":"Presenting","sequenceNumber":"C1","statusMessage":{"message":{"content":"<p>Demo</p>","contentType":"html"}}}',
      { id: 'u1', availability: 'DoNotDisturb', activity: 'Presenting', sequenceNumber: 'C1', statusMessage: 'Demo' },
    ],
    [
      'an object with an undocumented value',
      '{"availability":"Lunch"}',
      { availability: 'PresenceUnknown', rawAvailability: 'Lunch' },
    ],
    ['an empty object', '{}', UNKNOWN],
    ['the shorthand Busy', 'Busy', { availability: 'Busy', activity: 'PresenceUnknown' }],
    ['the shorthand in lower case', 'donotdisturb', { availability: 'DoNotDisturb' }],
    ['the shorthand with spaces around it', '  Away ', { availability: 'Away' }],
    ['an undocumented shorthand', 'Lunch', { availability: 'PresenceUnknown', rawAvailability: 'Lunch' }],
  ];
  for (const [name, text, expected] of VALID) {
    it(`reads ${name}`, () => {
      const parsed = parsePresence(text);
      expect(parsed).not.to.have.property('error');
      expect(parsed.presence).to.include(expected);
    });
  }

  for (const text of ['', '   ', '\n\t', null, undefined]) {
    it(`${JSON.stringify(text) ?? 'undefined'} is no presence, without an error`, () => {
      const parsed = parsePresence(text);
      expect(parsed.error).to.equal(undefined);
      expect(parsed.presence).to.deep.equal(UNKNOWN);
    });
  }

  const INVALID_JSON = [
    '{availability: Busy',
    '{"availability":"Busy"',
    "{'availability':'Busy'}",
    'Busy!',
    'Do Not Disturb',
    '{"availability":"Busy"}}',
  ];
  for (const text of INVALID_JSON) {
    it(`invalid JSON ${JSON.stringify(text)}: unknown presence and an error that says JSON`, () => {
      const parsed = parsePresence(text);
      expect(parsed.presence).to.deep.equal(UNKNOWN);
      expect(parsed.error).to.be.a('string');
      expect(parsed.error).to.match(/not valid JSON/);
      expect(parsed.error).to.include(text.trim().slice(0, 20));
    });
  }

  const NOT_AN_OBJECT = ['[1,2]', '[{"availability":"Busy"}]', '42', '-1.5', '"Busy"', 'true', 'null'];
  for (const text of NOT_AN_OBJECT) {
    it(`JSON that is not an object (${text}): unknown presence and an error asking for a JSON object`, () => {
      const parsed = parsePresence(text);
      expect(parsed.presence).to.deep.equal(UNKNOWN);
      expect(parsed.error).to.match(/must be a JSON object/);
      expect(parsed.error).to.include('{"availability":"Busy","activity":"InACall"}');
      expect(parsed.error).to.include(text);
    });
  }

  it('bounds the error for huge input', () => {
    for (const text of [`{${'x'.repeat(10_000)}`, `[${'1,'.repeat(10_000)}1]`]) {
      const parsed = parsePresence(text);
      expect(parsed.presence).to.deep.equal(UNKNOWN);
      expect(parsed.error!.length, text.slice(0, 10)).to.be.below(400);
    }
  });
});
