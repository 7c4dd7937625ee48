// Under a policy that forbids inline style attributes, every element still draws as it should. The policy is set
// for this file's page only (a CSP, once set, cannot be lifted).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { PresenceClient, type PresenceBadge, type PresenceAvatar, type TeamPresenceList } from '../../../src/index.js';
import '../../../src/define.js';
import { part } from '../support/fixtures.js';

const violations: string[] = [];

before(() => {
  document.addEventListener('securitypolicyviolation', (e) =>
    violations.push(`${e.violatedDirective} (${e.sample || e.blockedURI})`),
  );
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "style-src-attr 'none'";
  document.head.append(meta);
});

beforeEach(() => {
  violations.length = 0;
});

const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('with inline style attributes forbidden', () => {
  it('a 72px avatar draws at 72px from its first render, in its own colour', async () => {
    const el = await fixture<PresenceAvatar>(
      html`<presence-avatar size="extra-large" user-id="u1" display-name="Adele Vance" presence="Busy"></presence-avatar>`,
    );
    await el.updateComplete;
    expect(part(el, 'avatar').getBoundingClientRect().width).to.equal(72);
    expect(getComputedStyle(part(el, 'avatar')).backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
    el.size = '3rem';
    await el.updateComplete;
    expect(part(el, 'avatar').getBoundingClientRect().width).to.equal(48);
    el.size = null;
    await el.updateComplete;
    expect(part(el, 'avatar').getBoundingClientRect().width).to.equal(40);
    await settle();
    expect(violations).to.deep.equal([]);
  });

  it('a sized badge draws at its size', async () => {
    const el = await fixture<PresenceBadge>(html`<presence-badge size="extra-large" status="busy"></presence-badge>`);
    await el.updateComplete;
    expect(part(el, 'base').getBoundingClientRect().width).to.equal(28);
    await settle();
    expect(violations).to.deep.equal([]);
  });

  it('a team list places its rows one under the other', async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `u${n}`);
    const client = new PresenceClient({
      source: {
        async presences(asked: string[]) {
          return asked.map((id) => ({ id, availability: 'Available', activity: 'Available' }));
        },
      },
    });
    const root = await fixture(
      html`<presence-provider .client=${client}><team-presence-list user-ids=${ids.join(' ')}></team-presence-list></presence-provider>`,
    );
    const el = root.querySelector('team-presence-list') as TeamPresenceList;
    const rows = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="row"]')];
    await waitUntil(() => rows().length > 3, 'rows rendered');
    const tops = rows()
      .slice(0, 4)
      .map((r) => r.getBoundingClientRect().top);
    expect(tops[1]! - tops[0]!).to.equal(48);
    expect(tops[3]! - tops[2]!).to.equal(48);
    const list = part(el, 'list');
    expect(list.scrollHeight).to.be.at.least(31 * 48);
    await settle();
    expect(violations).to.deep.equal([]);
  });
});
