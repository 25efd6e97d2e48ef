/**
 * Every registered contract, for the portfolio's economics (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). The DynamoDB
 * adapter scans the table for contract items (a paginated Scan, projected to the key): a report run
 * by hand, never on the events' path.
 */
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { translateDynamoError } from './dynamo-errors.ts';
import { contractIdOfPk } from './keys.ts';

export interface ContractDirectory {
  /** The ids of every registered contract, sorted. */
  contractIds(): Promise<string[]>;
}

export class DynamoContractDirectory implements ContractDirectory {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async contractIds(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      let output: ScanCommandOutput;
      try {
        output = await this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'sk = :contract',
            ProjectionExpression: 'pk',
            ExpressionAttributeValues: { ':contract': 'CONTRACT' },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
      } catch (error) {
        throw translateDynamoError(error);
      }
      for (const item of output.Items ?? []) ids.push(contractIdOfPk(item.pk as string));
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
    return ids.sort();
  }
}
