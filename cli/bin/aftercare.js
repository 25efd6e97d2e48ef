#!/usr/bin/env node
// The package's `bin`: runs the TypeScript CLI through tsx's loader (a dependency), so nobody has to
// remember a build step. `npx aftercare …` in the checkout, or `node cli/bin/aftercare.js …`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main.ts');
await main();
