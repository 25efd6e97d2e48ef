/**
 * Lambda entry of the notifier (DynamoDB Stream of the table, filtered to pending notices): built once
 * per cold start; a missing setting or catalog fails the cold start.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { lambdaSettings } from '../wiring.ts';
import { buildNotifierHandler } from './wiring.ts';

export const handler = buildNotifierHandler({
  ...lambdaSettings('notifier'),
  catalog: embeddedCatalog(),
  ses: {
    client: new SESv2Client({ maxAttempts: 1 }),
    from: getStringFromEnv('SENDER_EMAIL'),
    configurationSetName: getStringFromEnv('SES_CONFIGURATION_SET'),
  },
  operatorEmail: getStringFromEnv('OPERATOR_EMAIL'),
});
