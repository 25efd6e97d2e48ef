/**
 * Lambda entry of the sweep function (EventBridge Scheduler, every minute): built once per cold
 * start; a missing setting or catalog fails the cold start.
 */
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { lambdaSettings } from '../wiring.ts';
import { buildSweepHandler } from './wiring.ts';

export const handler = buildSweepHandler({ ...lambdaSettings('sweep'), catalog: embeddedCatalog() });
