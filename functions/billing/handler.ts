/**
 * Lambda entry of the billing publisher (DynamoDB Stream of the table, filtered to `billing = pending`):
 * built once per cold start; a missing setting fails the cold start.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { getStringFromEnv } from '#config/environment.ts';
import { eventBridgeBus } from '#events/billing-bus.ts';
import { lambdaSettings } from '../wiring.ts';
import { buildBillingHandler } from './wiring.ts';

export const handler = buildBillingHandler({
  ...lambdaSettings('billing'),
  bus: eventBridgeBus({ client: new EventBridgeClient({}), eventBusName: getStringFromEnv('BILLING_EVENT_BUS') }),
});
