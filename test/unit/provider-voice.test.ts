/**
 * Notices come from the provider (docs/design.md#7-notices): the catalog's `provider` is validated at load with
 * field paths, gives the From display name (RFC 5322 / RFC 2047) and the Reply-To, and the banner,
 * contact line and signature of every notice; without it they say `Aftercare`.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalog, loadDefaultCatalog } from '#config/catalog.ts';
import type { Provider } from '#domain/model.ts';
import { EXAMPLE_PROVIDER } from '#notices/examples.ts';
import { displayNamePhrase, mailbox } from '#notices/mailbox.ts';
import { renderNotice } from '#notices/render.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { CUSTOMER_NOTICE_TYPES } from '#notices/types.ts';
import { aNotice } from '#test/support/factories/notices.ts';
import { CatalogError } from '../../shared/errors.ts';

const PROVIDER = {
  name: 'Ærlig Teknikk AS',
  replyTo: 'kundeservice@aerlig-teknikk.example',
  signature: { nb: ['Kundeservice', 'Ærlig Teknikk AS'], en: ['Customer service', 'Ærlig Teknikk AS'] },
  contactLine: { nb: 'Ring oss på 22 11 22 11.', en: 'Call us on +47 22 11 22 11.' },
} satisfies Provider;

function catalogWithProvider(provider: unknown): unknown {
  return {
    calendars: { always: { kind: 'always' } },
    serviceLevels: {
      basic: {
        name: { nb: 'Basis', en: 'Basic' },
        kpis: { firstResponse: { target: 'PT4H', calendar: 'always', creditPercent: 1 } },
        creditCapPercent: 10,
        terminationWindowDays: 60,
        liabilityCapPercent: 50,
        warnAtPercent: 80,
      },
    },
    provider,
  };
}

function issuesOf(json: unknown): readonly string[] {
  try {
    compileCatalog(json);
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
  throw new Error('the catalog was accepted');
}

/** RFC 2047 B-encoded words back to text, the way a mail client shows the name. */
function decodePhrase(phrase: string): string {
  if (phrase.startsWith('"')) return phrase.slice(1, -1).replace(/\\(.)/g, '$1');
  return phrase
    .split(' ')
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word);
      if (match === null) throw new Error(`not an encoded word: ${word}`);
      return Buffer.from(match[1] ?? '', 'base64');
    })
    .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0))
    .toString('utf8');
}

describe('the catalog provider', () => {
  it('compiles into the catalog as given', () => {
    // Act
    const catalog = compileCatalog(catalogWithProvider(PROVIDER));
    // Assess
    expect(catalog.provider).toEqual(PROVIDER);
  });

  it('is optional: a catalog without it has no provider', () => {
    const json = catalogWithProvider(undefined) as Record<string, unknown>;
    delete json.provider;
    expect(compileCatalog(json).provider).toBeUndefined();
  });

  it('the default catalog shows the example provider the rendered examples speak for', () => {
    expect(loadDefaultCatalog().provider).toEqual(EXAMPLE_PROVIDER);
  });

  it.each([
    ['name', '', 'provider.name: must not be empty'],
    ['name', '   ', 'provider.name: must not be empty'],
    ['name', 'Nordlys\r\nBcc: all@example.com', 'provider.name: must be one line without control characters (CR, LF, tab)'],
    ['name', 'Nordlys Service AS\n', 'provider.name: must be one line without control characters (CR, LF, tab)'],
    ['replyTo', 'kundeservice', 'provider.replyTo: not an email address a notice can be replied to (like kundeservice@provider.no)'],
    ['replyTo', 'a@b.no\r\nBcc: x@y.no', 'provider.replyTo: not an email address a notice can be replied to (like kundeservice@provider.no)'],
    ['replyTo', 'Nordlys <post@nordlys.no>', 'provider.replyTo: not an email address a notice can be replied to (like kundeservice@provider.no)'],
  ] as const)('refuses provider.%s = %j with the field path', (field, value, issue) => {
    expect(issuesOf(catalogWithProvider({ ...PROVIDER, [field]: value }))).toEqual([issue]);
  });

  it('refuses a missing locale, an empty signature and an unknown key, each with its path', () => {
    // Prepare
    const provider = { ...PROVIDER, signature: { nb: [] }, contactLine: { nb: 'x', en: 'y', de: 'z' } };
    // Act
    const issues = issuesOf(catalogWithProvider(provider));
    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        'provider.signature.nb: needs at least one line',
        'provider.signature.en: required',
        'provider.contactLine.de: unknown key (a typo?)',
      ]),
    );
  });
});

describe('the From display name', () => {
  it('quotes an ASCII name as an RFC 5322 quoted string, escaping quotes and backslashes', () => {
    expect(mailbox('Nordlys Service AS', 'varsler@nordlys.example')).toBe('"Nordlys Service AS" <varsler@nordlys.example>');
    expect(displayNamePhrase('Say "Hi" \\ Co')).toBe('"Say \\"Hi\\" \\\\ Co"');
  });

  it('encodes a non-ASCII name as RFC 2047 encoded words in UTF-8', () => {
    expect(mailbox('Ærlig Teknikk', 'varsler@aerlig.example')).toBe(
      `=?UTF-8?B?${Buffer.from('Ærlig Teknikk').toString('base64')}?= <varsler@aerlig.example>`,
    );
  });

  it('refuses CR and LF: no header can be injected through the name', () => {
    expect(() => mailbox('Nordlys\r\nBcc: all@example.com', 'varsler@nordlys.example')).toThrow(/control characters/);
  });

  it('any one-line name survives: encoded words of at most 75 characters that decode to the name', () => {
    fc.assert(
      fc.property(
        // eslint-disable-next-line no-control-regex -- the names a catalog refuses are left out on purpose
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
        (name) => {
          const phrase = displayNamePhrase(name);
          if (!phrase.startsWith('"')) for (const word of phrase.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
          expect(decodePhrase(phrase)).toBe(name);
        },
      ),
    );
  });
});

describe('the SES request', () => {
  it('sends from "Provider" <sender> with the provider\'s Reply-To', async () => {
    // Prepare
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sender = sesNoticeSender({
      client: new SESv2Client({ region: 'eu-north-1' }),
      from: 'varsler@nordlys.example',
      fromName: 'Nordlys Service AS',
      replyTo: 'kundeservice@nordlys.example',
      configurationSetName: 'cs',
    });
    // Act
    await sender.send({ to: 'kunde@example.no', content: renderNotice(aNotice('credit.issued'), 'nb'), noticeType: 'credit.issued', contractId: 'C-1' });
    // Assess
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe('"Nordlys Service AS" <varsler@nordlys.example>');
    expect(input?.ReplyToAddresses).toEqual(['kundeservice@nordlys.example']);
    ses.restore();
  });
});

describe('a notice in the provider\'s voice', () => {
  const everyCustomerNotice = CUSTOMER_NOTICE_TYPES.flatMap((type) => (['nb', 'en'] as const).map((locale) => [type, locale] as const));
  it.each(everyCustomerNotice)('%s carries its name in the banner, its contact line and its signature (%s)', (type, locale) => {
    // Act
    const { html, text } = renderNotice(aNotice(type), locale, { provider: PROVIDER });
    // Assess
    expect(text).toContain(PROVIDER.contactLine[locale]);
    expect(text).toContain(PROVIDER.signature[locale].join('\n'));
    expect(html).toContain('Ærlig Teknikk AS</td>');
    expect(html).not.toContain('Aftercare');
    expect(text).not.toContain('Aftercare');
  });

  it('says Aftercare without a provider', () => {
    const { html, text } = renderNotice(aNotice('year.statement'), 'en');
    expect(text).toContain('Kind regards,\nAftercare');
    expect(html).toContain('Aftercare</td>');
  });

  it('escapes the provider\'s text in HTML', () => {
    const { html } = renderNotice(aNotice('credit.issued'), 'en', { provider: { ...PROVIDER, name: 'A <b>&</b> B' } });
    expect(html).toContain('A &lt;b&gt;&amp;&lt;/b&gt; B');
  });
});
