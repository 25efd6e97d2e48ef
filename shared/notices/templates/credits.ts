/** Customer notices about service credits: a credit issued, credits recalculated, the yearly cap reached. */
import type { NoticeDocument } from '../document.ts';
import { facts, paragraph } from '../document.ts';
import { customerDocument, type NoticeWriter, type PayloadOf } from './writer.ts';

export function creditIssued(notice: PayloadOf<'credit.issued'>, w: NoticeWriter): NoticeDocument {
  const { contract, caseId, yearIndex } = notice;
  const kpi = w.kpi(notice.kpi);
  const credit = w.money(notice.creditMinor);
  const total = w.money(notice.yearTotalMinor);
  const cap = w.money(notice.capMinor);
  const deadline = w.instant(notice.deadline);
  const metAt = notice.metAt === null ? null : w.instant(notice.metAt);
  const capReached = notice.yearTotalMinor >= notice.capMinor;
  const remaining = w.money(Math.max(0, notice.capMinor - notice.yearTotalMinor));
  if (w.locale === 'nb') {
    return customerDocument(w, contract, {
      subject: `Servicekreditt på ${credit} for «${kpi}» – sak ${caseId}, avtale ${contract.contractId}`,
      heading: 'Vi nådde ikke et servicemål – du får en servicekreditt',
      blocks: [
        paragraph(
          `I sak ${caseId} på avtalen ${contract.contractId} (${contract.serviceLevelName}) nådde vi ikke målet for «${kpi}». ` +
            `Fristen var ${deadline}` +
            (metAt === null ? ', og målet var ikke nådd da fristen gikk ut.' : `, men målet ble først nådd ${metAt}.`) +
            ' Det beklager vi.',
        ),
        paragraph(
          `Etter avtalen gir dette deg en servicekreditt på ${credit}. Sammen med tidligere kreditter i avtaleår ${yearIndex} ` +
            `har du nå opptjent ${total} av et årlig tak på ${cap}.`,
        ),
        facts([
          { label: 'Sak', value: caseId },
          { label: 'Servicemål', value: kpi },
          { label: 'Frist', value: deadline },
          { label: 'Nådd', value: metAt ?? 'Ikke nådd innen fristen' },
          { label: 'Servicekreditt', value: credit, emphasis: true },
          { label: `Kreditter i avtaleår ${yearIndex}`, value: total },
          { label: 'Årlig tak', value: cap },
          { label: 'Igjen under taket', value: remaining },
        ]),
        paragraph(
          `Du trenger ikke gjøre noe: kredittene trekkes fra avgiften for avtaleår ${yearIndex + 1}.` +
            (capReached ? ' Kredittene for året har nå nådd taket, og vi skriver til deg separat om hva det betyr for deg.' : ''),
        ),
      ],
    });
  }
  return customerDocument(w, contract, {
    subject: `Service credit of ${credit} for “${kpi}” – case ${caseId}, contract ${contract.contractId}`,
    heading: 'We missed a service target – you receive a service credit',
    blocks: [
      paragraph(
        `On case ${caseId} under your ${contract.serviceLevelName} contract ${contract.contractId}, we did not meet the ` +
          `target for “${kpi}”. The deadline was ${deadline}` +
          (metAt === null ? ', and the target had not been met by then.' : `, but the target was not met until ${metAt}.`) +
          ' We apologise for this.',
      ),
      paragraph(
        `Under your agreement, this earns you a service credit of ${credit}. Together with earlier credits in contract ` +
          `year ${yearIndex}, you have now earned ${total} of a yearly cap of ${cap}.`,
      ),
      facts([
        { label: 'Case', value: caseId },
        { label: 'Service target', value: kpi },
        { label: 'Deadline', value: deadline },
        { label: 'Met', value: metAt ?? 'Not met by the deadline' },
        { label: 'Service credit', value: credit, emphasis: true },
        { label: `Credits in contract year ${yearIndex}`, value: total },
        { label: 'Yearly cap', value: cap },
        { label: 'Remaining under the cap', value: remaining },
      ]),
      paragraph(
        `You do not need to do anything: the credits are deducted from your fee for contract year ${yearIndex + 1}.` +
          (capReached ? ' This year’s credits have now reached the cap; we will write to you separately about what this means for you.' : ''),
      ),
    ],
  });
}

export function creditAdjusted(notice: PayloadOf<'credit.adjusted'>, w: NoticeWriter): NoticeDocument {
  const { contract, yearIndex } = notice;
  const difference = notice.newTotalMinor - notice.previousTotalMinor;
  const previous = w.money(notice.previousTotalMinor);
  const total = w.money(notice.newTotalMinor);
  const change = w.money(Math.abs(difference));
  const rows = notice.changes.map((entry) => [entry.caseId, w.kpi(entry.kpi), w.signedMoney(entry.amountMinor)]);
  if (w.locale === 'nb') {
    return customerDocument(w, contract, {
      subject: `Servicekredittene for avtaleår ${yearIndex} er justert – avtale ${contract.contractId}`,
      heading: 'Servicekredittene dine er beregnet på nytt',
      blocks: [
        paragraph(
          `Vi har fått oppdatert informasjon om saker på avtalen ${contract.contractId} (${contract.serviceLevelName}) ` +
            `og har beregnet servicekredittene for avtaleår ${yearIndex} på nytt.`,
        ),
        { kind: 'table', caption: 'Endringer', columns: ['Sak', 'Servicemål', 'Endring'], numeric: [false, false, true], rows },
        paragraph(
          difference > 0
            ? `Kredittene for året øker med ${change}, fra ${previous} til ${total}.`
            : difference < 0
              ? `Kredittene for året reduseres med ${change}, fra ${previous} til ${total}. Det skjer når senere informasjon viser at et mål likevel ble nådd.`
              : `Summen for året er uendret, ${total}.`,
        ),
        facts([
          { label: 'Tidligere sum', value: previous },
          { label: 'Endring', value: w.signedMoney(difference) },
          { label: `Ny sum for avtaleår ${yearIndex}`, value: total, emphasis: true },
          { label: 'Årlig tak', value: w.money(notice.capMinor) },
        ]),
        paragraph(`Den nye summen trekkes fra avgiften for avtaleår ${yearIndex + 1}. Du trenger ikke gjøre noe.`),
      ],
    });
  }
  return customerDocument(w, contract, {
    subject: `Your service credits for contract year ${yearIndex} have been adjusted – contract ${contract.contractId}`,
    heading: 'Your service credits have been recalculated',
    blocks: [
      paragraph(
        `We have received updated information about cases under your ${contract.serviceLevelName} contract ` +
          `${contract.contractId} and have recalculated the service credits for contract year ${yearIndex}.`,
      ),
      { kind: 'table', caption: 'Changes', columns: ['Case', 'Service target', 'Change'], numeric: [false, false, true], rows },
      paragraph(
        difference > 0
          ? `Your credits for the year increase by ${change}, from ${previous} to ${total}.`
          : difference < 0
            ? `Your credits for the year decrease by ${change}, from ${previous} to ${total}. This happens when later information shows that a target was met after all.`
            : `The total for the year is unchanged at ${total}.`,
      ),
      facts([
        { label: 'Previous total', value: previous },
        { label: 'Change', value: w.signedMoney(difference) },
        { label: `New total for contract year ${yearIndex}`, value: total, emphasis: true },
        { label: 'Yearly cap', value: w.money(notice.capMinor) },
      ]),
      paragraph(`The new total is deducted from your fee for contract year ${yearIndex + 1}. You do not need to do anything.`),
    ],
  });
}

export function creditCapReached(notice: PayloadOf<'credit.cap_reached'>, w: NoticeWriter): NoticeDocument {
  const { contract, yearIndex } = notice;
  const cap = w.money(notice.capMinor);
  const since = w.instant(notice.rightSince);
  const until = w.instant(notice.rightUntil);
  if (w.locale === 'nb') {
    return customerDocument(w, contract, {
      subject: `Servicekredittene har nådd årlig tak – avtale ${contract.contractId}`,
      heading: 'Servicekredittene dine har nådd det årlige taket',
      blocks: [
        paragraph(
          `Servicekredittene for avtaleår ${yearIndex} på avtalen ${contract.contractId} (${contract.serviceLevelName}) ` +
            `har nådd det årlige taket på ${cap}. Vi beklager at tjenesten vår har vært så langt unna det vi har lovet deg.`,
        ),
        paragraph(
          `Etter avtalen gir dette deg rett til å si opp avtalen på grunn av mislighold. Retten gjelder fra ${since} til ${until}. ` +
            `Kredittene på ${cap} trekkes fra avgiften for avtaleår ${yearIndex + 1}; flere brudd på servicemål i år ` +
            'registreres i årsoppgaven, men gir ikke mer kreditt.',
        ),
        facts([
          { label: 'Avtaleår', value: String(yearIndex) },
          { label: 'Årlig tak (nådd)', value: cap, emphasis: true },
          { label: 'Oppsigelsesrett fra', value: since },
          { label: 'Oppsigelsesrett til', value: until, emphasis: true },
        ]),
        paragraph(
          `Ønsker du å bruke oppsigelsesretten, gi oss beskjed før ${until}, for eksempel ved å svare på denne e-posten. ` +
            'Ønsker du å fortsette, trenger du ikke gjøre noe. Skulle senere rettelser i saksinformasjonen bringe årets ' +
            'kreditter under taket igjen, faller retten bort, og da gir vi deg beskjed.',
        ),
      ],
    });
  }
  return customerDocument(w, contract, {
    subject: `Service credits have reached the yearly cap – contract ${contract.contractId}`,
    heading: 'Your service credits have reached the yearly cap',
    blocks: [
      paragraph(
        `The service credits for contract year ${yearIndex} under your ${contract.serviceLevelName} contract ` +
          `${contract.contractId} have reached the yearly cap of ${cap}. We are sorry that our service has fallen this ` +
          'far short of what we promised you.',
      ),
      paragraph(
        `Under your agreement, this gives you the right to terminate the contract for breach. The right applies from ` +
          `${since} until ${until}. The credits of ${cap} are deducted from your fee for contract year ${yearIndex + 1}; ` +
          'further missed targets this year are recorded in your year statement but earn no further credit.',
      ),
      facts([
        { label: 'Contract year', value: String(yearIndex) },
        { label: 'Yearly cap (reached)', value: cap, emphasis: true },
        { label: 'Right to terminate from', value: since },
        { label: 'Right to terminate until', value: until, emphasis: true },
      ]),
      paragraph(
        `If you wish to use your right to terminate, please let us know before ${until}, for example by replying to ` +
          'this email. If you wish to continue, you do not need to do anything. Should later corrections to case ' +
          'information take this year’s credits back below the cap, the right lapses, and we will let you know.',
      ),
    ],
  });
}
