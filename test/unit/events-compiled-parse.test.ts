/** The compiled event parse (shared/events/parse.ts): off unless a long run turns it on; then the same results. */
import { describe, expect, it } from 'vitest';
import { compile } from 'zod/mini';
import { compileEventSchemaWith, parseEvent } from '#events/parse.ts';
import type { eventV1 } from '#events/schemas.ts';
import { aCaseOpened, bodyOf } from '#test/support/factories/event-bodies.ts';

describe('the compiled parse of v1 events', () => {
  it('is compiled once, after 1 000 parses of a run that turned it on, and parses as the interpreted schema does', () => {
    // Prepare: what the interpreted schema says of a valid and an invalid body, before anything is compiled
    const valid = bodyOf(aCaseOpened());
    const invalid = bodyOf({ ...aCaseOpened(), priority: 'urgent' });
    const interpreted = [parseEvent(valid), parseEvent(invalid)];
    let compiled = 0;
    compileEventSchemaWith(<S extends typeof eventV1>(schema: S): S => {
      compiled += 1;
      return compile(schema);
    });

    // Act
    for (let i = 0; i < 999; i += 1) parseEvent(valid);
    const before = compiled;
    const after = [parseEvent(valid), parseEvent(invalid)];

    // Assess
    expect(before).toBe(0);
    expect(compiled).toBe(1);
    expect(after).toEqual(interpreted);
    for (let i = 0; i < 100; i += 1) parseEvent(valid);
    expect(compiled).toBe(1);
  });
});
