/**
 * Builds the Aftercare app the way `infra/bin/app.ts` does (settings from context, one stack, cdk-nag),
 * with a fixed fake account and region so no AWS credentials are needed.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineAftercare } from '#infra/aftercare-app.ts';
import type { AftercareStack } from '#infra/stacks/aftercare-stack.ts';

export const TEST_ENV = { account: '123456789012', region: 'eu-north-1' } as const;
export const SENDER_EMAIL = 'notices@aftercare.example';
export const OPERATOR_EMAIL = 'operations@aftercare.example';

export interface AppOptions {
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Run esbuild for the four functions (seconds each); templates alone do not need the bundles.
   * @default false
   */
  readonly bundle?: boolean;
  /**
   * CDK's built-in CloudFormation validation (about 10 s per synth).
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
}

export function aftercareApp(options: AppOptions = {}): App {
  return new App({
    context: {
      senderEmail: SENDER_EMAIL,
      operatorEmail: OPERATOR_EMAIL,
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
}

export interface SynthesizedAftercare {
  readonly app: App;
  readonly stack: AftercareStack;
  readonly template: Template;
}

export function synthesizeAftercare(options: AppOptions = {}): SynthesizedAftercare {
  const app = aftercareApp(options);
  const stack = defineAftercare(app, TEST_ENV);
  return { app, stack, template: Template.fromStack(stack) };
}

/** How long one synth (four esbuild bundles) may take on a busy machine. */
export const SYNTH_TIMEOUT_MS = 240_000;
