/** The sweep function assembled (functions/wiring.ts): its repositories, the use case, the handler. */
import type { Catalog } from '#domain/model.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { makeSweep, type SweepDependencies } from '#usecases/sweep.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeSweepHandler, type SweepHandler } from './app.ts';

export type SweepPorts = Omit<SweepDependencies, 'catalog' | 'clock'>;

export function sweepPorts({ documents: client, tableName }: Table): SweepPorts {
  return {
    store: new DynamoStore({ client, tableName }),
    notices: new DynamoNoticeRepository({ client, tableName }),
    failures: new DynamoItemFailureRepository({ client, tableName }),
    sourceLags: new DynamoSourceLagRepository({ client, tableName }),
    suppressions: new DynamoDeliveryFeedbackRepository({ client, tableName }),
  };
}

export interface SweepSettings extends FunctionSettings {
  readonly catalog: Catalog;
  readonly ports?: PortsWrapper<SweepPorts>;
}

export function buildSweepHandler(settings: SweepSettings): SweepHandler {
  const { catalog, clock, logger, metrics } = settings;
  const ports = portsOf(sweepPorts(settings.table), settings.ports);
  return makeSweepHandler({ sweep: makeSweep({ ...ports, catalog, clock }), logger, metrics });
}
