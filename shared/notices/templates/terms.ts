/** Customer notices about the contract cycle: the renewal reminder, the reminder that a contract ends, a termination confirmed. */
import type { NoticeDocument } from '../document.ts';
import { facts, paragraph } from '../document.ts';
import { customerDocument, type NoticeWriter, type PayloadOf } from './writer.ts';

export function renewalReminder(notice: PayloadOf<'renewal.reminder'>, w: NoticeWriter): NoticeDocument {
  const { contract } = notice;
  const renewsOn = w.date(notice.termEnd);
  const fee = w.money(notice.nextFeeMinor);
  const credits = w.money(notice.creditsDeductedMinor);
  const due = w.money(notice.amountDueMinor);
  const noticeDeadline = w.date(notice.noticeDeadline);
  const hasCredits = notice.creditsDeductedMinor > 0;
  if (w.locale === 'nb') {
    return customerDocument(w, contract, {
      subject: `Avtalen ${contract.contractId} fornyes ${renewsOn}`,
      heading: 'Avtalen din fornyes snart',
      blocks: [
        paragraph(`Avtalen ${contract.contractId} (${contract.serviceLevelName}) fornyes automatisk for ett år til ${renewsOn}.`),
        paragraph(
          hasCredits
            ? `Avgiften for det kommende året er ${fee}. Servicekredittene på ${credits} som du har opptjent, trekkes fra, så beløpet å betale er ${due}.`
            : `Avgiften for det kommende året er ${fee}, og beløpet å betale er ${due}.`,
        ),
        facts([
          { label: 'Ny periode starter', value: renewsOn },
          { label: 'Avgift for det kommende året', value: fee },
          { label: 'Servicekreditter trukket fra', value: credits },
          { label: 'Å betale', value: due, emphasis: true },
          { label: 'Oppsigelsesfrist', value: noticeDeadline },
        ]),
        paragraph(
          `Du trenger ikke gjøre noe for å fortsette. Ønsker du ikke å fornye, må oppsigelsen være oss i hende senest ${noticeDeadline}.`,
        ),
      ],
    });
  }
  return customerDocument(w, contract, {
    subject: `Your contract ${contract.contractId} renews on ${renewsOn}`,
    heading: 'Your contract renews soon',
    blocks: [
      paragraph(`Your ${contract.serviceLevelName} contract ${contract.contractId} renews automatically for another year on ${renewsOn}.`),
      paragraph(
        hasCredits
          ? `The fee for the coming year is ${fee}. The service credits of ${credits} you have earned are deducted, so the amount due is ${due}.`
          : `The fee for the coming year is ${fee}, and the amount due is ${due}.`,
      ),
      facts([
        { label: 'New term starts', value: renewsOn },
        { label: 'Fee for the coming year', value: fee },
        { label: 'Service credits deducted', value: credits },
        { label: 'Amount due', value: due, emphasis: true },
        { label: 'Notice deadline', value: noticeDeadline },
      ]),
      paragraph(
        `You do not need to do anything to continue. If you do not wish to renew, your notice must reach us no later than ${noticeDeadline}.`,
      ),
    ],
  });
}

const BECAUSE = {
  nb: { no_auto_renew: 'Fornyes ikke automatisk', notice: 'Oppsagt', credit_cap_breach: 'Oppsagt på grunn av mislighold' },
  en: { no_auto_renew: 'No automatic renewal', notice: 'Terminated by notice', credit_cap_breach: 'Terminated for breach' },
} as const;

export function termExpiryReminder(notice: PayloadOf<'term.expiry_reminder'>, w: NoticeWriter): NoticeDocument {
  const { contract } = notice;
  // The term end is exclusive (midnight at its start); customers read "ends on" as the last day of service.
  const lastDay = w.lastDay(notice.termEnd);
  const owed = w.money(notice.creditsOwedMinor);
  const hasCreditsOwed = notice.creditsOwedMinor > 0;
  const level = contract.serviceLevelName;
  const id = contract.contractId;
  if (w.locale === 'nb') {
    const why = {
      no_auto_renew: `Avtalen ${id} (${level}) fornyes ikke automatisk.`,
      notice: `Som følge av oppsigelsen din avsluttes avtalen ${id} (${level}).`,
      credit_cap_breach: `Som følge av at du har sagt opp avtalen ${id} (${level}) på grunn av mislighold, avsluttes den.`,
    }[notice.because];
    return customerDocument(w, contract, {
      subject: `Avtalen ${id} avsluttes ${lastDay}`,
      heading: 'Avtalen din nærmer seg slutten',
      blocks: [
        paragraph(`${why} Siste dag er ${lastDay}.`),
        paragraph(
          hasCreditsOwed
            ? `Servicekreditter på ${owed} er ennå ikke trukket fra en avgift. Dette beløpet har du til gode, og vi gjør det opp med deg når avtalen er avsluttet; sluttoppgjøret viser beløpet.`
            : 'Du har ingen utestående servicekreditter hos oss.',
        ),
        facts([
          { label: 'Avtalens siste dag', value: lastDay, emphasis: true },
          { label: 'Årsak', value: BECAUSE.nb[notice.because] },
          { label: 'Servicekreditter til gode', value: owed },
        ]),
        paragraph('Tjenesten vår fortsetter som vanlig frem til da. Ønsker du likevel å fortsette hos oss, ta gjerne kontakt før denne datoen.'),
      ],
    });
  }
  const why = {
    no_auto_renew: `Your ${level} contract ${id} is not set to renew automatically.`,
    notice: `As you have given notice, your ${level} contract ${id} comes to an end.`,
    credit_cap_breach: `As you have terminated your ${level} contract ${id} for breach, it comes to an end.`,
  }[notice.because];
  return customerDocument(w, contract, {
    subject: `Your contract ${id} ends on ${lastDay}`,
    heading: 'Your contract is coming to an end',
    blocks: [
      paragraph(`${why} Its last day is ${lastDay}.`),
      paragraph(
        hasCreditsOwed
          ? `Service credits of ${owed} have not yet been deducted from a fee. This amount is owed to you, and we will settle it with you once the contract has ended; the final statement will show it.`
          : 'You have no outstanding service credits with us.',
      ),
      facts([
        { label: 'Last day of the contract', value: lastDay, emphasis: true },
        { label: 'Reason', value: BECAUSE.en[notice.because] },
        { label: 'Service credits owed to you', value: owed },
      ]),
      paragraph('Our service continues as normal until then. Should you wish to continue with us after all, please get in touch before that date.'),
    ],
  });
}

const REASON = {
  nb: { notice: 'Oppsigelse', credit_cap_breach: 'Mislighold (kredittaket er nådd)' },
  en: { notice: 'Notice', credit_cap_breach: 'Breach (credit cap reached)' },
} as const;

/** A termination by notice or for breach was accepted (docs/design.md#7-notices): when it ends, the credits, the final statement. */
export function terminationConfirmed(notice: PayloadOf<'termination.confirmed'>, w: NoticeWriter): NoticeDocument {
  const { contract } = notice;
  const id = contract.contractId;
  const level = contract.serviceLevelName;
  const given = w.instant(notice.requestedAt);
  // An end at midnight is named by its last day, as a contract reads; an end at once by its instant.
  const lastDay = notice.endDate === null ? null : w.lastDay(notice.endDate);
  const endsAt = w.instant(notice.endsAt);
  const credits = w.money(notice.yearCreditsMinor);
  const previous = w.money(notice.previousYearCreditsMinor);
  const hasPrevious = notice.previousYearCreditsMinor > 0;
  const finalStatement = w.date(notice.finalStatementOn);
  if (w.locale === 'nb') {
    const ends =
      lastDay === null
        ? `Avtalen avsluttes ${endsAt}.`
        : notice.reason === 'notice'
          ? `Avtalen avsluttes ved første periodeslutt oppsigelsestiden tillater, og siste dag er ${lastDay}.`
          : `Siste dag er ${lastDay}.`;
    return customerDocument(w, contract, {
      subject: lastDay === null ? `Oppsigelsen av avtalen ${id} er bekreftet` : `Oppsigelsen av avtalen ${id} er bekreftet: siste dag er ${lastDay}`,
      heading: 'Vi har mottatt oppsigelsen din',
      blocks: [
        paragraph(
          notice.reason === 'notice'
            ? `Vi har mottatt oppsigelsen din av avtalen ${id} (${level}), gitt ${given}. ${ends}`
            : `Vi har mottatt oppsigelsen din av avtalen ${id} (${level}) på grunn av mislighold, gitt ${given}. ${ends}`,
        ),
        paragraph(
          notice.endsInThisYear
            ? `Servicekredittene for dette avtaleåret – ${credits} så langt, og det du eventuelt opptjener frem til slutten – kan ikke trekkes fra en ny årsavgift. Dem har du til gode, og sluttoppgjøret viser beløpet vi gjør opp med deg.`
            : `Servicekredittene for dette avtaleåret (${credits} så langt) trekkes som vanlig fra avgiften for neste år. Servicekredittene for avtalens siste år har du til gode, og sluttoppgjøret viser dem.`,
        ),
        ...(hasPrevious ? [paragraph(`Servicekredittene på ${previous} fra forrige avtaleår, som er avsluttet, er trukket fra årets avgift.`)] : []),
        facts([
          { label: 'Oppsigelse gitt', value: given },
          { label: 'Årsak', value: REASON.nb[notice.reason] },
          lastDay === null ? { label: 'Avtalen avsluttes', value: endsAt, emphasis: true } : { label: 'Avtalens siste dag', value: lastDay, emphasis: true },
          { label: 'Servicekreditter dette avtaleåret', value: credits },
          { label: 'Sluttoppgjør', value: finalStatement },
        ]),
        paragraph(
          `Når avtalen er avsluttet, sender vi deg sluttoppgjøret ${finalStatement}: hvert avtaleår med oppnådde servicenivåer, servicekreditter og det du har til gode. Tjenesten vår fortsetter som vanlig frem til da.`,
        ),
      ],
    });
  }
  const ends =
    lastDay === null
      ? `The contract ends on ${endsAt}.`
      : notice.reason === 'notice'
        ? `The contract ends at the first term end your notice period allows: its last day is ${lastDay}.`
        : `Its last day is ${lastDay}.`;
  return customerDocument(w, contract, {
    subject: lastDay === null ? `Your termination of contract ${id} is confirmed` : `Your termination of contract ${id} is confirmed: its last day is ${lastDay}`,
    heading: 'We have received your termination',
    blocks: [
      paragraph(
        notice.reason === 'notice'
          ? `We have received your notice of termination of your ${level} contract ${id}, given on ${given}. ${ends}`
          : `We have received your termination for breach of your ${level} contract ${id}, given on ${given}. ${ends}`,
      ),
      paragraph(
        notice.endsInThisYear
          ? `The service credits of this contract year – ${credits} so far, and any you earn until the end – cannot be deducted from a next year's fee. They are owed to you, and the final statement shows the amount we settle with you.`
          : `The service credits of this contract year (${credits} so far) are deducted from the next year's fee as usual. The credits of the contract's final year are owed to you, and the final statement shows them.`,
      ),
      ...(hasPrevious ? [paragraph(`The service credits of ${previous} from the previous contract year, now closed, have been deducted from this year's fee.`)] : []),
      facts([
        { label: 'Termination given', value: given },
        { label: 'Reason', value: REASON.en[notice.reason] },
        lastDay === null ? { label: 'Contract ends', value: endsAt, emphasis: true } : { label: 'Last day of the contract', value: lastDay, emphasis: true },
        { label: 'Service credits this contract year', value: credits },
        { label: 'Final statement', value: finalStatement },
      ]),
      paragraph(
        `Once the contract has ended, we send you the final statement on ${finalStatement}: every contract year with the service levels achieved, the service credits and what is owed to you. Our service continues as normal until then.`,
      ),
    ],
  });
}
