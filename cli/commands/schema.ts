/** `aftercare schema`: the v1 event contract as JSON Schema, generated from the zod schemas. */
import { renderEventsJsonSchema } from '#events/json-schema.ts';
import { parseFlags } from '../args.ts';
import type { Command } from './command.ts';

export const schemaCommand: Command = {
  name: 'schema',
  usage: `Usage: aftercare schema

Prints the JSON Schema (draft 2020-12) of the v1 events, generated from the zod schemas that the
intake validates with. The checked-in copy is schemas/events.v1.json.`,
  run(argv, output) {
    parseFlags('schema', argv, {});
    output.out(renderEventsJsonSchema());
    return Promise.resolve(0);
  },
};
