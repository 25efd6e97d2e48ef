/** The notifier assembled (functions/wiring.ts): the outbox, suppressions, credit state and sender, the use case, the handler. */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Catalog, Provider } from '#domain/model.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { makeNoticeDelivery, type NoticeDeliveryDependencies } from '#usecases/deliver-notice.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeNotifierHandler, type NotifierHandler } from './app.ts';

export type NotifierPorts = Pick<NoticeDeliveryDependencies, 'notices' | 'sender' | 'suppressions' | 'credits'>;

export interface SesSettings {
  /**
   * One try per SendEmail call (`maxAttempts: 1`): the SDK would also retry timeouts, after which SES may
   * already have sent the email. The delivery use case retries only what SES certainly refused.
   */
  readonly client: SESv2Client;
  readonly from: string;
  readonly configurationSetName: string;
}

/** The From display name and Reply-To come from the catalog's provider (docs/design.md#7-notices). */
export function notifierPorts({ documents: client, tableName }: Table, ses: SesSettings, provider?: Provider): NotifierPorts {
  return {
    notices: new DynamoNoticeRepository({ client, tableName }),
    sender: sesNoticeSender(provider === undefined ? ses : { ...ses, fromName: provider.name, replyTo: provider.replyTo }),
    suppressions: new DynamoDeliveryFeedbackRepository({ client, tableName }),
    credits: new DynamoCreditState({ client, tableName }),
  };
}

export interface NotifierSettings extends FunctionSettings, Pick<NoticeDeliveryDependencies, 'sleep'> {
  readonly catalog: Catalog;
  readonly ses: SesSettings;
  /** Where operations notices go (env OPERATOR_EMAIL). */
  readonly operatorEmail: string;
  readonly ports?: PortsWrapper<NotifierPorts>;
}

export function buildNotifierHandler(settings: NotifierSettings): NotifierHandler {
  const { catalog, clock, logger, metrics, operatorEmail, sleep } = settings;
  const ports = portsOf(notifierPorts(settings.table, settings.ses, catalog.provider), settings.ports);
  const delivery = makeNoticeDelivery({ ...ports, clock, catalog, operatorEmail, sleep });
  return makeNotifierHandler({ delivery, logger, metrics });
}
