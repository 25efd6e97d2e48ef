/**
 * The lifecycle function assembled (functions/wiring.ts): its repositories and use case (also run on
 * demand by `aftercare lifecycle`), and the handler.
 */
import type { Catalog } from '#domain/model.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import type { CaseRepository } from '#store/case-repository.ts';
import { makeLoanUpkeep } from '#usecases/loan-upkeep.ts';
import { catalogRuntime } from '#usecases/runtime.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeLifecycle, type Lifecycle, type LifecycleDependencies } from '#usecases/lifecycle.ts';
import type { Clock } from '#usecases/ports.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeLifecycleHandler, type LifecycleHandler } from './app.ts';

/** The lifecycle's repositories, and the pools and cases its look at open loans reads. */
export type LifecyclePorts = Omit<LifecycleDependencies, 'catalog' | 'clock' | 'loans'> & {
  readonly pools?: PoolRepository;
  readonly cases?: Pick<CaseRepository, 'readCases'>;
};

export function lifecyclePorts({ documents: client, tableName }: Table): LifecyclePorts {
  const store = new DynamoStore({ client, tableName });
  return {
    store,
    pools: new DynamoPoolRepository({ client, tableName }),
    cases: store,
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
  const { pools, cases, ...ports } = portsOf(lifecyclePorts(settings.table), settings.ports);
  const loans =
    pools === undefined || cases === undefined
      ? {}
      : { loans: makeLoanUpkeep({ pools, cases, store: ports.store, runtime: catalogRuntime(catalog), clock }) };
  return makeLifecycle({ ...ports, ...loans, catalog, clock });
}

export interface LifecycleSettings extends FunctionSettings, LifecycleUseCaseSettings {}

export function buildLifecycleHandler(settings: LifecycleSettings): LifecycleHandler {
  return makeLifecycleHandler({ lifecycle: buildLifecycle(settings), logger: settings.logger, metrics: settings.metrics });
}
