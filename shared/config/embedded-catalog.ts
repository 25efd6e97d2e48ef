/**
 * The compiled catalog baked into each function bundle: esbuild replaces the global identifier
 * below (`define`) with the catalog compiled and validated at `cdk synth`, so a cold start neither
 * reads a file nor resolves holidays.
 */
import type { Catalog } from '#domain/model.ts';
import { ConfigurationError } from '../errors.ts';

/** The identifier the CDK construct passes to esbuild's `define`. */
export const EMBEDDED_CATALOG_IDENTIFIER = 'AFTERCARE_COMPILED_CATALOG';

declare const AFTERCARE_COMPILED_CATALOG: unknown;

/** The catalog injected at bundle time; throws a ConfigurationError when the bundle carries none. */
export function embeddedCatalog(): Catalog {
  if (typeof AFTERCARE_COMPILED_CATALOG === 'undefined') {
    throw new ConfigurationError(
      `no compiled catalog in this bundle: define ${EMBEDDED_CATALOG_IDENTIFIER} at bundle time`,
    );
  }
  return asCompiledCatalog(AFTERCARE_COMPILED_CATALOG);
}

// The catalog was fully validated by compileCatalog at synth; this only catches a wrong injection.
function asCompiledCatalog(candidate: unknown): Catalog {
  if (
    isRecord(candidate) &&
    isRecord(candidate.calendars) &&
    isRecord(candidate.serviceLevels) &&
    Object.keys(candidate.serviceLevels).length > 0 &&
    typeof candidate.breachGraceSeconds === 'number' &&
    typeof candidate.noticeSettleMinutes === 'number' &&
    typeof candidate.sourceIdleMinutes === 'number' &&
    typeof candidate.parkedRetentionDays === 'number'
  ) {
    return candidate as unknown as Catalog;
  }
  throw new ConfigurationError(
    `${EMBEDDED_CATALOG_IDENTIFIER} is not a compiled catalog (calendars, serviceLevels and the root settings)`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
