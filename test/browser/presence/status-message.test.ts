/** messageToText: Graph status and automatic-reply messages, plain text or HTML, turned into bounded display text. */
import { expect } from '@open-wc/testing';
import { messageToText } from '../../../src/presence/index.js';
import { LONE_SURROGATE } from './fixtures.js';

const CASES: Array<[string, string, string | null | undefined, string]> = [
  // HTML
  [
    'HTML: tags stripped, script dropped, entity decoded',
    '<p>At <b>lunch</b> &amp; back at 2</p><script>alert(1)</script>',
    'html',
    'At lunch & back at 2',
  ],
  ['HTML content type in upper case', '<p>At <i>lunch</i></p>', 'HTML', 'At lunch'],
  [
    'HTML: paragraphs, divs and line breaks become spaces',
    '<p>one</p><p>two</p><div>three</div>four<br>five<br/>six<BR />seven',
    'html',
    'one two three four five six seven',
  ],
  ['HTML: a style block is dropped', '<style>p { color: red }</style><p>Hi</p>', 'html', 'Hi'],
  [
    'HTML: a script with attributes and an odd closing tag is dropped',
    '<SCRIPT type="text/javascript">steal()</script >Hi',
    'html',
    'Hi',
  ],
  ['HTML: comments are dropped', 'Hi<!-- hidden -->there', 'html', 'Hithere'],
  ['HTML: attributes never survive', '<a href="javascript:alert(1)" onclick="x()">link</a>', 'html', 'link'],
  ['HTML: a nbsp is a space', 'Back&nbsp;&nbsp;soon', 'html', 'Back soon'],
  ['HTML with no tags at all', 'Plain &quot;quoted&quot; &apos;text&apos;', 'html', 'Plain "quoted" \'text\''],
  ['HTML: only markup gives nothing', '<p> <br> </p>', 'html', ''],
  // plain text
  ['text is kept', 'Heads down until 3', 'text', 'Heads down until 3'],
  ['text with no content type', 'Heads down', undefined, 'Heads down'],
  ['text with a null content type', 'Heads down', null, 'Heads down'],
  ['text: whitespace collapsed and trimmed', '  several\n\n  lines\t here  ', 'text', 'several lines here'],
  ['text: a comparison is not a tag', 'a < b and c > d', 'text', 'a < b and c > d'],
  ['text: a heart is not a tag', 'I <3 cats', 'text', 'I <3 cats'],
  ['text: a lone "<" before a letter without a closing ">" is kept', 'x<y', 'text', 'x<y'],
  // entities
  ['decimal and hex numeric entities', 'caf&#233; &#x1F600; &#X41;', 'text', 'café 😀 A'],
  ['named entities in any case', '&LT;3 &AMP; &Gt;', 'text', '<3 & >'],
  ['entities are decoded once, not twice', '&amp;lt;b&amp;gt;', 'html', '&lt;b&gt;'],
  ['an unknown entity is left as written', '&copy; &bogus;', 'text', '&copy; &bogus;'],
  [
    'an out-of-range or zero code point is left as written',
    '&#0; &#x110000; &#99999999999;',
    'text',
    '&#0; &#x110000; &#99999999999;',
  ],
  ['an ampersand on its own is kept', 'Tom & Jerry', 'text', 'Tom & Jerry'],
  ['empty', '', 'text', ''],
];

describe('messageToText', () => {
  for (const [name, content, contentType, expected] of CASES) {
    it(`${name}: ${JSON.stringify(content)} -> ${JSON.stringify(expected)}`, () => {
      expect(messageToText(content, contentType)).to.equal(expected);
    });
  }

  describe('markup that looks like a tag is never handed back as one', () => {
    const HOSTILE: Array<[string, string | undefined, string]> = [
      ['<img src=x onerror=alert(1)>', 'text', ''],
      ['<img src=x onerror=alert(1)>Hello', 'text', 'Hello'],
      ['<img src=x onerror=alert(1)>Hello', undefined, 'Hello'],
      ['<img src=x onerror=alert(1)>Hello', 'html', 'Hello'],
      ['Hi <svg/onload=alert(1)> there', 'text', 'Hi there'],
      ['<iframe src="javascript:alert(1)"></iframe>ok', 'text', 'ok'],
      ['<script>alert(1)</script>ok', 'text', 'ok'],
      ['<IMG SRC=x ONERROR=alert(1)>', 'text', ''],
      ['</p><img src=x>', 'text', ''],
    ];
    for (const [content, contentType, expected] of HOSTILE) {
      it(`${JSON.stringify(content)} as ${contentType ?? 'no content type'} -> ${JSON.stringify(expected)}`, () => {
        const text = messageToText(content, contentType);
        expect(text).to.equal(expected);
        expect(text).not.to.match(/<\s*(img|svg|iframe|script)/i);
      });
    }

    it('HTML that encodes a tag as text comes back as those characters, for a text binding (not as a live tag)', () => {
      // The author typed "<img>" into their status: it is text, and stays text when rendered with a text binding.
      const text = messageToText('<p>Type &lt;img&gt; to insert</p>', 'html');
      expect(text).to.equal('Type <img> to insert');
      const span = document.createElement('span');
      span.textContent = text;
      expect(span.children.length).to.equal(0);
      expect(span.textContent).to.equal(text);
    });
  });

  describe('bounds', () => {
    it('cuts a very long message to 1,000 characters ending with an ellipsis', () => {
      const text = messageToText('a'.repeat(5_000));
      expect(text.length).to.equal(1_000);
      expect(text).to.equal(`${'a'.repeat(999)}…`);
    });

    it('keeps a message of exactly 1,000 characters whole', () => {
      expect(messageToText('b'.repeat(1_000))).to.equal('b'.repeat(1_000));
    });

    it('bounds after stripping markup and collapsing whitespace, not before', () => {
      const text = messageToText(`<p>${'c '.repeat(400)}</p>${'<br>'.repeat(2_000)}`, 'html');
      expect(text).to.equal('c '.repeat(400).trim());
    });

    it('does not cut an emoji in half', () => {
      for (let pad = 995; pad <= 1_000; pad++) {
        const text = messageToText(`${'a'.repeat(pad)}${'😀'.repeat(10)}`);
        expect(text.length, `pad ${pad}`).to.be.at.most(1_000);
        expect(text.endsWith('…'), `pad ${pad}`).to.equal(true);
        expect(LONE_SURROGATE.test(text), `pad ${pad}`).to.equal(false);
      }
    });

    it('handles a huge hostile message quickly', () => {
      const start = performance.now();
      const text = messageToText(`${'<b>'.repeat(50_000)}${'&amp;'.repeat(50_000)}<script>`, 'html');
      expect(performance.now() - start).to.be.below(1_000);
      expect(text.length).to.equal(1_000);
      expect(text).to.match(/^&+…$/);
    });
  });
});
