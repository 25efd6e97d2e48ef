import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDeliverableAddress } from '#notices/address.ts';
import { escapeHtml, SUBJECT_MAX_LENGTH, subjectLine } from '#notices/escape.ts';

describe('HTML escaping', () => {
  it('turns markup characters into entities', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('never lets a markup character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeHtml(text)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('subject lines', () => {
  it('replaces CR/LF so no header can be injected', () => {
    expect(subjectLine('Credit for\r\nBcc: victim@example.com')).toBe('Credit for Bcc: victim@example.com');
  });

  it('cuts a long subject to 200 characters without splitting a character', () => {
    // Prepare
    const long = '😀'.repeat(150);
    // Act
    const subject = subjectLine(long);
    // Assess
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject.slice(0, -1)).toBe('😀'.repeat(99));
  });

  it('is always one line of at most 200 characters without control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const subject = subjectLine(text);
        expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
        // eslint-disable-next-line no-control-regex
        expect(subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('deliverable addresses', () => {
  it.each([
    'kunde@example.no',
    'ola.nordmann+sla@firma.example.com',
    "o'neill@example.ie",
    'a@b.co',
    'ops@xn--bcher-kva.example',
  ])('accepts %s', (address) => {
    expect(isDeliverableAddress(address)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['no @', 'kunde.example.no'],
    ['two @', 'a@b@example.no'],
    ['no dot in the domain', 'kunde@localhost'],
    ['a space', 'ola nordmann@example.no'],
    ['CR/LF (header injection)', 'kunde@example.no\r\nBcc: x@evil.example'],
    ['a quote', '"kunde"@example.no'],
    ['angle brackets', 'Kunde <kunde@example.no>'],
    ['a comma (two recipients)', 'a@example.no,b@example.no'],
    ['an empty local part', '@example.no'],
    ['a dot at the start of the local part', '.kunde@example.no'],
    ['two dots in a row', 'ola..nordmann@example.no'],
    ['an empty domain label', 'kunde@example..no'],
    ['a label starting with a hyphen', 'kunde@-example.no'],
    ['a numeric top-level domain', 'kunde@10.0.0.1'],
    ['non-ASCII characters', 'blåbær@example.no'],
    ['more than 254 characters', `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.no`],
  ])('refuses %s', (_why, address) => {
    expect(isDeliverableAddress(address)).toBe(false);
  });

  it('accepts an address of exactly 254 characters, the SMTP limit', () => {
    // Prepare
    const address = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.no`;
    // Act / Assess
    expect(address).toHaveLength(254);
    expect(isDeliverableAddress(address)).toBe(true);
  });

  it('never accepts an address with whitespace, a control character or a header delimiter', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(' ', '\r', '\n', '\t', '\u0000', '"', '<', '>', ',', ';', ':'),
        fc.string({ maxLength: 20 }),
        (before, delimiter, after) => {
          expect(isDeliverableAddress(`${before}${delimiter}${after}@example.no`)).toBe(false);
          expect(isDeliverableAddress(`kunde@exa${delimiter}mple.no`)).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
