import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_COMMAND, EXAMPLES_DIRECTORY, renderNoticeExamples } from '#notices/example-pages.ts';
import { CUSTOMER_NOTICE_TYPES, OPERATIONS_NOTICE_TYPES } from '#notices/types.ts';

const directory = join(import.meta.dirname, '..', '..', EXAMPLES_DIRECTORY);
const rendered = renderNoticeExamples();

describe('rendered notice examples in docs/notices', () => {
  it('cover every notice type in both locales', () => {
    // Act
    const names = [...rendered.keys()];
    // Assess
    for (const type of [...CUSTOMER_NOTICE_TYPES, ...OPERATIONS_NOTICE_TYPES]) {
      expect(names).toContain(`${type}.nb.html`);
      expect(names).toContain(`${type}.en.html`);
      expect(rendered.get('index.html')).toContain(`href="${type}.nb.html"`);
    }
  });

  it.each([...rendered.keys()])('%s matches what the templates render now', async (name) => {
    // Act
    const checkedIn = await readFile(join(directory, name), 'utf8').catch(() => undefined);
    // Assess
    expect(checkedIn, `docs/notices/${name} is missing or stale: run \`${EXAMPLES_COMMAND}\` and commit the result`).toBe(
      rendered.get(name),
    );
  });

  it('holds no example the templates no longer render', async () => {
    // Act
    const stale = (await readdir(directory)).filter((name) => /\.(html|txt)$/.test(name) && !rendered.has(name));
    // Assess
    expect(stale, `stale examples: run \`${EXAMPLES_COMMAND}\` to remove them`).toEqual([]);
  });
});
