/**
 * Credentials for the AWS SDK clients inside a deployed function, read from the environment only.
 *
 * Why this exists: each SDK client's runtime config imports `defaultProvider` from
 * `@aws-sdk/credential-provider-node`, the default chain (environment, SSO, web identity, ini files,
 * credential process, HTTP, instance metadata). Bundled, that chain brings `@aws-sdk/nested-clients`
 * (STS and SSO clients, about 59 KB) and the ini/sso/login/http/imds providers (about 35 KB) into every
 * function, yet in Lambda only its first link is ever used: the runtime puts the execution role's
 * credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN before the handler
 * module is loaded. `infra/bundling.ts` therefore aliases `@aws-sdk/credential-provider-node` to this
 * module in the function bundles (and only there: tests, the CLI and scripts keep the real chain).
 *
 * It keeps the export the SDK calls, `defaultProvider(init)`, returning a provider function; any other
 * import of the aliased package would fail the bundle at build time, not at run time. It imports nothing,
 * so aliasing it adds no dependency of its own to the bundle.
 */

export const ACCESS_KEY_ID_VARIABLE = 'AWS_ACCESS_KEY_ID';
export const SECRET_ACCESS_KEY_VARIABLE = 'AWS_SECRET_ACCESS_KEY';
export const SESSION_TOKEN_VARIABLE = 'AWS_SESSION_TOKEN';

export interface EnvironmentCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Absent for long-term keys (local emulators); Lambda always sets it. */
  readonly sessionToken?: string;
}

/**
 * Same name and fields the SDK's own providers use for "no credentials here" (`name`, `tryNextLink`),
 * so SDK code and logs treat it alike; there is no next link to try. It stays here, not in shared/errors.ts:
 * this module is aliased for an SDK package and must import nothing (see above).
 */
export class CredentialsProviderError extends Error {
  override readonly name = 'CredentialsProviderError';
  readonly tryNextLink = false;
}

type Environment = Readonly<Record<string, string | undefined>>;

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The credentials in `environment`, or a CredentialsProviderError naming the variables that are missing. */
export function credentialsFromEnvironment(environment: Environment): EnvironmentCredentials {
  const accessKeyId = environment[ACCESS_KEY_ID_VARIABLE];
  const secretAccessKey = environment[SECRET_ACCESS_KEY_VARIABLE];
  const sessionToken = environment[SESSION_TOKEN_VARIABLE];
  if (!present(accessKeyId) || !present(secretAccessKey)) {
    const missing = [
      ...(present(accessKeyId) ? [] : [ACCESS_KEY_ID_VARIABLE]),
      ...(present(secretAccessKey) ? [] : [SECRET_ACCESS_KEY_VARIABLE]),
    ];
    throw new CredentialsProviderError(
      `No AWS credentials: ${missing.join(' and ')} not set. This function bundle reads credentials from ` +
        'the environment only (the Lambda runtime sets them); the default credential chain is not bundled.',
    );
  }
  return present(sessionToken) ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/**
 * Stands in for `@aws-sdk/credential-provider-node`'s `defaultProvider`: the SDK calls it once per client
 * with the client config (unused here) and calls the returned provider before signing. The environment is
 * read on each call, so a missing variable surfaces as a rejected request, with the message above.
 */
export function defaultProvider(_init?: unknown): () => Promise<EnvironmentCredentials> {
  // A throw inside the executor rejects the promise, as an async provider would.
  return () => new Promise((resolve) => resolve(credentialsFromEnvironment(process.env)));
}
