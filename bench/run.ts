import 'reflect-metadata';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { stackOf } from 'nestjs-protean/internal/core/errors/error-message.js';
import { DATABASE_URL } from '../test/support/postgres.js';
import { SpawnedRedis } from '../test/support/spawned-redis.js';
import { cliStartupBenchmark } from './cli/cli-startup.bench.js';
import {
  consumeBenchmark,
  consumeOnPostgresBenchmark,
  memoryBenchmark,
} from './consume/consume.bench.js';
import { endToEndBenchmark } from './e2e/end-to-end.bench.js';
import { hotAggregateBenchmark } from './e2e/hot-aggregate.bench.js';
import { scaleOutBenchmark } from './e2e/scale-out.bench.js';
import { fanOutBenchmark } from './fanout/fanout.bench.js';
import { outboxRelayBenchmark } from './outbox/outbox-relay.bench.js';
import type { BenchResult } from './support/bench-result.js';
import { benchPlan, type BenchPlan } from './support/bench-plan.js';
import { describeMachine, writeBenchmarksDoc } from './support/benchmarks-doc.js';
import { formatTable } from './support/print-table.js';
import { mergeResults } from './support/results-file.js';

type Scenario = (plan: BenchPlan, redisUri: string) => Promise<BenchResult[]>;

const SCENARIOS: Record<string, Scenario> = {
  consume: async (plan, redisUri) => [await consumeBenchmark({ redisUri, ...plan.consume })],
  'consume-pg': async (plan, redisUri) => [
    await consumeOnPostgresBenchmark({ redisUri, ...plan.consumeOnPostgres }),
  ],
  relay: (plan) => outboxRelayBenchmark(plan.relay),
  e2e: async (plan) => [await endToEndBenchmark(plan.endToEnd)],
  fanout: async (plan, redisUri) => [await fanOutBenchmark({ redisUri, ...plan.fanOut })],
  memory: async (plan, redisUri) => [await memoryBenchmark({ redisUri, ...plan.memory })],
  hot: async (plan) => [await hotAggregateBenchmark(plan.hotAggregate)],
  'scale-out': async (plan) => [await scaleOutBenchmark(plan.scaleOut)],
  cli: async (plan, redisUri) => [await cliStartupBenchmark({ redisUri, ...plan.cliStartup })],
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
  const startedAt = performance.now();
  const machine = describeMachine(await postgresVersion());
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
  const table = formatTable(results.flatMap((result) => result.rows));
  process.stdout.write(`${table}\n`);
  // Compiled to dist/bench/run.js; the results file lives in the source tree.
  const file =
    process.env.BENCH_RESULTS_FILE ?? resolve(import.meta.dirname, '../../bench/results.json');
  const merged = mergeResults(file, [...results, { key: 'machine', rows: [], data: machine }]);
  process.stdout.write(`\nResults merged into ${file}\n`);
  // The doc records full runs only: a smoke run's figures mean nothing.
  if (!plan.quick && !only) {
    const seconds = (performance.now() - startedAt) / 1000;
    const doc = await writeBenchmarksDoc({ table, results: merged, machine, seconds });
    process.stdout.write(`Written ${doc}\n`);
  }
}

async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    return `PostgreSQL ${rows[0].version}`;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${stackOf(error)}\n`);
  process.exitCode = 1;
});
