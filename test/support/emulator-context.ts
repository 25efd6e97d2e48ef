/**
 * How integration and e2e tests reach the emulators the global setup started: typed `inject`,
 * SDK client configs, and names unique to the test file so files can run in parallel.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import {
  clientConfigOf,
  type EmulatorEndpoints,
  type LocalClientConfig,
  type StoredEmail,
} from '#cli/local/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `null` when no selected test file needed the emulators. */
    emulators: EmulatorEndpoints | null;
  }
}

export interface EmulatorContext extends EmulatorEndpoints {
  readonly dynamodb: LocalClientConfig;
  readonly sqs: LocalClientConfig;
  readonly ses: LocalClientConfig;
  /** A table name no other test file uses. */
  readonly tableName: string;
  /** A queue name prefix no other test file uses. */
  readonly queuePrefix: string;
  /** Every email the SES emulator holds (all files share it: filter by your own recipients). */
  sesStore(): Promise<StoredEmail[]>;
}

export function useEmulators(): EmulatorContext {
  const endpoints = inject('emulators');
  if (endpoints === null) {
    throw new Error('the emulators were not started: test files that need them must live under test/integration/ or test/e2e/');
  }
  const unique = randomUUID().replaceAll('-', '').slice(0, 12);
  return {
    ...endpoints,
    dynamodb: clientConfigOf(endpoints, 'dynamodb'),
    sqs: clientConfigOf(endpoints, 'sqs'),
    ses: clientConfigOf(endpoints, 'ses'),
    tableName: `aftercare-test-${unique}`,
    queuePrefix: `aftercare-test-${unique}`,
    sesStore: async () => {
      const response = await fetch(`${endpoints.endpoints.ses}/store`);
      if (!response.ok) throw new Error(`SES emulator /store answered ${response.status}`);
      return ((await response.json()) as { emails: StoredEmail[] }).emails;
    },
  };
}
