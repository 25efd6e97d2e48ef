import { benchPortfolio } from './bench/replay.ts';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const t0 = Date.now();
const timer = setInterval(() => { const m = process.memoryUsage(); console.error(`${((Date.now()-t0)/1000).toFixed(0)}s rss ${Math.round(m.rss/1048576)} mainHeap ${Math.round(m.heapUsed/1048576)}/${Math.round(m.heapTotal/1048576)} ext ${Math.round(m.external/1048576)}`); }, 3000);
const f = await benchPortfolio(1_000_000, 1000);
clearInterval(timer);
console.log(JSON.stringify(f));
