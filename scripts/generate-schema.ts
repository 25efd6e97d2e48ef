/**
 * Writes schemas/events.v1.json from the zod schemas (`npm run schema:generate`).
 * A unit test fails when the checked-in file differs from what this generates.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEventsJsonSchema } from '../shared/events/json-schema.ts';

export { generateEventsJsonSchema, renderEventsJsonSchema } from '../shared/events/json-schema.ts';

export const EVENTS_SCHEMA_PATH = fileURLToPath(new URL('../schemas/events.v1.json', import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(EVENTS_SCHEMA_PATH, renderEventsJsonSchema());
  console.log(`wrote ${EVENTS_SCHEMA_PATH}`);
}
