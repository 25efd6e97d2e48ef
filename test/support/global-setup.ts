/**
 * Global setup for the whole test run: when a selected test file lives under test/integration/ or
 * test/e2e/, the emulators start once here and every file reaches them through `useEmulators()`.
 * Unit-only runs start nothing.
 */
import { sep } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmulators, type Emulators } from '#cli/local/emulators.ts';
import './emulator-context.ts';

const NEEDS_EMULATORS = [`${sep}test${sep}integration${sep}`, `${sep}test${sep}e2e${sep}`];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let emulators: Emulators | undefined;
  if (await someSelectedFileNeedsEmulators(project)) {
    emulators = await startEmulators();
    const { dynamodb, sqs, ses, total } = emulators.startupMs;
    console.info(`emulators up in ${total} ms (DynamoDB Local ${dynamodb} ms, fauxqs ${sqs} ms, SES ${ses} ms)`);
  }
  project.provide(
    'emulators',
    emulators === undefined
      ? null
      : { region: emulators.region, credentials: emulators.credentials, endpoints: emulators.endpoints },
  );
  return async () => {
    await emulators?.stop();
  };
}

async function someSelectedFileNeedsEmulators(project: TestProject): Promise<boolean> {
  // The CLI filters (`vitest run test/unit/x.test.ts`); vitest keeps them on an internal field.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => NEEDS_EMULATORS.some((folder) => file.includes(folder)));
}
