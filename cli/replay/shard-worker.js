// A replay shard's thread (shard-pool.ts starts it). A worker has no module loader of its own, so TypeScript is
// registered here, as cli/bin/aftercare.js does for the CLI, before the shard's code is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./shard-worker.ts');
