import { deliveriesOf } from '#cli/replay/input.ts';
import { jsonLines, readTextFile } from '#cli/input/lines.ts';
import { shardsOf } from '#cli/replay/shards.ts';
for (const f of process.argv.slice(2)) {
  const d = deliveriesOf(jsonLines(readTextFile(f, 'events')));
  const t = performance.now();
  const s = shardsOf(d, 4);
  console.log(f, d.length, s.map((x) => x.length).join('/'), Math.round(performance.now() - t), 'ms');
}
