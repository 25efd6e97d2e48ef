/** The billing publisher assembled (functions/wiring.ts): the outbox, the bus, the use case, the handler. */
import type { BillingEventBus } from '#events/billing-bus.ts';
import { DynamoBillingOutboxRepository } from '#store/dynamo-billing-outbox-repository.ts';
import { makeBillingPublisher, type BillingPublisherDependencies } from '#usecases/publish-billing.ts';
import { portsOf, type FunctionSettings, type PortsWrapper } from '../wiring.ts';
import { makeBillingHandler, type BillingHandler } from './app.ts';

export type BillingPorts = Pick<BillingPublisherDependencies, 'outbox' | 'bus'>;

export interface BillingSettings extends FunctionSettings, Pick<BillingPublisherDependencies, 'sleep'> {
  /** EventBridge on AWS (eventBridgeBus), the local sink in the local stack. */
  readonly bus: BillingEventBus;
  readonly ports?: PortsWrapper<BillingPorts>;
}

export function buildBillingHandler(settings: BillingSettings): BillingHandler {
  const { documents: client, tableName } = settings.table;
  const ports = portsOf<BillingPorts>({ outbox: new DynamoBillingOutboxRepository({ client, tableName }), bus: settings.bus }, settings.ports);
  const publisher = makeBillingPublisher({ ...ports, clock: settings.clock, ...(settings.sleep === undefined ? {} : { sleep: settings.sleep }) });
  return makeBillingHandler({ publisher, logger: settings.logger, metrics: settings.metrics });
}
