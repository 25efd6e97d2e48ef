import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '#domain/model.ts';
import { generateEventsJsonSchema, renderEventsJsonSchema } from '#events/json-schema.ts';

const checkedInPath = fileURLToPath(new URL('../../schemas/events.v1.json', import.meta.url));

interface ObjectSchema {
  properties?: Record<string, { description?: string } & ObjectSchema>;
}

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schemas (run `npm run schema:generate` after changing them)', () => {
    // Act
    const checkedIn = readFileSync(checkedInPath, 'utf8');

    // Assess
    expect(checkedIn, 'schemas/events.v1.json is stale: run `npm run schema:generate`').toBe(renderEventsJsonSchema());
  });

  it('is a draft 2020-12 schema with an $id, a title and one definition per event type', () => {
    // Act
    const schema = generateEventsJsonSchema();

    // Assess
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.any(String) as unknown,
      title: expect.any(String) as unknown,
    });
    expect(Object.keys(schema.$defs as object)).toEqual([...EVENT_TYPES]);
  });

  it('describes every field an integrator fills in', () => {
    // Prepare
    const definitions = generateEventsJsonSchema().$defs as Record<string, ObjectSchema>;
    const undescribed: string[] = [];
    const visit = (schema: ObjectSchema, path: string): void => {
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        if (name !== 'type' && field.description === undefined) undescribed.push(`${path}.${name}`);
        visit(field, `${path}.${name}`);
      }
    };

    // Act
    for (const [type, definition] of Object.entries(definitions)) visit(definition, type);

    // Assess
    expect(undescribed).toEqual([]);
  });

  it('refuses unknown fields in every definition', () => {
    const definitions = generateEventsJsonSchema().$defs as Record<string, { additionalProperties?: boolean }>;
    expect(Object.values(definitions).every((definition) => definition.additionalProperties === false)).toBe(true);
  });
});
