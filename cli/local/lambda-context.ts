/** The invocation context Lambda hands a function, for the handlers the local stack runs in-process. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

const LOCAL_ACCOUNT = '000000000000';

/**
 * Its methods and constant fields on the prototype, the request id drawn when first read: replay builds
 * one per invocation, hundreds of thousands of them, and its handlers' quiet logger reads none of them.
 */
class LocalLambdaContext implements Context {
  // A field: a handler may set it, as on Lambda's own context.
  callbackWaitsForEmptyEventLoop = false;
  private requestId: string | null = null;
  private readonly started = Date.now();

  constructor(
    readonly functionName: string,
    private readonly timeoutMs: number,
  ) {}

  get functionVersion(): string {
    return '$LATEST';
  }

  get invokedFunctionArn(): string {
    return `arn:aws:lambda:local:${LOCAL_ACCOUNT}:function:${this.functionName}`;
  }

  get memoryLimitInMB(): string {
    return '512';
  }

  get awsRequestId(): string {
    this.requestId ??= randomUUID();
    return this.requestId;
  }

  get logGroupName(): string {
    return `/aws/lambda/${this.functionName}`;
  }

  get logStreamName(): string {
    return 'local';
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
