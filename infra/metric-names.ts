/**
 * The CloudWatch metrics the dashboard and alarms read. Handlers publish them with Powertools Metrics in
 * namespace `Aftercare`, with the default `service` dimension only, set to the function's name
 * (`intake`, `sweep`, `lifecycle`, `notifier`, `feedback`; also POWERTOOLS_SERVICE_NAME): an extra dimension makes a
 * different metric that no alarm watches.
 *
 *   EventsProcessed     intake           1 per valid event handled (applied, duplicate, parked or rejected)
 *   BreachesDeclared    intake, sweep    breaches declared
 *   CreditsBookedMinor  intake, sweep    credit booked, in minor units (a reversal is negative)
 *   NoticesSent         notifier         notices SES accepted
 *   NoticesSuperseded   notifier         credit notices that no longer told what happened at send time (no alarm)
 *   NoticesUnknown      notifier, sweep  notices whose send outcome is unknown (alarm); the sweep finds stuck leases
 *   NoticesFailed       notifier         notices that could not be sent (alarm)
 *   NoticesSuppressed   notifier         notices not sent because their address bounced or complained before
 *   NoticesBounced      feedback         sent notices SES reported as permanently bounced (alarm)
 *   NoticesComplained   feedback         sent notices the recipient reported as spam (alarm)
 *   EventsQuarantined   intake           valid events set aside in the DLQ with the reason (last receive, or a permanent fault) (alarm)
 *   SweepItemsQuarantined          sweep      cases and parked groups quarantined after failing (alarm)
 *   LifecycleContractsQuarantined  lifecycle  contracts whose lifecycle was quarantined after failing (alarm)
 * and the intake's outcome counts: EventsApplied, EventsDuplicate, EventsParked, EventsRejected, PoisonMessages
 * (poison and wrong-queue dead letters), EventsOnWrongQueue (of those, valid events on the other queue).
 */
import type { FunctionName } from './bundling.ts';

export const METRICS_NAMESPACE = 'Aftercare';

/** Each business metric and the functions (services) that publish it. */
export const BUSINESS_METRICS = {
  EventsProcessed: ['intake'],
  BreachesDeclared: ['intake', 'sweep'],
  CreditsBookedMinor: ['intake', 'sweep'],
  NoticesSent: ['notifier'],
  NoticesSuperseded: ['notifier'],
  NoticesUnknown: ['notifier', 'sweep'],
  NoticesFailed: ['notifier'],
  NoticesSuppressed: ['notifier'],
  NoticesBounced: ['feedback'],
  NoticesComplained: ['feedback'],
  EventsQuarantined: ['intake'],
  SweepItemsQuarantined: ['sweep'],
  LifecycleContractsQuarantined: ['lifecycle'],
  EventsApplied: ['intake'],
  EventsDuplicate: ['intake'],
  EventsParked: ['intake'],
  EventsRejected: ['intake'],
  PoisonMessages: ['intake'],
  EventsOnWrongQueue: ['intake'],
} as const satisfies Record<string, readonly FunctionName[]>;

export type BusinessMetricName = keyof typeof BUSINESS_METRICS;
