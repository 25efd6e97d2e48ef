/** Replay's `emulators` engine (engines.ts): the embedded stack of `npm start`, loaded only when asked for. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { receiveAllDeadLetters } from '../local/dead-letters.ts';
import { localLambdaContext } from '../local/lambda-context.ts';
import { eventQueueUrls } from '../local/resources.ts';
import { startLocalStack } from '../local/stack.ts';
import { scheduled, STACK_NAME, type ReplayEngine, type ReplayEngineOptions } from './engines.ts';

export async function emulatorsEngine(options: ReplayEngineOptions): Promise<ReplayEngine> {
  const stack = await startLocalStack({
    catalog: options.catalog,
    clock: options.clock,
    name: STACK_NAME,
    virtualTime: true,
    onCommit: options.onCommit,
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
  });
  return {
    store: stack.store,
    pools: new DynamoPoolRepository({ client: stack.documents, tableName: stack.tableName }),
    notices: stack.notices,
    async send(queue, body) {
      await stack.sqs.send(new SendMessageCommand({ QueueUrl: eventQueueUrls(stack.queues)[queue], MessageBody: body }));
    },
    pollOnce: (queue) => stack.pollers[queue].pollOnce(),
    async sweep(at) {
      await stack.sweep(scheduled(at), localLambdaContext('sweep'));
    },
    async lifecycle(at) {
      await stack.lifecycle(scheduled(at), localLambdaContext('lifecycle'));
    },
    deadLetters: () => receiveAllDeadLetters(stack.sqs, stack.queues.deadLetterQueueUrl),
    stop: () => stack.stop(),
  };
}
