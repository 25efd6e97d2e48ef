/**
 * How every function is bundled: one set of esbuild settings from which both the CDK construct and the
 * bundle-size bench derive theirs, so the bench measures exactly what is deployed.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Catalog } from '#domain/model.ts';
import { EMBEDDED_CATALOG_IDENTIFIER } from '#config/embedded-catalog.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ROOT_TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

export const FUNCTION_NAMES = ['intake', 'sweep', 'lifecycle', 'notifier', 'feedback', 'billing', 'webhooks'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export function handlerEntry(name: FunctionName): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}

/**
 * Module replacements, the same in both build paths. The SDK clients' default credential chain becomes
 * the environment-only provider in `functions/lambda-credentials.ts` (the comment there says why): 115 to
 * 140 KB less minified in each bundle, and no STS/SSO client code loaded at cold start.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../functions/lambda-credentials.ts', import.meta.url)),
};

export const BUNDLE_SETTINGS = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  // ESM builds of dependencies tree-shake better than their CommonJS builds.
  mainFields: ['module', 'main'],
  // ESM output has no `require`; CommonJS dependencies bundled into it still call it.
  banner: "import { createRequire as aftercareCreateRequire } from 'node:module'; const require = aftercareCreateRequire(import.meta.url);",
} as const;

/** esbuild `define`: the catalog compiled at synth replaces the identifier `embedded-catalog.ts` reads. */
export function catalogDefine(catalog: Catalog): Record<string, string> {
  return { [EMBEDDED_CATALOG_IDENTIFIER]: JSON.stringify(catalog) };
}

/** Bundling options for `NodejsFunction`: local esbuild, SDK bundled, ESM. */
export function cdkBundling(catalog: Catalog): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    sourceMap: BUNDLE_SETTINGS.sourceMap,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: BUNDLE_SETTINGS.banner,
    define: catalogDefine(catalog),
    tsconfig: ROOT_TSCONFIG,
    // NodejsFunction has no alias option; each entry becomes `--alias:<package>=<absolute path>`.
    esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([name, path]) => `${name}=${path}`) },
    bundleAwsSDK: true,
    forceDockerBundling: false,
    logLevel: LogLevel.WARNING,
  };
}

/** The same bundle through esbuild's API, for measuring it without CDK. */
export function esbuildOptions(name: FunctionName, catalog: Catalog): BuildOptions {
  return {
    entryPoints: [handlerEntry(name)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    define: catalogDefine(catalog),
    alias: { ...BUNDLE_ALIASES },
    tsconfig: ROOT_TSCONFIG,
    outfile: 'index.mjs',
    write: false,
    absWorkingDir: PROJECT_ROOT,
  };
}
