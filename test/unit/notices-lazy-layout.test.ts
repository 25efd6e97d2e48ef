import { describe, expect, it } from 'vitest';
import { LOCALES } from '#domain/model.ts';
import { hasBody, renderNotice } from '#notices/render.ts';
import { CUSTOMER_NOTICE_TYPES, OPERATIONS_NOTICE_TYPES } from '#notices/types.ts';
import { aNotice } from '#test/support/factories/notices.ts';

describe('a rendered notice laid out when read', () => {
  it.each([...CUSTOMER_NOTICE_TYPES, ...OPERATIONS_NOTICE_TYPES].flatMap((type) => LOCALES.map((locale) => [type, locale] as const)))(
    '%s (%s) reads like a plain { subject, html, text }',
    (type, locale) => {
      const notice = renderNotice(aNotice(type), locale);
      expect(hasBody(notice)).toBe(true);
      expect(Object.keys(notice)).toEqual(['subject', 'html', 'text']);
      const plain = JSON.parse(JSON.stringify(notice)) as Record<string, unknown>;
      expect({ ...notice }).toEqual(plain);
      expect(notice.html).toBe(plain.html);
      expect(notice.html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(notice.text.length).toBeGreaterThan(0);
    },
  );

  it('an email not laid out by renderNotice has a body only when its HTML or text holds something', () => {
    expect(hasBody({ subject: 's', html: '', text: '' })).toBe(false);
    expect(hasBody({ subject: 's', html: '', text: 't' })).toBe(true);
  });
});
