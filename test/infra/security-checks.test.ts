/**
 * cdk-nag's AWS Solutions checks and CDK's CloudFormation validation pass on the whole stack with no
 * unacknowledged finding, and the same checks do fail on a non-compliant resource (so a pass means something).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineAftercare } from '#infra/aftercare-app.ts';
import type { AftercareStack } from '#infra/stacks/aftercare-stack.ts';
import { aftercareApp, SYNTH_TIMEOUT_MS, TEST_ENV } from './synth.ts';

let stack: AftercareStack;
let synthError: unknown;

beforeAll(() => {
  const app = aftercareApp({ cloudFormationValidation: true });
  stack = defineAftercare(app, TEST_ENV);
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
}, SYNTH_TIMEOUT_MS);

function findingsOf(scope: Stack): string[] {
  return new AwsSolutionsChecks().validateScope(scope).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`),
  );
}

describe('the Aftercare stack', () => {
  it('has no unacknowledged cdk-nag AwsSolutions finding, error or warning', () => {
    expect(findingsOf(stack)).toEqual([]);
  });

  it('synthesizes with cdk-nag and CloudFormation validation registered on the app', () => {
    expect(synthError).toBeUndefined();
  });
});

describe('the checks themselves', () => {
  it('report an unencrypted queue without a dead-letter queue or TLS policy', () => {
    // Prepare
    const scratch = new Stack(undefined, 'Scratch', { env: TEST_ENV });
    new CfnQueue(scratch, 'Plain', { sqsManagedSseEnabled: false });
    // Act
    const findings = findingsOf(scratch);
    // Assess
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-SQS2 /),
        expect.stringMatching(/^AwsSolutions-SQS3 /),
        expect.stringMatching(/^AwsSolutions-SQS4 /),
      ]),
    );
  });

  it('fail the Aftercare synth when a resource breaks a rule nobody acknowledged', () => {
    // Prepare
    const app = aftercareApp();
    const aftercare = defineAftercare(app, TEST_ENV);
    new CfnQueue(aftercare, 'Unencrypted', { sqsManagedSseEnabled: false });
    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  it('accept a finding only once it is acknowledged on that resource, with a reason', () => {
    const scratch = new Stack(undefined, 'Acknowledged', { env: TEST_ENV });
    const queue = new CfnQueue(scratch, 'Plain', { sqsManagedSseEnabled: false });
    Validations.of(queue).acknowledge(
      { id: 'AwsSolutions-SQS2', reason: 'test' },
      { id: 'AwsSolutions-SQS3', reason: 'test' },
    );
    expect(findingsOf(scratch)).toEqual([expect.stringMatching(/^AwsSolutions-SQS4 /)]);
  });
});
