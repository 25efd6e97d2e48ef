/**
 * `cdk synth` / `cdk deploy` entry: `npx cdk deploy -c senderEmail=… -c operatorEmail=…
 * [-c catalog=path] [-c stage=dev] [-c destroyOnRemoval=true]`.
 */
import { App } from 'aws-cdk-lib';
import { defineAftercare, FALLBACK_REGION } from '../aftercare-app.ts';

// Synthesized explicitly below, so a failure prints its message once instead of a second synth's stack trace.
const app = new App({ autoSynth: false });
try {
  defineAftercare(app, {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    // Without credentials the CLI resolves no region; synth still works, in the region Aftercare is run from.
    region: process.env.CDK_DEFAULT_REGION ?? FALLBACK_REGION,
  });
  app.synth();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
