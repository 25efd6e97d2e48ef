/**
 * The portfolio on DynamoDB: a paginated Scan for contract items, only their ids projected. A Scan reads the
 * whole table (every case, year, notice): fine for an operator's run over the portfolio, never for a handler.
 */
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { translateDynamoError } from './dynamo-errors.ts';
import type { PortfolioRepository } from './portfolio-repository.ts';

export interface DynamoPortfolioRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoPortfolioRepository implements PortfolioRepository {
  constructor(private readonly options: DynamoPortfolioRepositoryOptions) {}

  async contractIds(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      let output: ScanCommandOutput;
      try {
        output = await this.options.client.send(
          new ScanCommand({
            TableName: this.options.tableName,
            FilterExpression: '#entity = :contract',
            ProjectionExpression: '#terms.#contractId',
            ExpressionAttributeNames: { '#entity': 'entity', '#terms': 'terms', '#contractId': 'contractId' },
            ExpressionAttributeValues: { ':contract': 'contract' },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
      } catch (error) {
        throw translateDynamoError(error);
      }
      for (const item of output.Items ?? []) {
        const id = (item.terms as { contractId?: unknown } | undefined)?.contractId;
        if (typeof id === 'string') ids.push(id);
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
    return [...new Set(ids)].sort();
  }
}
