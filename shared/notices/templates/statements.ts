/** Customer notices that account for whole years: the year statement and the final statement. */
import { KPIS } from '#domain/model.ts';
import type { NoticeBlock, NoticeDocument } from '../document.ts';
import { facts, paragraph } from '../document.ts';
import type { YearFigures } from '../types.ts';
import { customerDocument, type NoticeWriter, type PayloadOf } from './writer.ts';

function totalBreaches(year: YearFigures): number {
  return KPIS.reduce((sum, kpi) => sum + year.breaches[kpi], 0);
}

function performanceTable(year: YearFigures, w: NoticeWriter): NoticeBlock {
  const nb = w.locale === 'nb';
  return {
    kind: 'table',
    caption: nb ? `Resultat per servicemål, avtaleår ${year.index}` : `Performance per service target, contract year ${year.index}`,
    columns: nb ? ['Servicemål', 'Nådd i tide', 'Brudd'] : ['Service target', 'Met on time', 'Missed'],
    numeric: [false, true, true],
    rows: KPIS.map((kpi) => {
      const met = year.kpisMetPercent[kpi];
      return [w.kpi(kpi), met === null ? (nb ? 'ingen saker' : 'no cases') : w.percent(met), w.count(year.breaches[kpi])];
    }),
  };
}

export function yearStatement(notice: PayloadOf<'year.statement'>, w: NoticeWriter): NoticeDocument {
  const { contract, year } = notice;
  const k = year.index;
  const credits = w.money(year.creditsMinor);
  const cap = w.money(year.capMinor);
  const due = w.money(year.amountDueNextYearMinor);
  // The next year's fee as the year statement's sum starts from it; older notices did not carry it.
  const nextFeeMinor = year.nextYearFeeMinor ?? year.feeMinor;
  const nextFee = w.money(nextFeeMinor);
  const deducted = w.money(Math.min(year.creditsMinor, nextFeeMinor));
  const breaches = totalBreaches(year);
  const capReached = year.capMinor > 0 && year.creditsMinor >= year.capMinor;
  const period = `${w.date(year.start)} – ${w.lastDay(year.end)}`;
  if (w.locale === 'nb') {
    const money =
      year.creditsMinor > 0
        ? `Brudd på servicemålene ga deg servicekreditter på ${credits} (årlig tak ${cap}). De trekkes fra årsavgiften for avtaleår ${k + 1} på ${nextFee}, så beløpet å betale for det året er ${nextFee} − ${deducted} = ${due}.` +
          (capReached ? ' Kredittene nådde det årlige taket; brudd ut over taket er talt med over, men gir ikke mer kreditt.' : '')
        : breaches === 0
          ? `Vi nådde alle servicemålene i år, så det er ikke opptjent servicekreditter. Beløpet å betale for avtaleår ${k + 1} er ${due}.`
          : `Det er ikke opptjent servicekreditter i år. Beløpet å betale for avtaleår ${k + 1} er ${due}.`;
    const nextYear = [
      { label: `Årsavgift, avtaleår ${k + 1}`, value: nextFee },
      { label: 'Fratrukket servicekreditter', value: `− ${deducted}` },
    ];
    return customerDocument(w, contract, {
      subject: `Årsoppgave for avtale ${contract.contractId}, avtaleår ${k}`,
      heading: `Årsoppgaven din for avtaleår ${k}`,
      blocks: [
        paragraph(
          `Avtaleår ${k} for avtalen ${contract.contractId} (${contract.serviceLevelName}) gikk fra ${w.date(year.start)} ` +
            `til og med ${w.lastDay(year.end)}. Her ser du hvordan vi har levert mot servicemålene i avtalen din.`,
        ),
        performanceTable(year, w),
        paragraph(money),
        facts([
          { label: `Årsavgift, avtaleår ${k}`, value: w.money(year.feeMinor) },
          { label: 'Periode', value: period },
          { label: 'Brudd på servicemål', value: w.count(breaches) },
          { label: 'Opptjente servicekreditter', value: credits },
          { label: 'Årlig tak', value: cap },
          ...nextYear,
          { label: `Å betale for avtaleår ${k + 1}`, value: due, emphasis: true },
        ]),
        paragraph('Takk for enda et år sammen med oss. Du trenger ikke gjøre noe; beløpet faktureres som vanlig.'),
      ],
    });
  }
  const money =
    year.creditsMinor > 0
      ? `Missed targets earned you service credits of ${credits} (yearly cap ${cap}). They are deducted from the annual fee for contract year ${k + 1} of ${nextFee}, so the amount due for that year is ${nextFee} − ${deducted} = ${due}.` +
        (capReached ? ' The credits reached the yearly cap; missed targets beyond it are counted above but earn no further credit.' : '')
      : breaches === 0
        ? `We met every service target this year, so no service credits were earned. The amount due for contract year ${k + 1} is ${due}.`
        : `No service credits were earned this year. The amount due for contract year ${k + 1} is ${due}.`;
  const nextYear = [
    { label: `Annual fee, contract year ${k + 1}`, value: nextFee },
    { label: 'Service credits deducted', value: `− ${deducted}` },
  ];
  return customerDocument(w, contract, {
    subject: `Your year statement for contract ${contract.contractId}, contract year ${k}`,
    heading: `Your year statement for contract year ${k}`,
    blocks: [
      paragraph(
        `Contract year ${k} of your ${contract.serviceLevelName} contract ${contract.contractId} ran from ` +
          `${w.date(year.start)} to ${w.lastDay(year.end)}. Here is how we performed against the service targets in your agreement.`,
      ),
      performanceTable(year, w),
      paragraph(money),
      facts([
        { label: `Annual fee, contract year ${k}`, value: w.money(year.feeMinor) },
        { label: 'Period', value: period },
        { label: 'Missed targets', value: w.count(breaches) },
        { label: 'Service credits earned', value: credits },
        { label: 'Yearly cap', value: cap },
        ...nextYear,
        { label: `Amount due for contract year ${k + 1}`, value: due, emphasis: true },
      ]),
      paragraph('Thank you for another year with us. You do not need to do anything; the amount due is invoiced as usual.'),
    ],
  });
}

export function contractEnded(notice: PayloadOf<'contract.ended'>, w: NoticeWriter): NoticeDocument {
  const { contract } = notice;
  const nb = w.locale === 'nb';
  const endedOn = w.date(notice.endedOn);
  const owed = w.money(notice.creditsOwedMinor);
  const years: NoticeBlock = {
    kind: 'table',
    caption: nb ? 'Dine avtaleår' : 'Your contract years',
    columns: nb
      ? ['År', 'Periode', 'Årsavgift', 'Brudd', 'Servicekreditter']
      : ['Year', 'Period', 'Annual fee', 'Missed', 'Service credits'],
    numeric: [false, false, true, true, true],
    rows: notice.years.map((year) => [
      String(year.index),
      `${w.date(year.start)} – ${w.lastDay(year.end)}`,
      w.money(year.feeMinor),
      w.count(totalBreaches(year)),
      w.money(year.creditsMinor),
    ]),
  };
  if (nb) {
    return customerDocument(w, contract, {
      subject: `Sluttoppgjør for avtale ${contract.contractId}`,
      heading: 'Avtalen din er avsluttet – sluttoppgjør',
      blocks: [
        paragraph(`Avtalen ${contract.contractId} (${contract.serviceLevelName}) er avsluttet med virkning fra ${endedOn}. Her er oppgjøret for avtaleårene.`),
        years,
        paragraph(
          notice.creditsOwedMinor > 0
            ? `Servicekreditter på ${owed} er ikke trukket fra noen avgift. Dette beløpet har du til gode, og vi gjør det opp med deg; din kundeansvarlige tar kontakt om oppgjøret.`
            : 'Du har ingen utestående servicekreditter hos oss.',
        ),
        facts([
          { label: 'Avsluttet med virkning fra', value: endedOn },
          { label: 'Servicekreditter til gode', value: owed, emphasis: true },
        ]),
        paragraph('Takk for at du valgte oss. Trenger du oss igjen, hører vi gjerne fra deg.'),
      ],
    });
  }
  return customerDocument(w, contract, {
    subject: `Final statement for contract ${contract.contractId}`,
    heading: 'Your contract has ended – final statement',
    blocks: [
      paragraph(`Your ${contract.serviceLevelName} contract ${contract.contractId} ended with effect from ${endedOn}. Here is the account of your contract years.`),
      years,
      paragraph(
        notice.creditsOwedMinor > 0
          ? `Service credits of ${owed} have not been deducted from any fee. This amount is owed to you, and we will settle it with you; your account manager will contact you about the settlement.`
          : 'You have no outstanding service credits with us.',
      ),
      facts([
        { label: 'Ended with effect from', value: endedOn },
        { label: 'Service credits owed to you', value: owed, emphasis: true },
      ]),
      paragraph('Thank you for choosing us. Should you need our services again, we would be glad to hear from you.'),
    ],
  });
}
