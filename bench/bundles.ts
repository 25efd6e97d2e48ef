/**
 * Bundle size per function, built with exactly the esbuild options the CDK construct uses
 * (`infra/bundling.ts`). Goal: ≤ 250 KB minified each. `npx tsx bench/bundles.ts` prints them.
 */
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { esbuildOptions, FUNCTION_NAMES } from '#infra/bundling.ts';

export const BUNDLE_BUDGET_KB = 250;

/** Minified size in KB of each function's bundle (the .mjs only, not its source map). */
export async function benchBundles(): Promise<Record<string, number>> {
  const catalog = loadDefaultCatalog();
  const sizes: Record<string, number> = {};
  for (const name of FUNCTION_NAMES) {
    const result = await build({ ...esbuildOptions(name, catalog), logLevel: 'silent' });
    const bundle = result.outputFiles?.find((file) => file.path.endsWith('.mjs'));
    if (bundle === undefined) throw new Error(`esbuild produced no bundle for ${name}`);
    sizes[name] = Math.round((bundle.contents.byteLength / 1024) * 10) / 10;
  }
  return sizes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = await benchBundles();
  for (const [name, kb] of Object.entries(sizes)) {
    process.stdout.write(`${name.padEnd(10)} ${kb.toFixed(1).padStart(7)} KB${kb > BUNDLE_BUDGET_KB ? `  over the ${BUNDLE_BUDGET_KB} KB budget` : ''}\n`);
  }
}
