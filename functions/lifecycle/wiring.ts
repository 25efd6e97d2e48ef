/**
 * The lifecycle function assembled (functions/wiring.ts): its repositories and use case (also run on
 * demand by `aftercare lifecycle`), and the handler.
 */
import type { Catalog } from '#domain/model.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeLifecycle, type Lifecycle, type LifecycleDependencies } from '#usecases/lifecycle.ts';
import type { Clock } from '#usecases/ports.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeLifecycleHandler, type LifecycleHandler } from './app.ts';

export type LifecyclePorts = Omit<LifecycleDependencies, 'catalog' | 'clock'>;

export function lifecyclePorts({ documents: client, tableName }: Table): LifecyclePorts {
  return {
    store: new DynamoStore({ client, tableName }),
    contracts: new DynamoLifecycleRepository({ client, tableName }),
    failures: new DynamoItemFailureRepository({ client, tableName }),
  };
}

export interface LifecycleUseCaseSettings {
  readonly table: Table;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ports?: PortsWrapper<LifecyclePorts>;
}

export function buildLifecycle(settings: LifecycleUseCaseSettings): Lifecycle {
  const { catalog, clock } = settings;
  return makeLifecycle({ ...portsOf(lifecyclePorts(settings.table), settings.ports), catalog, clock });
}

export interface LifecycleSettings extends FunctionSettings, LifecycleUseCaseSettings {}

export function buildLifecycleHandler(settings: LifecycleSettings): LifecycleHandler {
  return makeLifecycleHandler({ lifecycle: buildLifecycle(settings), logger: settings.logger, metrics: settings.metrics });
}
