/** A replay shard in its worker thread (docs/design.md#9-running-it): the lines it was handed, on an engine of its own. */
import { parentPort } from 'node:worker_threads';
import { payloadInput, progressPoster, type ShardMessage, type ShardPayload } from './shard-payload.ts';
import { replayPart } from './run-replay.ts';

const port = parentPort;
if (port === null) throw new Error('shard-worker.ts runs only as a worker thread (shard-pool.ts starts it)');
const post = (message: ShardMessage): void => port.postMessage(message);
// The shard comes as the first message: the thread was started, and has loaded this module, while it was being split off.
const payload = await new Promise<ShardPayload>((resolve) => port.once('message', (message: ShardPayload) => resolve(message)));

try {
  const input = payloadInput(payload);
  const part = await replayPart({
    catalog: payload.catalog,
    input,
    start: payload.start,
    until: payload.until,
    statementIds: payload.statementIds,
    repeatedEventIds: payload.repeatedEventIds === null ? null : new Set(payload.repeatedEventIds),
    engine: 'memory',
    onProgress: progressPoster(input.total, post),
  });
  // Positions among this shard's lines, as places in the whole run's delivery order.
  const deadLetters = part.deadLetters.map((letter) => ({ ...letter, position: payload.index[letter.position] ?? -1 }));
  post({ kind: 'done', part: { ...part, deadLetters } });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
