/**
 * The pool notices (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): the reminder to a borrower that a loan unit is due back (nb, en),
 * and the operations alerts of an empty pool, an overdue loan and a shared pool below its target.
 */
import type { Locale } from '#domain/model.ts';
import type { NoticeDocument } from '../document.ts';
import { facts, paragraph, unbreakable } from '../document.ts';
import { localDateAt } from '#domain/time.ts';
import { formatCount, formatDate, formatInstant, formatPercent } from '../format.ts';
import type { OperationsNoticeType } from '../types.ts';
import { closingOf, contactLineOf, greetingOf, type NoticeWriter, type PayloadOf } from './writer.ts';


export function loanReturnReminder(notice: PayloadOf<'loan.return_reminder'>, w: NoticeWriter): NoticeDocument {
  const { pool } = notice;
  // A loan is due by the end of a day: the customer reads the last day, not a midnight.
  const due = w.date(localDateAt(notice.dueAt - 1, notice.timeZone));
  const lent = w.date(localDateAt(notice.startedAt, notice.timeZone));
  const forCase = notice.caseId === null ? null : notice.caseId;
  if (w.locale === 'nb') {
    return {
      lang: 'nb',
      subject: `Påminnelse: ${pool.holds} (enhet ${notice.unitId}) skal leveres tilbake innen ${due}`,
      brand: w.brand,
      heading: 'Lånt enhet skal snart leveres tilbake',
      greeting: greetingOf(w, notice.borrowerName),
      blocks: [
        paragraph(
          forCase === null
            ? `Du lånte ${pool.holds} (enhet ${notice.unitId}) ${lent}. Den skal leveres tilbake innen ${due}.`
            : `Du fikk ${pool.holds} (enhet ${notice.unitId}) til låns ${lent} mens saken ${forCase} ble løst. Den skal leveres tilbake innen ${due}.`,
        ),
        facts([
          { label: 'Enhet', value: `${pool.holds} (${notice.unitId})` },
          { label: 'Utlånt', value: lent },
          { label: 'Leveres tilbake innen', value: due, emphasis: true },
          { label: 'Leveres til', value: pool.location },
          ...(notice.contractId === null ? [] : [{ label: 'Avtale', value: notice.contractId }]),
        ]),
        paragraph('Enheten trengs av andre kunder når den er tilbake. Lever den til adressen over før fristen.'),
        paragraph(contactLineOf(w)),
      ],
      closing: closingOf(w),
      footer: `Utlån av enhet ${notice.unitId} fra ${pool.holds}, ${pool.location}`,
    };
  }
  return {
    lang: 'en',
    subject: `Reminder: ${pool.holds} (unit ${notice.unitId}) is due back by ${due}`,
    brand: w.brand,
    heading: 'A loan unit is due back soon',
    greeting: greetingOf(w, notice.borrowerName),
    blocks: [
      paragraph(
        forCase === null
          ? `You borrowed ${pool.holds} (unit ${notice.unitId}) on ${lent}. Please return it by ${due}.`
          : `You were lent ${pool.holds} (unit ${notice.unitId}) on ${lent} while case ${forCase} was being resolved. Please return it by ${due}.`,
      ),
      facts([
        { label: 'Unit', value: `${pool.holds} (${notice.unitId})` },
        { label: 'Lent on', value: lent },
        { label: 'Due back by', value: due, emphasis: true },
        { label: 'Return it to', value: pool.location },
        ...(notice.contractId === null ? [] : [{ label: 'Contract', value: notice.contractId }]),
      ]),
      paragraph('Other customers need the unit once it is back. Please return it to the address above before the due date.'),
      paragraph(contactLineOf(w)),
    ],
    closing: closingOf(w),
    footer: `Loan of unit ${notice.unitId} from ${pool.holds}, ${pool.location}`,
  };
}

function operationsDocument(brand: string, type: OperationsNoticeType, subject: string, heading: string, blocks: NoticeDocument['blocks']): NoticeDocument {
  return {
    lang: 'en',
    subject: `[${brand}] ${subject}`,
    brand: `${brand} operations`,
    heading,
    blocks,
    closing: [`${brand} (automated operations notice)`],
    footer: `Notice type ${type}. Sent to the operator address configured for this deployment.`,
  };
}

const locale: Locale = 'en';

export function poolExhausted(notice: PayloadOf<'ops.pool_exhausted'>, brand: string, timeZone: string): NoticeDocument {
  const { pool } = notice;
  const requested = unbreakable(formatInstant(notice.requestedAt, timeZone, locale));
  return operationsDocument(
    brand,
    notice.type,
    `Pool ${pool.poolId} is empty: case ${notice.caseId} (contract ${notice.contractId}) gets no replacement`,
    'A replacement was requested from an empty pool',
    [
      paragraph(
        `Case ${notice.caseId} on contract ${notice.contractId} asked for a replacement from pool ${pool.poolId} (${pool.holds}, ${pool.location}) ` +
          `at ${requested}, but all ${formatCount(notice.units, locale)} units are out. The draw was refused; the replacement clock runs, ` +
          'so the replacement target will be breached unless a unit is found in time.',
      ),
      facts([
        { label: 'Pool', value: `${pool.poolId} (${pool.kind})` },
        { label: 'Holds', value: pool.holds },
        { label: 'Units', value: formatCount(notice.units, locale) },
        { label: 'Out', value: formatCount(notice.out, locale), emphasis: true },
        { label: 'Contract', value: notice.contractId },
        { label: 'Case', value: notice.caseId },
      ]),
      paragraph(
        'Chase the loans that are overdue (aftercare pools lists them), or deliver from elsewhere and report it with case.replacement_delivered.',
      ),
    ],
  );
}

export function loanOverdue(notice: PayloadOf<'ops.loan_overdue'>, brand: string): NoticeDocument {
  const { pool } = notice;
  const due = unbreakable(formatDate(localDateAt(notice.dueAt - 1, notice.timeZone), locale));
  const lent = unbreakable(formatInstant(notice.startedAt, notice.timeZone, locale));
  return operationsDocument(brand, notice.type, `Loan overdue: unit ${notice.unitId} of pool ${pool.poolId} (${notice.borrowerName})`, 'A loan unit is overdue', [
    paragraph(
      `Unit ${notice.unitId} (${pool.holds}) was lent to ${notice.borrowerName} on ${lent} and was due back by ${due}. ` +
        'It is still out, so the pool has one unit less for the next request.',
    ),
    facts([
      { label: 'Pool', value: `${pool.poolId} (${pool.location})` },
      { label: 'Unit', value: notice.unitId },
      { label: 'Borrower', value: notice.borrowerName },
      ...(notice.contractId === null ? [] : [{ label: 'Contract', value: notice.contractId }]),
      ...(notice.caseId === null ? [{ label: 'Kind', value: 'demonstration loan' }] : [{ label: 'Case', value: notice.caseId }]),
      { label: 'Due', value: due, emphasis: true },
    ]),
    paragraph('Ask the borrower to return it; report the return with loan.returned (or pool.units_changed with consumed when it was used up).'),
  ]);
}

export function poolRisk(notice: PayloadOf<'ops.pool_risk'>, brand: string): NoticeDocument {
  const { pool } = notice;
  const pEmpty = unbreakable(formatPercent(Math.round(notice.pEmpty * 1000) / 10, locale));
  const target = unbreakable(formatPercent(Math.round(notice.targetAvailability * 1000) / 10, locale));
  const draws = (Math.round(notice.drawsPerYear * 10) / 10).toFixed(1);
  const turnaround = (Math.round(notice.meanTurnaroundDays * 10) / 10).toFixed(1);
  const short = Math.max(0, notice.unitsNeeded - notice.units);
  return operationsDocument(
    brand,
    notice.type,
    `Pool ${pool.poolId} is below its availability target: ${pEmpty} chance a request finds it empty`,
    'A shared pool no longer meets its availability target',
    [
      paragraph(
        `After the latest change (${notice.cause}), a request to pool ${pool.poolId} (${pool.holds}, ${pool.location}) finds it empty ` +
          `with a chance of ${pEmpty}; the target is a unit available ${target} of the time.`,
      ),
      facts([
        { label: 'Units', value: formatCount(notice.units, locale) },
        { label: 'Out now', value: formatCount(notice.out, locale) },
        { label: 'Entitled contracts', value: formatCount(notice.contracts, locale) },
        { label: 'Draws per year', value: draws },
        { label: 'Mean days out', value: turnaround },
        { label: 'Chance a request finds it empty', value: pEmpty, emphasis: true },
        { label: 'Units needed for the target', value: formatCount(notice.unitsNeeded, locale) },
      ]),
      paragraph(
        short > 0
          ? `Add ${formatCount(short, locale)} unit${short === 1 ? '' : 's'} (pool.units_changed with added), or bring the turnaround down.`
          : 'Bring the turnaround down, or add units (pool.units_changed with added).',
      ),
    ],
  );
}
