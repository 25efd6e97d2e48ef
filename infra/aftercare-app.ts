/**
 * The app's wiring, shared by `infra/bin/app.ts` and the infra tests so both check the same thing: the
 * deployment settings, the one stack, and cdk-nag's AWS Solutions checks on everything in it.
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentSettings } from './settings.ts';
import { AftercareStack } from './stacks/aftercare-stack.ts';

export const FALLBACK_REGION = 'eu-north-1';

export function defineAftercare(app: App, env?: Environment): AftercareStack {
  const settings = readDeploymentSettings(app);
  const stack = new AftercareStack(app, settings.stackName, {
    env,
    description: `Aftercare (${settings.stage}): SLA clocks, service credits and the contract cycle`,
    stage: settings.stage,
    senderEmail: settings.senderEmail,
    operatorEmail: settings.operatorEmail,
    catalog: settings.catalog,
    destroyOnRemoval: settings.destroyOnRemoval,
    webhookSources: settings.webhookSources,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
