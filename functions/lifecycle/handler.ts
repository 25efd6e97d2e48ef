/**
 * PLACEHOLDER so the CDK app can bundle and synthesize: the real lifecycle handler is being written by a
 * colleague and replaces this file. It fails every invocation on purpose.
 */
export async function handler(): Promise<never> {
  await Promise.resolve();
  throw new Error('not implemented yet');
}
