/** The intake function assembled (functions/wiring.ts): the store and source lags, the use case, the handler. */
import type { Catalog } from '#domain/model.ts';
import type { EventQueue } from '#events/queues.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { makeIntake, type IntakeDependencies } from '#usecases/intake.ts';
import { portsOf, type FunctionSettings, type PortsWrapper, type Table } from '../wiring.ts';
import { makeIntakeHandler, type IntakeHandler } from './app.ts';
import type { DeadLetterSink } from './dead-letters.ts';

export type IntakePorts = Omit<IntakeDependencies, 'catalog' | 'clock'>;

export function intakePorts({ documents: client, tableName }: Table): IntakePorts {
  return {
    store: new DynamoStore({ client, tableName }),
    sourceLags: new DynamoSourceLagRepository({ client, tableName }),
    suppressions: new DynamoDeliveryFeedbackRepository({ client, tableName }),
    pools: new DynamoPoolRepository({ client, tableName }),
  };
}

export interface IntakeSettings extends FunctionSettings {
  readonly catalog: Catalog;
  readonly deadLetters: DeadLetterSink;
  /** Which queue a record came from decides whether its event is on the right one (docs/design.md#6-the-event-contract-v1). */
  readonly queueArns: Readonly<Record<EventQueue, string>>;
  readonly ports?: PortsWrapper<IntakePorts>;
}

export function buildIntakeHandler(settings: IntakeSettings): IntakeHandler {
  const { catalog, clock, deadLetters, logger, metrics, queueArns } = settings;
  const ports = portsOf(intakePorts(settings.table), settings.ports);
  return makeIntakeHandler({ intake: makeIntake({ ...ports, catalog, clock }), deadLetters, logger, metrics, queueArns });
}
