import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '#domain/model.ts';
import { renderNotice } from '#notices/render.ts';
import { CUSTOMER_NOTICE_TYPES, OPERATIONS_NOTICE_TYPES, type NoticeType } from '#notices/types.ts';
import { aContractContext, aNotice, aYear } from '#test/support/factories/notices.ts';

/** The text with its line wrapping undone, for checking sentences. */
function prose(text: string): string {
  return text.replace(/\s+/g, ' ');
}

const ALL_TYPES: readonly NoticeType[] = [...CUSTOMER_NOTICE_TYPES, ...OPERATIONS_NOTICE_TYPES];

/** The figures each notice must state, as the factory payloads give them. */
const KEY_FIGURES: Readonly<Record<NoticeType, Readonly<Record<Locale, readonly string[]>>>> = {
  'credit.issued': {
    nb: ['CASE-1', 'Tekniker på stedet', '23. mars 2026 kl. 14:05 CET', '23. mars 2026 kl. 15:05 CET', '1 234,50 kr', '5 678,00 kr', '24 000,00 kr'],
    en: ['CASE-1', 'Technician on site', '23 March 2026 at 14:05 CET', '23 March 2026 at 15:05 CET', 'NOK 1,234.50', 'NOK 5,678.00', 'NOK 24,000.00'],
  },
  'credit.adjusted': {
    nb: ['CASE-1', '-1 234,50 kr', '5 678,00 kr', '4 443,50 kr', '24 000,00 kr'],
    en: ['CASE-1', '-NOK 1,234.50', 'NOK 5,678.00', 'NOK 4,443.50', 'NOK 24,000.00'],
  },
  'credit.cap_reached': {
    nb: ['24 000,00 kr', '23. mars 2026 kl. 14:05 CET', '21. juni 2026 kl. 14:05 CEST'],
    en: ['NOK 24,000.00', '23 March 2026 at 14:05 CET', '21 June 2026 at 14:05 CEST'],
  },
  'renewal.reminder': {
    nb: ['1. januar 2027', '123 000,00 kr', '5 678,00 kr', '117 322,00 kr', '3. oktober 2026'],
    en: ['1 January 2027', 'NOK 123,000.00', 'NOK 5,678.00', 'NOK 117,322.00', '3 October 2026'],
  },
  'term.expiry_reminder': {
    nb: ['31. desember 2026', '5 678,00 kr'],
    en: ['31 December 2026', 'NOK 5,678.00'],
  },
  'termination.confirmed': {
    nb: ['23. mars 2026 kl. 14:05 CET', '5 678,00 kr', '1 234,50 kr', 'mislighold', '24. mars 2026'],
    en: ['23 March 2026 at 14:05 CET', 'NOK 5,678.00', 'NOK 1,234.50', 'breach', '24 March 2026'],
  },
  'year.statement': {
    nb: ['120 000,00 kr', '97,5 %', '88,9 %', '5 678,00 kr', '24 000,00 kr', '117 322,00 kr', 'Første respons'],
    en: ['NOK 120,000.00', '97.5%', '88.9%', 'NOK 5,678.00', 'NOK 24,000.00', 'NOK 117,322.00', 'First response'],
  },
  'contract.ended': {
    nb: ['1. januar 2027', '120 000,00 kr', '5 678,00 kr'],
    en: ['1 January 2027', 'NOK 120,000.00', 'NOK 5,678.00'],
  },
  'ops.breach_warning': {
    nb: ['CASE-1', 'C-1', 'First response', '80%', '23 March 2026 at 13:05 UTC'],
    en: ['CASE-1', 'C-1', 'First response', '80%', '23 March 2026 at 13:05 UTC'],
  },
  'ops.event_rejected': { nb: ['E-9', 'case.opened', 'contract has ended', 'C-1'], en: ['E-9', 'case.opened', 'contract has ended', 'C-1'] },
  'ops.parked_events': { nb: ['3', 'C-1', 'C-2', '23 March 2026 at 13:05 UTC'], en: ['3', 'C-1', 'C-2', '23 March 2026 at 13:05 UTC'] },
  'ops.notice_unknown': { nb: ['credit.issued#C-1#CASE-1#onSite', 'lease expired'], en: ['credit.issued#C-1#CASE-1#onSite', 'lease expired'] },
  'ops.notice_failed': { nb: ['credit.issued#C-1#CASE-1#onSite', 'lease expired'], en: ['credit.issued#C-1#CASE-1#onSite', 'lease expired'] },
  'ops.item_quarantined': { nb: ['CASE-1', 'C-1', 'RangeError: corrupt case event', '5 times'], en: ['CASE-1', 'C-1', 'RangeError: corrupt case event', '5 times'] },
  'ops.notice_bounced': {
    nb: ['credit.issued#C-1#CASE-1#onSite', 'permanent bounce (General)', 'contract.amended'],
    en: ['credit.issued#C-1#CASE-1#onSite', 'permanent bounce (General)', 'contract.amended'],
  },
  'ops.notice_complained': {
    nb: ['credit.issued#C-1#CASE-1#onSite', 'permanent bounce (General)', 'contract.amended'],
    en: ['credit.issued#C-1#CASE-1#onSite', 'permanent bounce (General)', 'contract.amended'],
  },
  'loan.return_reminder': {
    nb: ['Loan printer LX-500', 'LX-0007', '6. april 2026', 'Oslo depot, Økern', 'CASE-1'],
    en: ['Loan printer LX-500', 'LX-0007', '6 April 2026', 'Oslo depot, Økern', 'CASE-1'],
  },
  'ops.pool_exhausted': { nb: ['POOL-OSLO-1', 'CASE-1', 'C-1', 'all 2 units are out'], en: ['POOL-OSLO-1', 'CASE-1', 'C-1', 'all 2 units are out'] },
  'ops.loan_overdue': { nb: ['LX-0007', 'Fjord Demo AS', 'demonstration loan'], en: ['LX-0007', 'Fjord Demo AS', 'demonstration loan'] },
  'ops.pool_risk': { nb: ['POOL-OSLO-1', '4.3%', '99%', 'C-9', 'Add 1 unit'], en: ['POOL-OSLO-1', '4.3%', '99%', 'C-9', 'Add 1 unit'] },
};

describe('the subject of a credit', () => {
  it.each([
    ['nb', 'Servicekreditt på 1 234,50 kr for «Tekniker på stedet» – sak CASE-1, avtale C-1'],
    ['en', 'Service credit of NOK 1,234.50 for “Technician on site” – case CASE-1, contract C-1'],
  ] as const)('names the target that was missed (%s), so two credits of one case read apart', (locale, expected) => {
    // Act
    const { subject } = renderNotice(aNotice('credit.issued'), locale);
    // Assess
    expect(subject).toBe(expected);
  });
});

describe.each(ALL_TYPES)('%s', (type) => {
  it.each(LOCALES)('renders in %s with subject, HTML and text stating the key figures', (locale) => {
    // Act
    const notice = renderNotice(aNotice(type), locale);
    // Assess
    expect(notice.subject.length).toBeGreaterThan(10);
    for (const figure of KEY_FIGURES[type][locale]) {
      expect(notice.html).toContain(figure);
      expect(notice.text).toContain(figure);
    }
  });

  it.each(LOCALES)('in %s, never breaks a figure across lines of the text and leaves no no-break space behind', (locale) => {
    // Act
    const notice = renderNotice(aNotice(type), locale);
    // Assess
    for (const figure of KEY_FIGURES[type][locale]) {
      expect(notice.text.split(figure).length).toBe(prose(notice.text).split(figure).length);
    }
    expect(`${notice.subject}${notice.html}${notice.text}`).not.toContain('\u00a0');
  });

  it.each(LOCALES)('in %s, loads no external resource and no script', (locale) => {
    // Act
    const { html } = renderNotice(aNotice(type), locale);
    // Assess
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|img|link|iframe|style)\b|\bsrc=|url\(|https?:/i);
  });
});

describe('customer notices', () => {
  it.each(CUSTOMER_NOTICE_TYPES)('escape a customer name with markup in the HTML of %s', (type) => {
    // Prepare
    const contract = aContractContext({ customerName: '<script>alert("x")</script> & Co', serviceLevelName: '<b>Gold</b>' });
    // Act
    const { html, text } = renderNotice(aNotice(type, contract), 'nb');
    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(text).toContain('<script>alert("x")</script> & Co');
  });

  it.each(CUSTOMER_NOTICE_TYPES)('never put CR/LF from payload strings into the subject of %s', (type) => {
    // Prepare
    const contract = aContractContext({ contractId: 'C-1\r\nBcc: victim@example.com', customerName: 'Evil\r\nX-Header: 1' });
    // Act
    const { subject } = renderNotice(aNotice(type, contract), 'en');
    // Assess
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(200);
  });

  it.each(CUSTOMER_NOTICE_TYPES)('keep the subject of %s within 200 characters however long the ids', (type) => {
    // Prepare
    const contract = aContractContext({ contractId: 'C-'.padEnd(400, '9') });
    // Act
    const { subject } = renderNotice(aNotice(type, contract), 'nb');
    // Assess
    expect(subject.length).toBeLessThanOrEqual(200);
  });

  it.each(CUSTOMER_NOTICE_TYPES)('greet the customer, name whom to contact and sign with the brand in %s', (type) => {
    // Act
    const nb = renderNotice(aNotice(type), 'nb', { brand: 'Fjordservice' });
    const en = renderNotice(aNotice(type), 'en');
    // Assess
    expect(nb.text).toContain('Hei Fjellvik Bygg AS,');
    expect(prose(nb.text)).toContain('svare på denne e-posten eller kontakte din kundeansvarlige');
    expect(nb.text).toContain('Vennlig hilsen\nFjordservice');
    expect(nb.html).toContain('Fjordservice');
    expect(en.text).toContain('Dear Fjellvik Bygg AS,');
    expect(prose(en.text)).toContain('reply to this email or contact your account manager');
    expect(en.text).toContain('Kind regards,\nAftercare');
  });

  it('write the amounts in the contract’s own currency', () => {
    // Prepare
    const payload = aNotice('credit.issued', aContractContext({ currency: 'EUR' }));
    // Act
    const { text } = renderNotice(payload, 'en');
    // Assess
    expect(text).toContain('EUR 1,234.50');
    expect(text).not.toContain('NOK');
  });

  it('show deadlines on the contract’s wall clock', () => {
    // Prepare
    const payload = aNotice('credit.issued', aContractContext({ timeZone: 'America/New_York' }));
    // Act
    const { text } = renderNotice(payload, 'en');
    // Assess
    expect(text).toContain('23 March 2026 at 09:05 GMT-4');
  });
});

describe('credit.issued', () => {
  it('says the target was not met by the deadline when the clock was still running', () => {
    // Prepare
    const payload = { ...aNotice('credit.issued'), metAt: null } as const;
    // Act
    const nb = renderNotice(payload, 'nb');
    const en = renderNotice(payload, 'en');
    // Assess
    expect(nb.text).toContain('Ikke nådd innen fristen');
    expect(en.text).toContain('Not met by the deadline');
  });

  it('mentions the cap once the year total reaches it', () => {
    // Prepare
    const base = aNotice('credit.issued');
    if (base.type !== 'credit.issued') throw new Error('factory returned another type');
    // Act
    const under = renderNotice(base, 'en');
    const atCap = renderNotice({ ...base, yearTotalMinor: base.capMinor }, 'en');
    // Assess
    expect(under.text).not.toContain('reached the cap');
    expect(atCap.text).toContain('reached the cap');
  });
});

describe('term and statement notices', () => {
  it('name the last day of service, the day before the exclusive term end', () => {
    // Act
    const { text } = renderNotice(aNotice('term.expiry_reminder'), 'nb');
    // Assess
    expect(prose(text)).toContain('Siste dag er 31. desember 2026.');
  });

  it('says why the contract ends', () => {
    // Prepare
    const base = aNotice('term.expiry_reminder');
    if (base.type !== 'term.expiry_reminder') throw new Error('factory returned another type');
    // Act
    const byNotice = renderNotice({ ...base, because: 'notice' }, 'en');
    const forBreach = renderNotice({ ...base, because: 'credit_cap_breach' }, 'en');
    // Assess
    expect(byNotice.text).toContain('Terminated by notice');
    expect(forBreach.text).toContain('Terminated for breach');
  });

  it('marks a KPI without decided cases instead of showing 0 %', () => {
    // Act
    const { text } = renderNotice({ type: 'year.statement', contract: aContractContext(), year: aYear() }, 'nb');
    // Assess
    expect(text).toMatch(/Erstatningsutstyr\s+ingen saker\s+0/);
  });

  it('lists every contract year in the final statement', () => {
    // Prepare
    const years = [aYear(), aYear({ index: 2, start: '2027-01-01', end: '2028-01-01', feeMinor: 12_300_000 })];
    // Act
    const { text } = renderNotice({ type: 'contract.ended', contract: aContractContext(), endedOn: '2028-01-01', years, creditsOwedMinor: 0 }, 'en');
    // Assess
    expect(text).toContain('1 January 2026 – 31 December 2026');
    expect(text).toContain('1 January 2027 – 31 December 2027');
    expect(text).toContain('NOK 123,000.00');
  });
});

describe('operations notices', () => {
  it.each(OPERATIONS_NOTICE_TYPES)('%s reads the same in both locales', (type) => {
    // Act
    const nb = renderNotice(aNotice(type), 'nb');
    const en = renderNotice(aNotice(type), 'en');
    // Assess
    expect(nb).toEqual(en);
  });

  it('shows instants in the operations time zone when one is given', () => {
    // Act
    const { text } = renderNotice(aNotice('ops.breach_warning'), 'en', { operationsTimeZone: 'Europe/Oslo' });
    // Assess
    expect(text).toContain('23 March 2026 at 14:05 CET');
  });

  it('escapes a rejection reason that carries markup', () => {
    // Prepare
    const payload = { type: 'ops.event_rejected', contractId: 'C-1', eventId: 'E-1', eventType: 'case.opened', reason: '<img src=x onerror=alert(1)>' } as const;
    // Act
    const { html, subject } = renderNotice(payload, 'en');
    // Assess
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(subject).toMatch(/^\[Aftercare\] Event rejected/);
  });
});
