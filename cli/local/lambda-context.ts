/** The invocation context Lambda hands a function, for the handlers the local stack runs in-process. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

const LOCAL_ACCOUNT = '000000000000';

/** Its methods on the prototype: replay builds one per invocation, hundreds of thousands of them. */
class LocalLambdaContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = false;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = '512';
  readonly awsRequestId = randomUUID();
  readonly logGroupName: string;
  readonly logStreamName = 'local';
  private readonly started = Date.now();

  constructor(
    readonly functionName: string,
    private readonly timeoutMs: number,
  ) {
    this.invokedFunctionArn = `arn:aws:lambda:local:${LOCAL_ACCOUNT}:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.timeoutMs - (Date.now() - this.started));
  }

  done(): void {}
  fail(): void {}
  succeed(): void {}
}

export function localLambdaContext(functionName: string, timeoutMs = 30_000): Context {
  return new LocalLambdaContext(functionName, timeoutMs);
}
