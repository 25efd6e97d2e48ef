/**
 * Runtime configuration read from the Lambda environment at cold start. A missing value is a
 * deployment error: fail loudly instead of defaulting a resource name.
 */
import { ConfigurationError } from '../errors.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The value of a required variable; throws a ConfigurationError when it is missing or blank. */
export function getStringFromEnv(key: string, environment: Environment = process.env): string {
  const value = environment[key]?.trim();
  if (value === undefined || value === '') {
    throw new ConfigurationError(`environment variable ${key} is required but not set`);
  }
  return value;
}
