/** The v1 event contract in one import: schemas, types, parsing and mapping to the domain. */
export * from './schemas.ts';
export * from './parse.ts';
export * from './mapping.ts';
export { generateEventsJsonSchema, renderEventsJsonSchema, EVENTS_SCHEMA_ID } from './json-schema.ts';
