/**
 * Writes the rendered notice examples to docs/notices (run after changing a template or an example payload):
 * `npm run notices:examples`.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXAMPLES_DIRECTORY, renderNoticeExamples } from '#notices/example-pages.ts';

const directory = join(import.meta.dirname, '..', EXAMPLES_DIRECTORY);
const files = renderNoticeExamples();

await mkdir(directory, { recursive: true });
for (const name of await readdir(directory)) {
  if (/\.(html|txt)$/.test(name) && !files.has(name)) await rm(join(directory, name));
}
for (const [name, content] of files) await writeFile(join(directory, name), content);
console.log(`wrote ${files.size} files to ${EXAMPLES_DIRECTORY}`);
