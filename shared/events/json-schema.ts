/**
 * The published JSON Schema of the v1 contract, generated from the zod schemas so the two cannot drift.
 * One definition per event type under `$defs`, selected by `type`.
 */
import * as z from 'zod/mini';
import { EVENT_TYPES } from '#domain/model.ts';
import { eventV1 } from './schemas.ts';

export const EVENTS_SCHEMA_ID = 'urn:aftercare:schemas:events:v1';

export function generateEventsJsonSchema(): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  for (const option of eventV1.def.options) {
    // `input`: what an integration sends — fields with defaults are optional and show their default.
    const { $schema: _dialect, ...definition } = z.toJSONSchema(option, { target: 'draft-2020-12', io: 'input' });
    // Each option's `type` is one literal (zod/mini keeps literals in `def.values`).
    const [type] = option.shape.type.def.values;
    if (type === undefined) throw new Error('an event schema without its type literal');
    definitions[type] = { title: type, ...definition };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: EVENTS_SCHEMA_ID,
    title: 'Aftercare events v1',
    description:
      'One JSON event per SQS message body. Unknown fields are refused. Generated from shared/events/schemas.ts; ' +
      'do not edit by hand (npm run schema:generate).',
    type: 'object',
    required: ['type'],
    properties: { type: { enum: [...EVENT_TYPES] } },
    oneOf: EVENT_TYPES.map((type) => ({ $ref: `#/$defs/${type}` })),
    $defs: definitions,
  };
}

/** The file content as checked in: stable key order from the schemas, two-space indent, final newline. */
export function renderEventsJsonSchema(): string {
  return `${JSON.stringify(generateEventsJsonSchema(), null, 2)}\n`;
}
