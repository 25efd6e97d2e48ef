/**
 * SDK clients for a command: the running local stack's emulators with `--local`, otherwise the standard
 * AWS chain (region and credentials from the environment, profile or role).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadCatalogFile, loadDefaultCatalog } from '#config/catalog.ts';
import type { Catalog } from '#domain/model.ts';
import type { Table } from '#functions/wiring.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { localOr, stringFlag, type ParsedFlags } from '../args.ts';
import type { ContractDirectory } from '#store/contract-directory.ts';
import type { ItemFailureRepository } from '#store/item-failures.ts';
import type { LifecycleRepository } from '#store/lifecycle-repository.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import type { PortfolioRepository } from '#store/portfolio-repository.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import type { Store } from '#store/store.ts';
import type { LocalBillingEvents } from './billing-sink.ts';
import { remotePort } from './memory-table-client.ts';
import { readStackFile, type StackFile } from './stack-file.ts';

export function sqsClientFor(stack: StackFile | null, environment: NodeJS.ProcessEnv = process.env): SQSClient {
  if (stack !== null) return new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials: stack.credentials });
  // The SDK sends to a queue URL's own host unless told otherwise; with an endpoint override
  // (AWS_ENDPOINT_URL_SQS, e.g. an emulator or a VPC endpoint) the override is where requests go.
  const overridden = (environment.AWS_ENDPOINT_URL_SQS ?? environment.AWS_ENDPOINT_URL ?? '') !== '';
  return new SQSClient(overridden ? { useQueueUrlAsEndpoint: false } : {});
}

export function documentClientFor(stack: StackFile | null): DynamoDBDocumentClient {
  return documentClient(
    stack === null ? {} : { endpoint: stack.endpoints.dynamodb, region: stack.region, credentials: stack.credentials },
  );
}

/** The table and catalog a command works on (`--table NAME` or `--local`, `--catalog FILE`). */
export interface CommandTable {
  readonly table: Table;
  readonly catalog: Catalog;
  /** With `--local` on a stack running the memory engine (no Java): its table's ports, in its process. Else null. */
  readonly memory: MemoryStackPorts | null;
}

/** The ports the memory engine's stack serves to `--local` commands (memory-table-server.ts). */
export interface MemoryStackPorts {
  readonly store: Store;
  readonly contracts: LifecycleRepository;
  readonly failures: ItemFailureRepository;
  readonly sourceLags: SourceLagRepository;
  /** Reads only: pool writes commit through the store. */
  readonly pools: PoolRepository;
  /** Every registered contract (the invoice run's portfolio, the economics' directory). */
  readonly portfolio: PortfolioRepository & ContractDirectory;
  /** The events the stack's billing publisher put on its local bus (billing-sink.ts). */
  readonly billingEvents: LocalBillingEvents;
}

/** On a stack running the memory engine, its ports in its process; else null (the table is DynamoDB's). */
export function memoryStackPorts(stack: StackFile | null): MemoryStackPorts | null {
  if (stack?.engine !== 'memory') return null;
  const endpoint = stack.endpoints.dynamodb;
  return {
    store: remotePort<Store>(endpoint, 'store'),
    contracts: remotePort<LifecycleRepository>(endpoint, 'contracts'),
    failures: remotePort<ItemFailureRepository>(endpoint, 'failures'),
    sourceLags: remotePort<SourceLagRepository>(endpoint, 'sourceLags'),
    pools: remotePort<PoolRepository>(endpoint, 'pools'),
    portfolio: remotePort<PortfolioRepository & ContractDirectory>(endpoint, 'portfolio'),
    billingEvents: remotePort<LocalBillingEvents>(endpoint, 'billingEvents'),
  };
}

/**
 * Runs `work` on the table `--table` names or the running local stack's (`--local`), with the catalog
 * `--catalog` names, else the local stack's, else catalog/default.json; the client is closed afterwards.
 */
export async function onCommandTable<T>(command: string, flags: ParsedFlags, work: (target: CommandTable) => Promise<T>): Promise<T> {
  const target = localOr(command, flags, 'table');
  const stack = target.local ? readStackFile() : null;
  const catalogFile = stringFlag(flags, 'catalog') ?? stack?.catalogFile ?? null;
  const catalog = catalogFile === null ? loadDefaultCatalog() : loadCatalogFile(catalogFile);
  const documents = documentClientFor(stack);
  try {
    return await work({ table: { documents, tableName: stack?.tableName ?? (target.local ? '' : target.value) }, catalog, memory: memoryStackPorts(stack) });
  } finally {
    documents.destroy();
  }
}
