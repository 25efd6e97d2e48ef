/**
 * The environment-only credential provider that replaces the SDK's default chain in the function bundles
 * (`functions/lambda-credentials.ts`, aliased in `infra/bundling.ts`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { defaultProvider as sdkDefaultProvider } from '@aws-sdk/credential-provider-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialsFromEnvironment, CredentialsProviderError, defaultProvider } from '#functions/lambda-credentials.ts';

// Compile-time: the stand-in has the call shape of the export it replaces (`npm run typecheck` fails otherwise).
const _sameShape: typeof sdkDefaultProvider = defaultProvider;

const LAMBDA_ENVIRONMENT = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY',
  AWS_SECRET_ACCESS_KEY: 'example-secret',
  AWS_SESSION_TOKEN: 'example-session-token',
};

describe('credentials from the environment', () => {
  it('are the three variables the Lambda runtime sets', () => {
    expect(credentialsFromEnvironment(LAMBDA_ENVIRONMENT)).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret',
      sessionToken: 'example-session-token',
    });
  });

  it('carry no session token when none is set (long-term keys, emulators)', () => {
    const credentials = credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(credentials).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });
    expect('sessionToken' in credentials).toBe(false);
  });

  it.each([
    ['the key id is missing', { AWS_SECRET_ACCESS_KEY: 'secret' }, /AWS_ACCESS_KEY_ID not set/],
    ['the secret is empty', { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: '' }, /AWS_SECRET_ACCESS_KEY not set/],
    ['both are missing', { AWS_SESSION_TOKEN: 'token' }, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/],
  ])('fail with a CredentialsProviderError naming the variables when %s', (_label, environment, message) => {
    // Act
    const reading = () => credentialsFromEnvironment(environment);

    // Assess
    expect(reading).toThrow(CredentialsProviderError);
    expect(reading).toThrow(message);
  });
});

describe('defaultProvider, as the SDK client calls it', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function stubCredentials(environment: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  }

  it('gives a client the credentials in process.env', async () => {
    // Prepare
    stubCredentials(LAMBDA_ENVIRONMENT);
    const client = new DynamoDBClient({ region: 'eu-north-1', credentialDefaultProvider: defaultProvider });

    // Act
    const credentials = await client.config.credentials();

    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret',
      sessionToken: 'example-session-token',
    });
    client.destroy();
  });

  it('rejects with a CredentialsProviderError when the variables are missing, instead of trying other sources', async () => {
    // Prepare
    stubCredentials({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    const provide = defaultProvider({});

    // Act
    const providing = provide();

    // Assess
    await expect(providing).rejects.toThrow(CredentialsProviderError);
    await expect(providing).rejects.toMatchObject({ name: 'CredentialsProviderError', tryNextLink: false });
    await expect(providing).rejects.toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/);
  });
});
