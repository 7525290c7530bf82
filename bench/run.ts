import 'reflect-metadata';
import { resolve } from 'node:path';
import { SpawnedRedis } from '../test/support/spawned-redis.js';
import { consumeBenchmark, memoryBenchmark } from './consume/consume.bench.js';
import { endToEndBenchmark } from './e2e/end-to-end.bench.js';
import { fanOutBenchmark } from './fanout/fanout.bench.js';
import { outboxRelayBenchmark } from './outbox/outbox-relay.bench.js';
import type { BenchResult } from './support/bench-result.js';
import { benchPlan, type BenchPlan } from './support/bench-plan.js';
import { formatTable } from './support/print-table.js';
import { mergeResults } from './support/results-file.js';

type Scenario = (plan: BenchPlan, redisUri: string) => Promise<BenchResult[]>;

const SCENARIOS: Record<string, Scenario> = {
  consume: async (plan, redisUri) => [await consumeBenchmark({ redisUri, ...plan.consume })],
  relay: (plan) => outboxRelayBenchmark(plan.relay),
  e2e: async (plan) => [await endToEndBenchmark(plan.endToEnd)],
  fanout: async (plan, redisUri) => [await fanOutBenchmark({ redisUri, ...plan.fanOut })],
  memory: async (plan, redisUri) => [await memoryBenchmark({ redisUri, ...plan.memory })],
};

/**
 * `npm run bench [-- --quick] [-- --only consume,relay]`: every scenario, ours and its peers
 * alternately, printed as one table and merged into bench/results.json (or
 * BENCH_RESULTS_FILE). `--quick` is the smoke run CI does: the same scenarios, tiny sizes.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const plan = benchPlan(args.includes('--quick'));
  const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const names = only ? only.split(',') : Object.keys(SCENARIOS);
  // A Redis of the benchmark's own: nothing else competes for it, and it is thrown away.
  const redis = await SpawnedRedis.start();
  const results: BenchResult[] = [];
  try {
    for (const name of names) {
      const scenario = SCENARIOS[name];
      if (!scenario)
        throw new Error(`Unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`);
      process.stderr.write(`bench: ${name}…\n`);
      results.push(...(await scenario(plan, redis.uri)));
    }
  } finally {
    await redis.stop();
  }
  process.stdout.write(`${formatTable(results.flatMap((result) => result.rows))}\n`);
  // Compiled to dist/bench/run.js; the results file lives in the source tree.
  const file =
    process.env.BENCH_RESULTS_FILE ?? resolve(import.meta.dirname, '../../bench/results.json');
  mergeResults(file, results);
  process.stdout.write(`\nResults merged into ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
