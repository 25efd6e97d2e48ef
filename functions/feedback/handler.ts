/**
 * Lambda entry of the feedback function (an EventBridge rule on the default bus: SES bounces and
 * complaints of the notices' configuration set): built once per cold start; a missing setting fails it.
 */
import { lambdaSettings } from '../wiring.ts';
import { buildFeedbackHandler } from './wiring.ts';

export const handler = buildFeedbackHandler(lambdaSettings('feedback'));
