import 'reflect-metadata';
import { resolve } from 'node:path';
import { outboxRelayBenchmark } from './outbox/outbox-relay.bench.js';
import type { BenchResult } from './support/bench-result.js';
import { formatTable } from './support/print-table.js';
import { mergeResults } from './support/results-file.js';

/**
 * `npm run bench`: every benchmark, printed as one table and merged into bench/results.json
 * (or BENCH_RESULTS_FILE). BENCH_OUTBOX_* variables shrink the runs (the e2e test does).
 */
async function main(): Promise<void> {
  const numbers = (name: string, fallback: string) =>
    (process.env[name] ?? fallback).split(',').map(Number);
  const results: BenchResult[] = [
    ...(await outboxRelayBenchmark({
      rows: numbers('BENCH_OUTBOX_ROWS', '20000')[0],
      aggregates: numbers('BENCH_OUTBOX_AGGREGATES', '2000')[0],
      batches: numbers('BENCH_OUTBOX_BATCHES', '500,100'),
      rounds: numbers('BENCH_OUTBOX_ROUNDS', '5')[0],
      latencySamples: numbers('BENCH_OUTBOX_LATENCY_SAMPLES', '200')[0],
    })),
  ];
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
