// What a page author or an attacker can hand the elements beyond a wrong type (see wrong-types.test.ts): presence
// objects that throw when read, names and status messages of a megabyte built to make text handling slow, and
// presence JSON whose keys are the names every object inherits.
import { expect, fixture, html } from '@open-wc/testing';
import {
  PresenceClient,
  type PresenceAvatar,
  type PresenceBadge,
  type PresenceProvider,
  type PresenceSource,
  type Profile,
} from '../../../src/index.js';
import type { PresenceErrorDetail } from '../../../src/events/presence-error.js';
import { drawnStatus, part } from '../support/fixtures.js';
import { settle, until } from '../support/until.js';

/** Runs `body`, collecting the page's uncaught errors and unhandled rejections meanwhile. */
async function uncaughtDuring(body: () => Promise<void>): Promise<string[]> {
  const problems: string[] = [];
  const onError = (event: ErrorEvent) => {
    problems.push(`error: ${event.message}`);
    event.preventDefault();
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    problems.push(`unhandled rejection: ${String(event.reason)}`);
    event.preventDefault();
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    await body();
    await settle();
  } catch (error) {
    problems.push(`thrown: ${String(error)}`);
  } finally {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  }
  return problems;
}

/** Objects typed as objects that throw as soon as anything reads them. */
function throwingPresences(): Array<[string, object]> {
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  return [
    [
      'a throwing getter',
      {
        get availability(): string {
          throw new Error('no availability here');
        },
      },
    ],
    ['a revoked proxy', revoked],
    [
      'a proxy that throws on every read',
      new Proxy(
        {},
        {
          get() {
            throw new Error('read refused');
          },
        },
      ),
    ],
  ];
}

describe('a presence object that throws when read', () => {
  for (const [name, presence] of throwingPresences()) {
    it(`(${name}) on <presence-avatar>: an invalid-presence error, the unknown badge, and a valid value works again`, async () => {
      const errors: PresenceErrorDetail[] = [];
      let el: PresenceAvatar | undefined;
      const problems = await uncaughtDuring(async () => {
        el = await fixture<PresenceAvatar>(
          html`<presence-avatar
            display-name="Adele Vance"
            presence="Busy"
            @presence-error=${(e: CustomEvent<PresenceErrorDetail>) => errors.push(e.detail)}
          ></presence-avatar>`,
        );
        el.presence = presence as never;
        await el.updateComplete;
      });
      expect(problems).to.deep.equal([]);
      expect(errors.map((e) => e.kind)).to.deep.equal(['invalid-presence']);
      expect(errors[0]!.message).to.match(/presence/);
      expect(drawnStatus(el!)).to.equal('unknown');
      el!.presence = { availability: 'Away', activity: 'Away' };
      await el!.updateComplete;
      expect(drawnStatus(el!)).to.equal('away');
      expect(part(el!, 'base').getAttribute('aria-label')).to.equal('Adele Vance, Away');
    });

    it(`(${name}) on <presence-badge>: an invalid-presence error, the unknown badge, and a valid value works again`, async () => {
      const errors: PresenceErrorDetail[] = [];
      let el: PresenceBadge | undefined;
      const problems = await uncaughtDuring(async () => {
        el = await fixture<PresenceBadge>(
          html`<presence-badge
            presence="Busy"
            @presence-error=${(e: CustomEvent<PresenceErrorDetail>) => errors.push(e.detail)}
          ></presence-badge>`,
        );
        el.presence = presence as never;
        await el.updateComplete;
      });
      expect(problems).to.deep.equal([]);
      expect(errors.map((e) => e.kind)).to.deep.equal(['invalid-presence']);
      expect(drawnStatus(el!)).to.equal('unknown');
      el!.presence = { availability: 'DoNotDisturb', activity: 'Presenting' };
      await el!.updateComplete;
      expect(drawnStatus(el!)).to.equal('do-not-disturb');
    });
  }
});

describe('a presence that is neither an object nor JSON text', () => {
  const values: Array<[string, unknown]> = [
    ['a number', 42],
    ['a boolean', true],
    ['a Symbol', Symbol('Busy')],
    ['a function', () => 'Busy'],
    ['a bigint', 7n],
  ];
  for (const tag of ['presence-avatar', 'presence-badge'] as const) {
    for (const [name, value] of values) {
      it(`(${name}) on <${tag}>: an invalid-presence error naming its type, and the unknown badge`, async () => {
        const errors: PresenceErrorDetail[] = [];
        const el = await fixture<PresenceAvatar | PresenceBadge>(
          tag === 'presence-avatar'
            ? html`<presence-avatar display-name="Adele Vance" presence="Busy"></presence-avatar>`
            : html`<presence-badge presence="Busy"></presence-badge>`,
        );
        el.addEventListener('presence-error', (e) => errors.push((e as CustomEvent<PresenceErrorDetail>).detail));
        const problems = await uncaughtDuring(async () => {
          el.presence = value as never;
          await el.updateComplete;
        });
        expect(problems).to.deep.equal([]);
        expect(errors.map((e) => e.kind)).to.deep.equal(['invalid-presence']);
        expect(errors[0]!.message).to.contain(`presence is a ${typeof value}`);
        expect(drawnStatus(el)).to.equal('unknown');
      });
    }
  }
});

describe('a provider given as client something that is not a client', () => {
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const values: Array<[string, unknown]> = [
    ['a revoked proxy', revoked],
    [
      'a proxy that throws on every read',
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('read refused');
          },
        },
      ),
    ],
    ['a number', 42],
    ['an object without watch', { watch: 'no' }],
  ];
  for (const [name, value] of values) {
    it(`(${name}): a config error naming client, and its own attributes' client for the elements inside`, async () => {
      const errors: PresenceErrorDetail[] = [];
      let provider: PresenceProvider | undefined;
      const problems = await uncaughtDuring(async () => {
        provider = await fixture<PresenceProvider>(
          html`<presence-provider
            demo
            @presence-error=${(e: CustomEvent<PresenceErrorDetail>) => errors.push(e.detail)}
            ><presence-avatar user-id="u1"></presence-avatar
          ></presence-provider>`,
        );
        provider.client = value as never;
        await provider.updateComplete;
      });
      expect(problems).to.deep.equal([]);
      expect(errors.map((e) => e.kind)).to.deep.equal(['config']);
      expect(errors[0]!.message).to.match(/client/);
      // The demo client its attributes make still serves the avatar inside.
      expect(provider!.current).to.be.instanceOf(PresenceClient);
      const avatar = provider!.querySelector('presence-avatar')!;
      await until(() => drawnStatus(avatar as PresenceAvatar) !== null, 'the avatar live from the demo');
      provider!.client = undefined;
      await provider!.updateComplete;
      expect(errors.length, 'no error once client is cleared').to.equal(1);
    });
  }
});

/** A megabyte of `unit`, repeated. */
const megabyteOf = (unit: string) => unit.repeat(Math.ceil(2 ** 20 / unit.length));

describe('a status message of a megabyte, made of what looks like the start of markup', () => {
  // A tag never closed is text; a script or style never closed runs to the end, as a browser reads it.
  for (const [name, content, shown] of [
    ['tags never closed', megabyteOf('<b'), `${'<b'.repeat(499)}<…`],
    ['script elements never closed', `<p>Out today</p>${megabyteOf('<script')}`, 'Out today'],
    ['style elements never closed', `<p>Out today</p>${megabyteOf('<style ')}`, 'Out today'],
  ]) {
    it(`(${name}) is shown cut short, as text, and the avatar takes the next message`, async () => {
      let el: PresenceAvatar | undefined;
      const problems = await uncaughtDuring(async () => {
        el = await fixture<PresenceAvatar>(
          html`<presence-avatar display-name="Adele Vance" show-status presence="Busy"></presence-avatar>`,
        );
        el.presence = { availability: 'Busy', statusMessage: { message: { content, contentType: 'html' } } };
        await el.updateComplete;
      });
      expect(problems).to.deep.equal([]);
      expect(drawnStatus(el!)).to.equal('busy');
      expect(part(el!, 'message').textContent).to.equal(shown);
      expect(part(el!, 'base').querySelectorAll('b, script, style').length).to.equal(0);
      el!.presence = {
        availability: 'Away',
        statusMessage: { message: { content: '<p>Back at <b>3</b></p>', contentType: 'html' } },
      };
      await el!.updateComplete;
      expect(part(el!, 'message').textContent).to.equal('Back at 3');
    });
  }
});

describe('a display name of a megabyte, made of brackets never closed', () => {
  for (const [name, displayName] of [
    ['parentheses', megabyteOf('(')],
    ['parentheses and letters', megabyteOf('(a')],
    ['angle brackets', megabyteOf('<a')],
    ['square brackets', megabyteOf('[')],
  ]) {
    it(`(${name}) is shown, and the avatar takes the next name`, async () => {
      let el: PresenceAvatar | undefined;
      const problems = await uncaughtDuring(async () => {
        el = await fixture<PresenceAvatar>(html`<presence-avatar show-name presence="Busy"></presence-avatar>`);
        el.displayName = displayName;
        await el.updateComplete;
      });
      expect(problems).to.deep.equal([]);
      expect(drawnStatus(el!)).to.equal('busy');
      expect(part(el!, 'name').textContent).to.equal(displayName);
      el!.displayName = 'Adele Vance';
      await el!.updateComplete;
      expect(part(el!, 'initials').textContent).to.equal('AV');
      expect(part(el!, 'base').getAttribute('aria-label')).to.equal('Adele Vance, Busy');
    });
  }
});

describe('a status message naming an entity every object inherits', () => {
  it('shows the text as written, not the code of a built-in function', async () => {
    const el = await fixture<PresenceAvatar>(
      html`<presence-avatar
        display-name="Adele Vance"
        show-status
        .presence=${{
          availability: 'Busy',
          statusMessage: { message: { content: '<p>Out &amp; about &constructor; &lt;3</p>', contentType: 'html' } },
        }}
      ></presence-avatar>`,
    );
    expect(part(el, 'message').textContent).to.equal('Out & about &constructor; <3');
  });
});

/** Values a source of the page's own (its backend, its fetch) may send where the directory sends text. */
const NOT_TEXT: unknown[] = [42, {}, ['Adele'], true, Symbol('name'), 10n, { toString: () => 'Adele' }];
const member = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A source whose people are all Busy, and whose directory answers every field with something that is not text. */
function sourceWithoutText(): PresenceSource {
  const profile = (id: string, n: number) =>
    ({
      id,
      displayName: NOT_TEXT[n % NOT_TEXT.length],
      userPrincipalName: NOT_TEXT[(n + 1) % NOT_TEXT.length],
      mail: NOT_TEXT[(n + 2) % NOT_TEXT.length],
      jobTitle: NOT_TEXT[(n + 3) % NOT_TEXT.length],
    }) as unknown as Profile;
  return {
    presences: async (ids) => ids.map((id) => ({ id, availability: 'Busy', activity: 'InACall' })),
    profiles: async (keys) => keys.map((key, n) => ({ ...profile(key, n), key })),
    members: async (_kind, _id, onPage) =>
      onPage([
        ...NOT_TEXT.map((_, n) => profile(member(n + 1), n)),
        // Not members at all: no id, or an id that is not text.
        null as unknown as Profile,
        { id: 7, displayName: 'Seven' } as unknown as Profile,
      ]),
  };
}

describe("a source of the page's own that answers names and addresses with something that is not text", () => {
  it('gives live avatars no name (never a broken avatar), and their presence', async () => {
    let root: HTMLElement | undefined;
    const problems = await uncaughtDuring(async () => {
      root = await fixture<HTMLElement>(html`<presence-provider
        .client=${new PresenceClient({ source: sourceWithoutText() })}
      >
        ${NOT_TEXT.map((_, n) => html`<presence-avatar user-id=${member(n + 1)} show-name></presence-avatar>`)}
      </presence-provider>`);
      const avatars = [...root.querySelectorAll('presence-avatar')];
      await until(() => avatars.every((a) => drawnStatus(a) === 'busy'), 'every avatar live');
    });
    expect(problems).to.deep.equal([]);
    for (const avatar of root!.querySelectorAll('presence-avatar')) {
      expect(part(avatar, 'base').getAttribute('aria-label')).to.equal('Unknown person, Busy, In a call');
      expect(part(avatar, 'name').textContent).to.equal('Unknown person');
    }
  });

  it('lists the members that have an id, in a team list that keeps working', async () => {
    let list: HTMLElement | undefined;
    const problems = await uncaughtDuring(async () => {
      const root = await fixture<HTMLElement>(html`<presence-provider
        .client=${new PresenceClient({ source: sourceWithoutText() })}
      >
        <team-presence-list team-id="team-1"></team-presence-list>
      </presence-provider>`);
      list = root.querySelector<HTMLElement>('team-presence-list')!;
      await until(() => list!.shadowRoot?.querySelectorAll('[part~="row"]').length === NOT_TEXT.length, 'the rows');
      await until(
        () => [...list!.shadowRoot!.querySelectorAll('presence-avatar')].every((a) => drawnStatus(a) === 'busy'),
        'every member live',
      );
    });
    expect(problems).to.deep.equal([]);
    const filter = list!.shadowRoot!.querySelector('input')!;
    filter.value = 'zz';
    filter.dispatchEvent(new Event('input'));
    await until(() => list!.shadowRoot!.querySelectorAll('[part~="row"]').length === 0, 'the filter applied');
  });
});

describe('attributes carrying script or CSS', () => {
  const pwned = () => (window as unknown as { __hostilePwned?: number }).__hostilePwned;
  const svg = encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.parent.__hostilePwned=1"><script>window.parent.__hostilePwned=2</script></svg>',
  );
  for (const [name, url] of [
    ['a javascript: URL', 'javascript:window.__hostilePwned=3'],
    ['an SVG data URL with a script', `data:image/svg+xml,${svg}`],
    ['markup that closes the attribute', '"><img src=x onerror="window.__hostilePwned=4">'],
  ]) {
    it(`(${name}) in photo-url runs nothing, and the initials stay`, async () => {
      const errors: PresenceErrorDetail[] = [];
      let el: PresenceAvatar | undefined;
      const problems = await uncaughtDuring(async () => {
        el = await fixture<PresenceAvatar>(
          html`<presence-avatar
            display-name="Adele Vance"
            presence="Busy"
            photo-url=${url}
            @presence-error=${(e: CustomEvent<PresenceErrorDetail>) => errors.push(e.detail)}
          ></presence-avatar>`,
        );
        await until(() => errors.length > 0 || el!.shadowRoot!.querySelector('img.loaded'), 'the photo settled');
        await new Promise((r) => requestAnimationFrame(r));
      });
      expect(problems).to.deep.equal([]);
      expect(pwned()).to.equal(undefined);
      expect(part(el!, 'initials').textContent).to.equal('AV');
      expect(el!.shadowRoot!.querySelectorAll('img:not([part="image"]), script').length).to.equal(0);
    });
  }

  for (const size of [
    '10px; background: url(javascript:alert(1))',
    '48px}</style><style>:host{display:none}',
    'expression(alert(1))',
    '0',
    '-40px',
  ]) {
    it(`(size="${size}") is ignored: the default size, nothing else changed`, async () => {
      const el = await fixture<PresenceAvatar>(
        html`<presence-avatar display-name="Adele Vance" presence="Busy" size=${size}></presence-avatar>`,
      );
      const base = part(el, 'base');
      expect(base.style.getPropertyValue('--_size')).to.equal('');
      expect(getComputedStyle(el).display).not.to.equal('none');
      expect(part(el, 'avatar').getBoundingClientRect().width).to.equal(40);
      expect(pwned()).to.equal(undefined);
    });
  }
});
