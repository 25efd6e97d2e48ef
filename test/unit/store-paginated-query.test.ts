import type { DynamoDBDocumentClient, QueryCommand, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { TransientDependencyError } from '../../shared/errors.ts';
import { queryAll } from '#store/paginated-query.ts';

/** A client answering Queries from `pages`, in order, and remembering what it was asked. */
function pagedClient(pages: readonly QueryCommandOutput[] | Error): { client: DynamoDBDocumentClient; asked: QueryCommand['input'][] } {
  const asked: QueryCommand['input'][] = [];
  const client = {
    send(command: QueryCommand): Promise<QueryCommandOutput> {
      asked.push(command.input);
      if (pages instanceof Error) return Promise.reject(pages);
      return Promise.resolve(pages[asked.length - 1] as QueryCommandOutput);
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, asked };
}

const page = (items: Record<string, unknown>[], last?: Record<string, unknown>): QueryCommandOutput => ({
  $metadata: {},
  Items: items,
  ...(last === undefined ? {} : { LastEvaluatedKey: last }),
  ConsumedCapacity: { CapacityUnits: items.length },
});

describe('paginated Query', () => {
  it('reads every page, each from where the last one ended, and hands each page to the meter', async () => {
    // Prepare
    const { client, asked } = pagedClient([page([{ pk: 'a' }], { pk: 'a' }), page([{ pk: 'b' }, { pk: 'c' }])]);
    const metered: number[] = [];

    // Act
    const items = await queryAll(
      { client, tableName: 't', returnConsumedCapacity: 'TOTAL', onPage: (output) => metered.push(output.ConsumedCapacity?.CapacityUnits ?? 0) },
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'x' } },
    );

    // Assess
    expect(items).toEqual([{ pk: 'a' }, { pk: 'b' }, { pk: 'c' }]);
    expect(metered).toEqual([1, 2]);
    expect(asked.map((input) => [input.TableName, input.ReturnConsumedCapacity, input.ExclusiveStartKey])).toEqual([
      ['t', 'TOTAL', undefined],
      ['t', 'TOTAL', { pk: 'a' }],
    ]);
  });

  it('asks for no consumed capacity unless told to', async () => {
    const { client, asked } = pagedClient([page([])]);
    await queryAll({ client, tableName: 't' }, { KeyConditionExpression: 'pk = :pk' });
    expect(asked[0]).not.toHaveProperty('ReturnConsumedCapacity');
  });

  it('fails a throttled Query as transient', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { client } = pagedClient(throttled);
    await expect(queryAll({ client, tableName: 't' }, { KeyConditionExpression: 'pk = :pk' })).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
