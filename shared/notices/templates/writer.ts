/**
 * What every customer notice shares: the formatting bound to the contract (currency, zone, locale),
 * the greeting, the contact line, the sign-off and the reference footer.
 */
import type { Kpi, Locale } from '#domain/model.ts';
import { addDays, type Instant, type LocalDate } from '#domain/time.ts';
import type { NoticeBlock, NoticeDocument } from '../document.ts';
import { paragraph, unbreakable } from '../document.ts';
import { formatCount, formatDate, formatInstant, formatMoney, formatPercent, formatSignedMoney, kpiName } from '../format.ts';
import type { ContractContext, NoticePayload } from '../types.ts';

/** Who signs: the provider's name, and its own contact line and signature when the catalog has them. */
export interface NoticeVoice {
  readonly brand: string;
  readonly contactLine?: string;
  readonly signature?: readonly string[];
}

export interface NoticeWriter {
  readonly locale: Locale;
  readonly brand: string;
  readonly voice: NoticeVoice;
  money(minor: number): string;
  signedMoney(minor: number): string;
  date(date: LocalDate): string;
  /** The last day a period covers, given its exclusive end date. */
  lastDay(end: LocalDate): string;
  instant(instant: Instant): string;
  percent(percent: number): string;
  count(count: number): string;
  kpi(kpi: Kpi): string;
}

export function writerFor(locale: Locale, voice: NoticeVoice, currency: string, timeZone: string): NoticeWriter {
  return {
    locale,
    brand: voice.brand,
    voice,
    money: (minor) => unbreakable(formatMoney(minor, currency, locale)),
    signedMoney: (minor) => unbreakable(formatSignedMoney(minor, currency, locale)),
    date: (date) => unbreakable(formatDate(date, locale)),
    lastDay: (end) => unbreakable(formatDate(addDays(end, -1), locale)),
    instant: (instant) => unbreakable(formatInstant(instant, timeZone, locale)),
    percent: (percent) => unbreakable(formatPercent(percent, locale)),
    count: (count) => unbreakable(formatCount(count, locale)),
    kpi: (kpi) => kpiName(kpi, locale),
  };
}

export interface CustomerNoticeParts {
  readonly subject: string;
  readonly heading: string;
  readonly blocks: readonly NoticeBlock[];
}

const COMMON: Readonly<
  Record<
    Locale,
    {
      readonly greeting: (name: string) => string;
      readonly contact: string;
      readonly signOff: string;
      readonly reference: (contract: ContractContext) => string;
    }
  >
> = {
  nb: {
    greeting: (name) => `Hei ${name},`,
    contact:
      'Har du spørsmål, kan du svare på denne e-posten eller kontakte din kundeansvarlige. Vi hjelper deg gjerne.',
    signOff: 'Vennlig hilsen',
    reference: (contract) => `Avtale ${contract.contractId} · ${contract.serviceLevelName} · ${contract.customerName}`,
  },
  en: {
    greeting: (name) => `Dear ${name},`,
    contact: 'If you have any questions, simply reply to this email or contact your account manager. We are happy to help.',
    signOff: 'Kind regards,',
    reference: (contract) => `Contract ${contract.contractId} · ${contract.serviceLevelName} · ${contract.customerName}`,
  },
};

/** The greeting of a customer notice to the person named. */
export function greetingOf(writer: NoticeWriter, name: string): string {
  return COMMON[writer.locale].greeting(name);
}

/** The provider's contact line (catalog `provider`), else the default one of the locale. */
export function contactLineOf(writer: NoticeWriter): string {
  return writer.voice.contactLine ?? COMMON[writer.locale].contact;
}

/** The sign-off and the provider's signature, else its name. */
export function closingOf(writer: NoticeWriter): readonly string[] {
  return [COMMON[writer.locale].signOff, ...(writer.voice.signature ?? [writer.brand])];
}

/** Wraps a customer notice's own content in the greeting, contact line, sign-off and reference footer. */
export function customerDocument(writer: NoticeWriter, contract: ContractContext, parts: CustomerNoticeParts): NoticeDocument {
  return {
    lang: writer.locale,
    subject: parts.subject,
    brand: writer.brand,
    heading: parts.heading,
    greeting: greetingOf(writer, contract.customerName),
    blocks: [...parts.blocks, paragraph(contactLineOf(writer))],
    closing: closingOf(writer),
    footer: COMMON[writer.locale].reference(contract),
  };
}

/** The payload of one notice type. */
export type PayloadOf<T extends NoticePayload['type']> = Extract<NoticePayload, { readonly type: T }>;
