/** The feedback function assembled (functions/wiring.ts): the feedback repository, the use case, the handler. */
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { makeDeliveryFeedback, type DeliveryFeedbackDependencies } from '#usecases/delivery-feedback.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeFeedbackHandler, type FeedbackHandler } from './app.ts';

export type FeedbackPorts = Omit<DeliveryFeedbackDependencies, 'clock'>;

export function feedbackPorts({ documents: client, tableName }: Table): FeedbackPorts {
  return { feedback: new DynamoDeliveryFeedbackRepository({ client, tableName }) };
}

export interface FeedbackSettings extends FunctionSettings {
  readonly ports?: PortsWrapper<FeedbackPorts>;
}

export function buildFeedbackHandler(settings: FeedbackSettings): FeedbackHandler {
  const { clock, logger, metrics } = settings;
  const ports = portsOf(feedbackPorts(settings.table), settings.ports);
  return makeFeedbackHandler({ feedback: makeDeliveryFeedback({ ...ports, clock }), logger, metrics });
}
