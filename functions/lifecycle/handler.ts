/**
 * Lambda entry of the lifecycle function (EventBridge Scheduler, daily at 06:00 Europe/Oslo): built
 * once per cold start; a missing setting or catalog fails the cold start.
 */
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { lambdaSettings } from '../wiring.ts';
import { buildLifecycleHandler } from './wiring.ts';

export const handler = buildLifecycleHandler({ ...lambdaSettings('lifecycle'), catalog: embeddedCatalog() });
